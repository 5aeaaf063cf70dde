package dev.ipckit.spi;

import dev.ipckit.Codec;
import dev.ipckit.Connection;
import dev.ipckit.DecodeException;
import dev.ipckit.IpcException;
import dev.ipckit.Pipe;

/**
 * What every backend's {@link Pipe} and {@link Connection} write the same way: the numbers a pipe's
 * {@link HandleRef} carries in its {@code arg} and their check on reopening, a message's encoding and decoding, the
 * refusal of a call the end of a half-duplex pipe cannot make, and the descriptions ({@code toString()}) of a pipe
 * and of an end. Backends keep their own protocol and waiting; these are the parts around them, so that every
 * backend's pipe says the same things.
 *
 * <p><b>Thread safety.</b> Stateless: every method is a function of its arguments.
 */
public final class Pipes {
  /** The {@code arg} of a reference to a pipe's left end: in a half-duplex pipe, the end that only receives. */
  public static final int LEFT = 0;
  /** The {@code arg} of a reference to a pipe's right end: in a half-duplex pipe, the end that only sends. */
  public static final int RIGHT = 1;
  /** The {@code arg} of a reference to a whole pipe (both ends). */
  public static final long WHOLE = 2;

  private Pipes() {
  }

  /** {@code "left"} or {@code "right"}, for {@link #LEFT} and {@link #RIGHT}. */
  public static String endName(int end) {
    return end == LEFT ? "left" : "right";
  }

  /**
   * The {@code arg} of a deserialized pipe reference, checked: {@link #WHOLE}, {@link #LEFT} or {@link #RIGHT}; the
   * reference carries a codec.
   *
   * @param where the namespace, as the backend names it in messages
   * @throws IpcException naming the pipe, if the reference has no codec or names no end
   */
  public static long checkRef(HandleRef ref, Object where) {
    if (ref.codec() == null) {
      throw new IpcException("a handle of pipe \"" + ref.name() + "\" in " + where + " carries no codec");
    }
    long arg = ref.arg();
    if (arg != WHOLE && arg != LEFT && arg != RIGHT) {
      throw new IpcException("a handle of pipe \"" + ref.name() + "\" in " + where + " names end " + arg
          + "; ends are 0 (left) and 1 (right)");
    }
    return arg;
  }

  /**
   * The bytes {@code codec} makes of {@code message}, for a send.
   *
   * @throws NullPointerException if the codec returns null
   */
  public static <E> byte[] encode(Codec<E> codec, E message) {
    byte[] b = codec.encode(message);
    if (b == null) {
      throw new NullPointerException("codec " + codec + " encoded a " + message.getClass().getName() + " as null");
    }
    return b;
  }

  /**
   * The message {@code codec} reads from {@code b}, received on the connection {@code on}.
   *
   * @throws DecodeException carrying {@code b} if the codec throws or returns null (the connection stays usable)
   */
  public static <E> E decode(Codec<E> codec, byte[] b, Connection<?> on) {
    E e;
    try {
      e = codec.decode(b, 0, b.length);
    } catch (RuntimeException ex) {
      throw new DecodeException("cannot decode a message of " + b.length + " bytes received on " + on + " with "
          + codec + ": " + ex + " (its bytes are in this exception; the connection stays usable)", b, ex);
    }
    if (e == null) {
      throw new DecodeException(codec + " decoded a message of " + b.length + " bytes received on " + on
          + " as null (its bytes are in this exception)", b, null);
    }
    return e;
  }

  /** What names a pipe in messages: {@code pipe "name" in where}. */
  public static String label(String name, Object where) {
    return "pipe \"" + name + "\" in " + where;
  }

  /** What a send on the left end of the half-duplex pipe {@code label} throws. */
  public static IllegalStateException receiveOnly(String label) {
    return new IllegalStateException("the left end of half-duplex " + label
        + " only receives: send from the right end (or create the pipe with duplex=true)");
  }

  /** What the receiving call {@code op} ({@code recv}, {@code poll}, ...) on the right end of {@code label} throws. */
  public static IllegalStateException sendOnly(String label, String op) {
    return new IllegalStateException("the right end of half-duplex " + label + " only sends: " + op
        + " on the left end (or create the pipe with duplex=true)");
  }

  /** A pipe's {@code toString()}: {@code Pipe["name" in where, duplex]}, {@code , closed} once closed. */
  public static String describe(String name, Object where, boolean duplex, boolean closed) {
    return "Pipe[\"" + name + "\" in " + where + (duplex ? ", duplex" : ", half-duplex")
        + (closed ? ", closed]" : "]");
  }

  /**
   * An end's {@code toString()}: {@code Connection[left end of duplex pipe "name" in where]}, {@code , closed} once
   * closed; {@code label} as {@link #label}.
   */
  public static String describeEnd(int end, boolean duplex, String label, boolean closed) {
    return "Connection[" + endName(end) + " end of " + (duplex ? "duplex " : "half-duplex ") + label
        + (closed ? ", closed]" : "]");
  }
}
