package dev.ipckit.internal.process;

import dev.ipckit.Ipc;
import dev.ipckit.Task;
import dev.ipckit.internal.task.DirectTask;
import dev.ipckit.spi.Backend;
import dev.ipckit.spi.Doorbell;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * The entry point of a child JVM started by {@link dev.ipckit.IpcProcess}. It reads one {@link TaskFrame} from
 * standard input, runs the task and exits: 0 when the task returns, 1 when it throws (the stack trace goes to
 * standard error), whatever the task passes to {@code System.exit}.
 *
 * <p>Two ways to start: {@code ChildMain} (cold: the frame follows at once) and {@code ChildMain spare DIR} (a warm
 * spare: the JVM boots, loads the classes a task needs, creates {@code DIR/ipckit-spare-PID.ready} and then blocks
 * reading its standard input until a parent hands it a frame). End-of-file before a frame means the parent went
 * away or retired the spare: the JVM exits quietly with {@link #EXIT_ORPHANED}.
 *
 * <p>After the frame a daemon child keeps reading its standard input: end-of-file means the parent died, however it
 * died (the kernel closes the pipe of a SIGKILLed process too), and the child halts at once; a byte rings the
 * child's {@link Doorbell}. A non-daemon child
 * ignores it, so it outlives its parent. The task itself sees an empty {@code System.in}, as a Python child sees
 * {@code /dev/null}.
 */
public final class ChildMain {
  /** Exit code when the task threw. */
  public static final int EXIT_TASK_FAILED = 1;
  /** Exit code when the task could not be read (a foreign frame, a class missing from the class path, ...). */
  public static final int EXIT_BAD_TASK = 70;
  /** Exit code of a daemon child whose parent died, or of a spare whose parent retired it. */
  public static final int EXIT_ORPHANED = 71;
  /** The system property holding the process name in the child. */
  public static final String NAME_PROPERTY = "ipckit.process.name";
  /** First argument of a warm spare. */
  public static final String ARG_SPARE = "spare";

  /** Whether this JVM is a daemon child: set once, before its task runs. */
  private static volatile boolean daemonChild;
  /** This child's name, once it has read its frame; null in a JVM that is not an ipckit child. */
  private static volatile String childName;
  /** The process id of the parent that started this child; 0 in a JVM that is not an ipckit child. */
  private static volatile long parentPid;

  private ChildMain() {
  }

  public static void main(String[] args) {
    boolean spare = args.length >= 2 && args[0].equals(ARG_SPARE);
    Path ready = spare ? readyFile(Path.of(args[1]), ProcessHandle.current().pid()) : null;
    InputStream stdin = new BufferedInputStream(new FileInputStream(FileDescriptor.in), 8192);
    // the task must not read the frame pipe: give it an empty standard input
    System.setIn(new ByteArrayInputStream(new byte[0]));
    if (spare) {
      warmUp();
      markReady(ready);
    }
    TaskFrame frame;
    try {
      frame = TaskFrame.readFrom(stdin);
    } catch (IOException e) {
      unmarkReady(ready);
      System.err.println("ipckit child (pid " + ProcessHandle.current().pid() + "): cannot read the task: " + e);
      System.exit(EXIT_BAD_TASK);
      return;
    }
    unmarkReady(ready);
    if (frame == null) {
      // the parent went away (or retired this spare) before handing over a task
      System.exit(EXIT_ORPHANED);
      return;
    }
    if (frame.daemon()) {
      daemonChild = true;
      Doorbell.install();                   // bytes after the frame ring it (see ParentWatch)
      Thread watcher = new Thread(new ParentWatch(stdin), "ipckit-parent-watch");
      watcher.setDaemon(true);
      watcher.start();
    }
    System.setProperty(NAME_PROPERTY, frame.name());
    parentPid = frame.parent();
    childName = frame.name();
    if (!frame.backend().isEmpty() && System.getProperty(Ipc.BACKEND_PROPERTY) == null) {
      // the parent's file: backend: local handles reopen without a class path search; other schemes find theirs
      System.setProperty(Ipc.BACKEND_PROPERTY, frame.backend());
    }
    if (!frame.classes().isEmpty()) {
      // the task's classes resolve through it: the class path first, then the classes handed over
      ShippedClasses.accept(frame.classes());
      Thread.currentThread().setContextClassLoader(ShippedClasses.loader());
    }
    Task task;
    try {
      task = frame.direct() ? DirectTask.decode(frame.task()) : deserialize(frame.task());
    } catch (Throwable e) {
      String reason = "child JVM " + frame.name() + " (pid " + ProcessHandle.current().pid()
          + ") cannot read its task: " + e + describeLoading(e);
      System.err.println("ipckit " + reason);
      e.printStackTrace(System.err);
      System.err.flush();
      StartReports.write(frame.reports(), reason);
      System.exit(EXIT_BAD_TASK);
      return;
    }
    System.exit(runTask(frame.name(), task));
  }

  /** Where a spare with process id {@code pid} announces that it is ready. */
  public static Path readyFile(Path dir, long pid) {
    return dir.resolve("ipckit-spare-" + pid + ".ready");
  }

  /** Runs {@code task} and returns the exit code it earns; a throwable's stack trace goes to standard error. */
  public static int runTask(String name, Task task) {
    try {
      task.run();
      System.out.flush();
      return 0;
    } catch (Throwable e) {
      System.out.flush();
      System.err.println("Process " + name + " (pid " + ProcessHandle.current().pid() + "): the task threw");
      e.printStackTrace(System.err);
      System.err.flush();
      return EXIT_TASK_FAILED;
    }
  }

  /** This JVM's name as an ipckit child, or null if it is not one. */
  public static String childName() {
    return childName;
  }

  /** The process id of the parent that started this JVM as an ipckit child, or 0 if it is not one. */
  public static long parentPid() {
    return childName == null ? 0 : parentPid;
  }

  /** Whether this JVM is a daemon child of an ipckit parent (its own children are daemons too). */
  public static boolean daemonChild() {
    return daemonChild;
  }

  /**
   * Where this JVM looks for classes, for a message about one it could not load: empty unless {@code e} (or a
   * cause) is about a missing class.
   */
  public static String describeLoading(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ClassNotFoundException || t instanceof NoClassDefFoundError) {
        String mp = System.getProperty("jdk.module.path");
        return " (class path of this JVM: " + System.getProperty("java.class.path", "")
            + (mp == null || mp.isEmpty() ? "" : "; module path: " + mp)
            + (ShippedClasses.loader().size() == 0 ? "" : "; " + ShippedClasses.loader().size()
                + " classes handed over by the parent") + ")";
      }
    }
    return "";
  }

  /**
   * Deserializes a task through a filter with depth and size limits, resolving classes through the class path
   * and the classes handed over by the parent.
   */
  public static Task deserialize(byte[] blob) throws IOException, ClassNotFoundException {
    try (ResolvingObjectInputStream ois = new ResolvingObjectInputStream(new ByteArrayInputStream(blob))) {
      ois.setObjectInputFilter(new SizeFilter(blob.length));
      Object o = ois.readObjectNamingMissing();
      if (!(o instanceof Task)) {
        throw new IOException("not a Task: " + (o == null ? "null" : o.getClass().getName()));
      }
      return (Task) o;
    }
  }

  /**
   * Rejects streams deeper than 256 or larger than the blob they came in (a class, not a lambda: a cold child
   * spins no lambda class of its own before the task's).
   */
  private static final class SizeFilter implements ObjectInputFilter {
    private final long limit;

    SizeFilter(long limit) {
      this.limit = limit;
    }

    @Override
    public Status checkInput(FilterInfo info) {
      return info.depth() > 256 || info.streamBytes() > limit || info.arrayLength() > limit
          ? Status.REJECTED : Status.UNDECIDED;
    }
  }

  /** Halts the JVM when the parent's end of standard input closes: the parent died. */
  private static final class ParentWatch implements Runnable {
    private final InputStream stdin;

    ParentWatch(InputStream stdin) {
      this.stdin = stdin;
    }

    @Override
    public void run() {
      watchParent(stdin);
    }
  }

  /**
   * Loads and initialises what every task needs before the first one arrives: object streams, lambda
   * deserialization and the direct form (a serializable lambda through a round trip of each) and the backend
   * that handles reopen in.
   */
  private static void warmUp() {
    try {
      Task empty = () -> { };
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(empty);
      }
      deserialize(bytes.toByteArray()).run();
      byte[] direct = DirectTask.encode(empty);
      if (direct != null) {
        DirectTask.decode(direct).run();
      }
      ServiceLoader.load(Backend.class, ChildMain.class.getClassLoader()).stream().forEach(p -> p.get().name());
      Class.forName("dev.ipckit.spi.HandleRef", true, ChildMain.class.getClassLoader());
    } catch (Exception | LinkageError e) {
      // warming is an optimisation only: the real task meets the same problem and reports it properly
    }
  }

  private static void markReady(Path ready) {
    try {
      Files.deleteIfExists(ready);
      Files.createFile(ready);
      ready.toFile().deleteOnExit();
    } catch (IOException e) {
      // readiness is advisory (benchmarks and tests wait for it); the spare works without the file
    }
  }

  private static void unmarkReady(Path ready) {
    if (ready != null) {
      try {
        Files.deleteIfExists(ready);
      } catch (IOException e) {
        // advisory file; deleteOnExit tries again
      }
    }
  }

  private static void watchParent(InputStream stdin) {
    byte[] buf = new byte[256];
    try {
      while (stdin.read(buf) >= 0) {
        Doorbell.ring();                    // the parent wants this JVM's waiters to look again
      }
    } catch (IOException e) {
      // a broken pipe is the same news as end-of-file
    }
    Runtime.getRuntime().halt(EXIT_ORPHANED);
  }
}
