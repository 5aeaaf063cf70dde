package dev.ipckit.internal.process;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

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
 *  |                     Backend length (bytes, 0 = none)          |
 *  +---------------------------------------------------------------+
 *  |                     file: backend class name (UTF-8)         ...
 *  +---------------------------------------------------------------+
 *  |                     Task length (bytes)                       |
 *  +---------------------------------------------------------------+
 *  |                     Task (see below)                         ...
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
 * <p>The version covers the frame and the direct task form in it (version 3: handles carry a location URI, not
 * a directory). A child that reads another version exits with {@link ChildMain#EXIT_BAD_TASK}, saying "task
 * frame version N, this ipckit reads M" on its standard error.
 *
 * <p>Daemon-ness travels in the frame, not on the command line, so that a booted spare JVM can become either
 * kind of child: a daemon keeps reading its standard input after the frame (end-of-file = the parent died), a
 * non-daemon ignores it (the parent closes it at once).
 *
 * @param daemon  whether the child halts when its parent dies
 * @param direct  whether {@code task} is a {@link dev.ipckit.internal.task.DirectTask} rather than Java serialization
 * @param name    the process name
 * @param backend the class name of the parent's {@code file:} backend, or "" if it has none yet
 * @param task    the serialized task
 */
public record TaskFrame(boolean daemon, boolean direct, String name, String backend, byte[] task) {
  /** "ipck". */
  public static final int MAGIC = 0x6970636B;
  public static final int VERSION = 3;
  public static final int FLAG_DAEMON = 1;
  public static final int FLAG_DIRECT = 2;
  /** Longest accepted name (and backend class name), in UTF-8 bytes. */
  public static final int MAX_NAME_BYTES = 4096;
  /** Largest accepted task, in bytes. */
  public static final int MAX_TASK_BYTES = 1 << 30;

  /** Writes this frame and flushes. */
  public void writeTo(OutputStream os) throws IOException {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] b = backend.getBytes(StandardCharsets.UTF_8);
    DataOutputStream out = new DataOutputStream(os);
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeInt((daemon ? FLAG_DAEMON : 0) | (direct ? FLAG_DIRECT : 0));
    writeField(out, n);
    writeField(out, b);
    writeField(out, task);
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
      String backend = new String(readField(in, "backend", 0, MAX_NAME_BYTES), StandardCharsets.UTF_8);
      byte[] task = readField(in, "task", 1, MAX_TASK_BYTES);
      return new TaskFrame((flags & FLAG_DAEMON) != 0, (flags & FLAG_DIRECT) != 0, name, backend, task);
    } catch (EOFException e) {
      throw new EOFException("task frame truncated: the parent closed the pipe mid-frame (" + e.getMessage() + ")");
    }
  }
}
