package dev.ipckit;

import java.io.Serializable;

/**
 * Two connected ends, as Python's {@code multiprocessing.Pipe(duplex)}. With {@code duplex == false},
 * {@link #left()} only receives and {@link #right()} only sends.
 *
 * <p>A pipe is created by {@link Ipc#pipe(String, boolean, Codec)}; every process that opens the same name, with
 * the same duplex flag, in the same namespace reaches the same two ends (another flag is refused with an
 * {@link IllegalArgumentException}). Each end is a {@link Connection}: hand one end to another process (capture it
 * in a {@link Task}, or open the pipe there by name) and keep the other. An end is used by one process at a time;
 * see {@link Connection} for who owns an end, and for what each call does.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads (see the
 * <a href="package-summary.html#Handles">package summary</a>); each message is sent and received whole.
 *
 * <p><b>Memory consistency effects.</b> Actions in a thread prior to sending a message on one end of a
 * {@code Pipe} happen-before actions subsequent to the receipt of that message from the other end, in another
 * thread of this or any other process that opens the same namespace. Messages are received in the order they were
 * sent. See the <a href="package-summary.html#MemoryVisibility">package summary</a> for the general rule.
 *
 * <p><b>Peer death.</b> When the process that owns one end dies (see
 * <a href="package-summary.html#PeerDeath">peer death</a>), a receive at the other end throws
 * {@link java.io.EOFException} once every message the dead process had completely sent has been received; a
 * message it was still writing is never delivered. A send at the other end that waits for room in the dead
 * reader's ring throws {@link java.io.IOException}. Another process may then claim the dead process's end and
 * carry on from what is in the pipe. The details are in {@link Connection}.
 *
 * @param <E> the type of the messages
 */
public interface Pipe<E> extends Serializable, AutoCloseable {
  /**
   * Returns the left end of this pipe: in a half-duplex pipe, the end that only receives. Each call on this handle
   * returns the same connection.
   *
   * @return the left end
   * @throws IllegalStateException if this handle is closed
   */
  Connection<E> left();

  /**
   * Returns the right end of this pipe: in a half-duplex pipe, the end that only sends. Each call on this handle
   * returns the same connection.
   *
   * @return the right end
   * @throws IllegalStateException if this handle is closed
   */
  Connection<E> right();

  /**
   * Returns whether both ends send and receive.
   *
   * @return {@code true} for a duplex pipe; {@code false} when {@link #left()} only receives and {@link #right()}
   *     only sends
   */
  boolean duplex();

  /**
   * Returns the name of this pipe in its namespace.
   *
   * @return the name given to {@link Ipc#pipe(String, boolean, Codec)}
   */
  String name();

  /**
   * Closes this handle and the two connections obtained from it, as {@link Connection#close()} does for each: an
   * end that this JVM used through no other open connection is released, which its peer sees as end-of-file. The
   * pipe stays in the namespace. Closing twice is harmless.
   */
  @Override void close();
}
