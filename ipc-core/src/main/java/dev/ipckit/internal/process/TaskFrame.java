package dev.ipckit.internal.process;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The one message a parent writes to a child's standard input: who the child is and what it runs. All integers
 * are 4-byte big-endian ({@link DataOutputStream} order).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Magic 'i' 'p' 'c' 'k'                     |
 *  +---------------------------------------------------------------+
 *  |                     Version                                   |
 *  +-----------------------------------------------------------+-+-+
 *  |                     Flags (reserved, 0)                   |T|D|   D: daemon, T: direct task
 *  +-----------------------------------------------------------+-+-+
 *  |                     Name length (bytes)                       |
 *  +---------------------------------------------------------------+
 *  |                     Name (UTF-8)                             ...
 *  +---------------------------------------------------------------+
 *  |                     Parent process id (8 bytes)               |
 *  +---------------------------------------------------------------+
 *  |                     Backend length (bytes, 0 = none)          |
 *  +---------------------------------------------------------------+
 *  |                     file: backend class name (UTF-8)         ...
 *  +---------------------------------------------------------------+
 *  |                     Report directory length (bytes, 0 = none) |
 *  +---------------------------------------------------------------+
 *  |                     Report directory (UTF-8)                 ...
 *  +---------------------------------------------------------------+
 *  |                     Task length (bytes)                       |
 *  +---------------------------------------------------------------+
 *  |                     Task (see below)                         ...
 *  +---------------------------------------------------------------+
 *  |                     Number of class files                     |
 *  +---------------------------------------------------------------+
 *  |            each: name length, binary name (UTF-8),            |
 *  |                  file length, class file                     ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The task is a {@link dev.ipckit.internal.task.DirectTask} when flag T is set (a lambda a cold JVM runs
 * without Java serialization), else the Java serialization of a {@link dev.ipckit.Task}.
 *
 * <p>The backend is the class of the parent's backend for {@code file:} locations, if it has used one: a hint, so
 * that the child reopens handles of local namespaces without searching the class path (see {@link
 * dev.ipckit.Ipc#BACKEND_PROPERTY}). Handles carry their namespace's location, and one of any other scheme
 * finds the backend of its scheme in the child.
 *
 * <p>The report directory is where the child says why it could not run the task (see {@link StartReports}). The
 * class files are those of the task's classes that the child cannot find on its class path (see
 * {@link ShippedClasses}): usually none.
 *
 * <p>The version covers the frame and the direct task form in it (version 3: handles carry a location URI, not
 * a directory; version 4: the report directory and the class files). A child that reads another version exits with {@link ChildMain#EXIT_BAD_TASK}, saying "task
 * frame version N, this ipckit reads M" on its standard error.
 *
 * <p>Daemon-ness travels in the frame, not on the command line, so that a booted spare JVM can become either
 * kind of child: a daemon keeps reading its standard input after the frame (end-of-file = the parent died), a
 * non-daemon ignores it (the parent closes it at once).
 *
 * @param daemon  whether the child halts when its parent dies
 * @param direct  whether {@code task} is a {@link dev.ipckit.internal.task.DirectTask} rather than Java serialization
 * @param name    the process name
 * @param parent  the process id of the parent that writes the frame
 * @param backend the class name of the parent's {@code file:} backend, or "" if it has none yet
 * @param reports the parent's report directory, or "" for none
 * @param task    the serialized task
 * @param classes class files by binary name, for classes the child cannot find on its class path
 */
public record TaskFrame(boolean daemon, boolean direct, String name, long parent, String backend, String reports,
                        byte[] task, Map<String, byte[]> classes) {
  /** "ipck". */
  public static final int MAGIC = 0x6970636B;
  public static final int VERSION = 4;
  public static final int FLAG_DAEMON = 1;
  public static final int FLAG_DIRECT = 2;
  /** Longest accepted name (and backend class name), in UTF-8 bytes. */
  public static final int MAX_NAME_BYTES = 4096;
  /** Largest accepted task, in bytes. */
  public static final int MAX_TASK_BYTES = 1 << 30;
  /** Most class files in a frame. */
  public static final int MAX_CLASSES = ShippedClasses.MAX_CLASSES;

  /** A frame from this process, without class files. */
  public TaskFrame(boolean daemon, boolean direct, String name, String backend, String reports, byte[] task) {
    this(daemon, direct, name, ProcessHandle.current().pid(), backend, reports, task, Map.of());
  }

  /** Writes this frame and flushes. */
  public void writeTo(OutputStream os) throws IOException {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] b = backend.getBytes(StandardCharsets.UTF_8);
    DataOutputStream out = new DataOutputStream(os);
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeInt((daemon ? FLAG_DAEMON : 0) | (direct ? FLAG_DIRECT : 0));
    writeField(out, n);
    out.writeLong(parent);
    writeField(out, b);
    writeField(out, reports.getBytes(StandardCharsets.UTF_8));
    writeField(out, task);
    out.writeInt(classes.size());
    for (Map.Entry<String, byte[]> e : classes.entrySet()) {
      writeField(out, e.getKey().getBytes(StandardCharsets.UTF_8));
      writeField(out, e.getValue());
    }
    out.flush();
  }

  private static void writeField(DataOutputStream out, byte[] field) throws IOException {
    out.writeInt(field.length);
    out.write(field);
  }

  /**
   * Reads a length-prefixed field of {@code min} to {@code max} bytes, naming it ({@code what}) in the exception
   * for a bad length or a stream that ends inside it.
   */
  private static byte[] readField(DataInputStream in, String what, int min, int max) throws IOException {
    int length = in.readInt();
    if (length < min || length > max) {
      throw new IOException("bad " + what + " length in task frame: " + what + "Length=" + length);
    }
    byte[] field = in.readNBytes(length);
    if (field.length != length) {
      throw new EOFException("task frame truncated: " + field.length + " of " + length + " " + what + " bytes");
    }
    return field;
  }

  /**
   * Reads a frame; null when the stream ends before its first byte (the parent went away without sending one).
   *
   * @throws IOException on a truncated or foreign frame, naming what was found
   */
  public static TaskFrame readFrom(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    int first = in.read();
    if (first < 0) {
      return null;
    }
    try {
      int magic = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedShort());
      if (magic != MAGIC) {
        throw new IOException("not a task frame: magic=0x" + Integer.toHexString(magic)
            + ", expected 0x" + Integer.toHexString(MAGIC));
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IOException("task frame version " + version + ", this ipckit reads " + VERSION
            + ": parent and child run different ipckit versions");
      }
      int flags = in.readInt();
      String name = new String(readField(in, "name", 0, MAX_NAME_BYTES), StandardCharsets.UTF_8);
      long parent = in.readLong();
      String backend = new String(readField(in, "backend", 0, MAX_NAME_BYTES), StandardCharsets.UTF_8);
      String reports = new String(readField(in, "report directory", 0, MAX_NAME_BYTES), StandardCharsets.UTF_8);
      byte[] task = readField(in, "task", 1, MAX_TASK_BYTES);
      int count = in.readInt();
      if (count < 0 || count > MAX_CLASSES) {
        throw new IOException("bad class file count in task frame: count=" + count);
      }
      Map<String, byte[]> classes = new HashMap<>();
      for (int i = 0; i < count; i++) {
        String cn = new String(readField(in, "class name", 1, MAX_NAME_BYTES), StandardCharsets.UTF_8);
        classes.put(cn, readField(in, "class file", 1, MAX_TASK_BYTES));
      }
      return new TaskFrame((flags & FLAG_DAEMON) != 0, (flags & FLAG_DIRECT) != 0, name, parent, backend, reports,
          task, classes);
    } catch (EOFException e) {
      throw new EOFException("task frame truncated: the parent closed the pipe mid-frame (" + e.getMessage() + ")");
    }
  }
}
