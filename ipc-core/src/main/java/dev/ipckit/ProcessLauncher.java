package dev.ipckit;

import dev.ipckit.internal.process.ChildClassPath;
import dev.ipckit.internal.process.ChildCommand;
import dev.ipckit.internal.process.ChildMain;
import dev.ipckit.internal.process.ShippedClasses;
import dev.ipckit.internal.process.SparePool;
import dev.ipckit.internal.process.StartReports;
import dev.ipckit.internal.process.TaskFrame;
import dev.ipckit.internal.process.TaskWriter;
import dev.ipckit.internal.task.DirectTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How {@link IpcProcess} and {@link Pool} start child JVMs: the class path a child gets, the classes it must be
 * handed beyond it, the checks on JVM options, and a start, cold or through a warm spare ({@link SparePool}). What
 * {@link IpcProcess.Builder} configures reaches here unchanged; the builder keeps the public methods and their
 * contracts.
 *
 * <p><b>Thread safety.</b> Every method is safe to call from any thread; the lists passed in must not change
 * meanwhile (a builder is configured on one thread).
 */
final class ProcessLauncher {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  /** This JVM's process id, which its children's frames carry. */
  private static final long SELF = ProcessHandle.current().pid();
  /** Whether this JVM has paid its first task encoding and report directory (see {@link #awaitWarmSpare}). */
  private static volatile boolean parentWarm;

  private ProcessLauncher() {
  }

  /**
   * Where a child finds its classes: the class paths of the loaders of ipckit, of its backends, of the starting
   * thread's context, of {@code extra} and of {@code classes}.
   *
   * @throws IllegalStateException if ipckit's own classes are not on a class path a child can use
   */
  static ChildClassPath classPath(List<ClassLoader> extra, Collection<Class<?>> classes) {
    List<ClassLoader> roots = new ArrayList<>(4 + extra.size());
    roots.add(Ipc.class.getClassLoader());
    roots.addAll(Backends.loaders());
    roots.add(Thread.currentThread().getContextClassLoader());
    roots.addAll(extra);
    ChildClassPath path = ChildClassPath.of(roots, classes);
    if (!path.covers(ChildMain.class) && !ChildMain.class.getModule().isNamed()) {
      throw new IllegalStateException("a child JVM cannot be started: ipckit's own classes (loader "
          + ChildMain.class.getClassLoader() + ", code source " + ChildMain.class.getProtectionDomain().getCodeSource()
          + ") are not in a directory or jar on the file system that a class path can name (a jar nested in a jar,"
          + " as Spring Boot's BOOT-INF/lib, is not); put ipckit on the class path or unpack the application");
    }
    return path;
  }

  /** The classes among {@code classes} that a child on {@code path} must be handed. */
  static List<Class<?>> uncovered(ChildClassPath path, Collection<Class<?>> classes) {
    List<Class<?>> out = null;
    for (Class<?> c : classes) {
      if (!c.isArray() && !c.isPrimitive() && !path.covers(c)) {
        if (out == null) {
          out = new ArrayList<>();
        }
        out.add(c);
      }
    }
    return out == null ? List.of() : out;
  }

  /**
   * Checks one of {@link IpcProcess.Builder#jvmOptions(String...)}: it starts with {@code '-'} and is not a class
   * path, module or {@code -jar} option. Returns it.
   */
  static String checkJvmOption(String o) {
    if (!o.startsWith("-")) {
      throw new IllegalArgumentException("a JVM option must start with '-': option=\"" + o + "\"");
    }
    if (o.equals("-cp") || o.equals("-classpath") || o.startsWith("--class-path") || o.equals("-jar")
        || o.equals("-m") || o.startsWith("--module") || o.equals("-p")) {
      throw new IllegalArgumentException("JVM option not allowed (the child runs on this JVM's class path):"
          + " option=\"" + o + "\"");
    }
    return o;
  }

  /** As {@link IpcProcess.Builder#awaitWarmSpare(Duration)}, for a child of the command line {@code cmd}. */
  static boolean awaitWarmSpare(List<String> cmd, Duration timeout) throws InterruptedException {
    if (!parentWarm) {
      Task empty = () -> { };
      DirectTask.encode(empty);             // the first encoding in a JVM costs milliseconds: pay it now
      TaskWriter.write(empty, empty);
      StartReports.dir();
      parentWarm = true;
    }
    return SparePool.awaitReady(cmd, timeout);
  }

  /**
   * As {@link IpcProcess.Builder#start(Task)}: starts {@code task} in a child of that configuration ({@code name}
   * null for {@code IpcProcess-N}).
   */
  static IpcProcess start(Task task, String name, boolean daemon, boolean warmSpare, List<String> jvmOptions,
                          List<ClassLoader> classLoaders) {
    byte[] direct = DirectTask.encode(task);
    byte[] blob;
    Collection<Class<?>> classes;
    if (direct != null) {
      blob = direct;
      classes = List.of();
    } else {
      TaskWriter.Written w = TaskWriter.write(task, task);
      blob = w.bytes();
      classes = w.classes();
    }
    ChildClassPath path = classPath(classLoaders, classes);
    List<Class<?>> missing = uncovered(path, classes);
    Map<String, byte[]> shipped = missing.isEmpty() ? Map.of() : ShippedClasses.collect(missing);
    String n = name != null ? name : "IpcProcess-" + COUNTER.incrementAndGet();
    String backend = Ipc.backendName();
    boolean d = daemon || ChildMain.daemonChild();
    TaskFrame frame = new TaskFrame(d, direct != null, n, SELF, backend == null ? "" : backend,
        StartReports.dir(), blob, shipped);
    List<String> cmd = ChildCommand.of(jvmOptions, path);
    if (!warmSpare) {
      return startCold(cmd, frame);
    }
    IpcProcess started = null;
    Process spare = SparePool.take(cmd);
    if (spare != null) {
      try {
        SparePool.hand(spare, frame);
        started = new IpcProcess(spare, n, d);
      } catch (IOException e) {
        spare.destroyForcibly();            // the spare died under us: start cold instead
      }
    }
    if (started == null) {
      started = startCold(cmd, frame);
    }
    SparePool.scheduleNext(cmd, started.process());
    return started;
  }

  private static IpcProcess startCold(List<String> cmd, TaskFrame frame) {
    Process p;
    try {
      p = SparePool.launch(cmd);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a child JVM: " + cmd.get(0), e);
    }
    try {
      SparePool.hand(p, frame);
    } catch (IOException e) {
      // the child JVM died before reading its task: a bad JVM option, or killed from outside
      String code;
      try {
        code = p.waitFor(5, TimeUnit.SECONDS) ? "exit code " + p.exitValue()
            + StartReports.take(p.pid()).map(r -> ": " + r).orElse("") : "still running";
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        code = "interrupted while waiting for it";
      }
      p.destroyForcibly();
      throw new UncheckedIOException("child JVM " + frame.name() + " (pid " + p.pid()
          + ") exited before reading its task (" + code + "; its standard error says why); command: "
          + String.join(" ", cmd), e);
    }
    return new IpcProcess(p, frame.name(), frame.daemon());
  }
}
