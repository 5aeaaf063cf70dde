package dev.ipckit.internal;

import dev.ipckit.Task;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;

/**
 * The entry point of a child JVM started by {@link dev.ipckit.IpcProcess}. It reads one task from standard
 * input (a 4-byte big-endian length, then the serialized {@link Task}), runs it and exits: 0 when the task
 * returns, 1 when it throws (the stack trace goes to standard error). A daemon child watches standard input
 * after the task arrives: end-of-file means the parent died, however it died, and the child halts at once.
 */
public final class ChildMain {
  /** Exit code when the task threw. */
  public static final int EXIT_TASK_FAILED = 1;
  /** Exit code when the task could not be read. */
  public static final int EXIT_BAD_TASK = 70;
  /** Exit code of a daemon child whose parent died. */
  public static final int EXIT_ORPHANED = 71;

  private ChildMain() {
  }

  public static void main(String[] args) throws IOException {
    boolean daemon = args.length > 0 && args[0].equals("daemon");
    InputStream stdin = System.in;
    Task task;
    try {
      task = readTask(new DataInputStream(stdin));
    } catch (Throwable e) {
      System.err.println("ipckit child: cannot read the task from the parent: " + e);
      e.printStackTrace();
      System.exit(EXIT_BAD_TASK);
      return;
    }
    if (daemon) {
      Thread watcher = new Thread(() -> watchParent(stdin), "ipckit-parent-watch");
      watcher.setDaemon(true);
      watcher.start();
    }
    System.exit(runTask(task));
  }

  /** Runs {@code task} and returns the exit code it earns. */
  public static int runTask(Task task) {
    try {
      task.run();
      System.out.flush();
      return 0;
    } catch (Throwable e) {
      System.out.flush();
      System.err.println("Task in process " + ProcessHandle.current().pid() + " failed:");
      e.printStackTrace();
      System.err.flush();
      return EXIT_TASK_FAILED;
    }
  }

  /** Reads a length-prefixed task blob and deserializes it. */
  public static Task readTask(DataInputStream in) throws IOException, ClassNotFoundException {
    int len = in.readInt();
    if (len <= 0 || len > (1 << 30)) {
      throw new IOException("bad task length " + len);
    }
    byte[] blob = in.readNBytes(len);
    if (blob.length != len) {
      throw new IOException("task truncated: " + blob.length + " of " + len + " bytes");
    }
    return deserialize(blob);
  }

  /** Deserializes a task with depth and size limits. */
  public static Task deserialize(byte[] blob) throws IOException, ClassNotFoundException {
    try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(blob))) {
      long limit = blob.length;
      ois.setObjectInputFilter(info -> info.depth() > 256 || info.streamBytes() > limit
          || info.arrayLength() > limit ? ObjectInputFilter.Status.REJECTED : ObjectInputFilter.Status.UNDECIDED);
      Object o = ois.readObject();
      if (!(o instanceof Task)) {
        throw new IOException("not a Task: " + (o == null ? "null" : o.getClass().getName()));
      }
      return (Task) o;
    }
  }

  private static void watchParent(InputStream stdin) {
    byte[] buf = new byte[256];
    try {
      while (stdin.read(buf) >= 0) {
        // the parent writes nothing more; any bytes are ignored
      }
    } catch (IOException ignored) {
      // a broken pipe is the same news as end-of-file
    }
    Runtime.getRuntime().halt(EXIT_ORPHANED);
  }
}
