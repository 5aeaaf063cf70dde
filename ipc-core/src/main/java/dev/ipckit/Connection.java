package dev.ipckit;

import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;

/**
 * One end of a {@link Pipe}, as Python's {@code multiprocessing.connection.Connection}: {@link #send} and
 * {@link #recv} go through the pipe's {@link Codec}, {@link #sendBytes} and {@link #recvBytes} carry raw bytes, and
 * {@link #poll(Duration)} waits for something to receive. Messages arrive whole and in the order they were sent, and
 * may be of any size: a large one is streamed in parts through the ring into the peer (1 MiB in the shared-memory
 * backend). A send waits while that ring is full. With a half-duplex pipe, the left end only receives and the right
 * end only sends: the other calls throw {@link IllegalStateException}.
 *
 * <p><b>One owner process per end.</b> An end is claimed by the process that receives the connection from another
 * JVM (deserializes it: captured by a {@link Task}, say), or else by the first {@code send}, receive or
 * {@code poll} through it. While that process lives, another process that tries to use the end gets an
 * {@link IllegalStateException} naming the pipe, the end and the owner's pid. An end that its owner
 * {@linkplain #close() released}, or whose owner died, is claimed by the next process that uses it.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads of the owning process: concurrent sends are serialised,
 * as are concurrent receives, so each message is written and read whole; on a duplex end one thread may send while
 * another receives.
 *
 * <p><b>Memory consistency effects.</b> Actions in a thread prior to sending a message ({@code send},
 * {@code sendBytes}) happen-before actions subsequent to the {@code recv} or {@code recvBytes} that returns that
 * message at the other end, in another thread of this or any other process that opens the same namespace. See the
 * <a href="package-summary.html#MemoryVisibility">package summary</a> for the general rule.
 *
 * <p><b>Peer death.</b> The peer's liveness comes from the kernel (see
 * <a href="package-summary.html#PeerDeath">peer death</a>); a process that exits without closing its end counts as
 * dead.
 * <ul>
 *   <li><b>End of file.</b> {@link #recv()} and {@link #recvBytes()} throw {@link EOFException} once the peer end
 *   has been closed, or its owner process has died, and every message it had completely sent has been received. A
 *   receiver blocked when the peer dies sees end-of-file within a few milliseconds. A message that the dead peer had
 *   only partly written is discarded, never delivered.
 *   <li><b>Broken pipe.</b> {@link #send} and {@link #sendBytes} throw {@link IOException} when the peer end has
 *   been closed, or when its owner process is found dead while the send waits for room in the ring; they never hang
 *   on a dead reader. A message sent while the ring still has room is kept there for the next process that claims
 *   the peer end.
 *   <li>A send that fails part-way through a long message (an {@code IOException} or an interrupt) delivers no part
 *   of it: the reader discards what arrived.
 *   <li>Only a process that has claimed an end can be seen to die. While the peer end has never been claimed (it was
 *   created here and neither handed to nor used by another process), a receive waits and a send into a full ring
 *   waits; use {@link #poll(Duration)} with a timeout in that case.
 * </ul>
 *
 * @param <E> the type of the messages
 */
public interface Connection<E> extends Serializable, AutoCloseable {
  /**
   * Sends a message to the other end, encoded with the pipe's codec, waiting while the ring into the peer has no
   * room for it (or for its next part). A {@link RuntimeException} thrown by the codec propagates, and nothing is
   * sent.
   *
   * @param message the message
   * @throws NullPointerException if {@code message} is {@code null}, or the codec encodes it as {@code null}
   * @throws IOException if the peer end is closed, or its owner process is found dead while this waits for room
   * @throws InterruptedException if the current thread is interrupted while waiting; a message interrupted part-way
   *     through is discarded by the reader
   * @throws IllegalStateException if this connection is closed, if this end only receives (the left end of a
   *     half-duplex pipe), or if another live process owns this end
   */
  void send(E message) throws IOException, InterruptedException;

  /**
   * Receives the next message, decoded with the pipe's codec, waiting until one arrives.
   *
   * @return the next message, never {@code null}
   * @throws EOFException if the peer end has been closed, or its owner process has died, and every message it sent
   *     has been received
   * @throws DecodeException if the codec cannot decode the message, or decodes it as {@code null}: the message has
   *     been received, its bytes are in the exception ({@link DecodeException#bytes()}), and the connection stays
   *     usable
   * @throws IOException if the backend cannot receive for another reason (the shared-memory backend throws only
   *     {@code EOFException})
   * @throws InterruptedException if the current thread is interrupted while waiting
   * @throws IllegalStateException if this connection is closed, if this end only sends (the right end of a
   *     half-duplex pipe), or if another live process owns this end
   * @throws IpcException if the pipe's file is damaged (changed by something other than ipckit)
   */
  E recv() throws EOFException, IOException, InterruptedException;

  /**
   * Waits up to {@code timeout} for something to receive, as Python's {@code Connection.poll(timeout)}: a message,
   * or end-of-file. After {@code true}, {@link #recv()} returns without waiting for the peer to begin a message (a
   * long message still being streamed is complete once its remaining parts arrive), or throws
   * {@link EOFException}. Once the peer is gone, every call returns {@code true} at once.
   *
   * @param timeout how long to wait; zero or negative only looks, and a duration too long to count in nanoseconds
   *     waits without limit
   * @return {@code true} when a message (or the first part of one) or end-of-file is there to receive;
   *     {@code false} if the timeout elapsed first
   * @throws NullPointerException if {@code timeout} is {@code null}
   * @throws IOException if the backend cannot look for another reason (the shared-memory backend does not throw
   *     it)
   * @throws InterruptedException if the current thread is interrupted while waiting
   * @throws IllegalStateException if this connection is closed, if this end only sends, or if another live process
   *     owns this end
   */
  boolean poll(Duration timeout) throws IOException, InterruptedException;

  /**
   * Sends {@code b} as one message without the codec, as Python's {@code send_bytes}; otherwise as
   * {@link #send}. The bytes are copied before this returns: the array may be reused.
   *
   * @param b the bytes of the message, possibly none
   * @throws NullPointerException if {@code b} is {@code null}
   * @throws IOException if the peer end is closed, or its owner process is found dead while this waits for room
   * @throws InterruptedException if the current thread is interrupted while waiting; a message interrupted part-way
   *     through is discarded by the reader
   * @throws IllegalStateException if this connection is closed, if this end only receives, or if another live
   *     process owns this end
   */
  void sendBytes(byte[] b) throws IOException, InterruptedException;

  /**
   * Receives the next message as bytes, without the codec, as Python's {@code recv_bytes}; otherwise as
   * {@link #recv()}. A message sent with {@link #send} arrives as the codec's encoding of it.
   *
   * @return a new array holding the next message
   * @throws EOFException if the peer end has been closed, or its owner process has died, and every message it sent
   *     has been received
   * @throws IOException if the backend cannot receive for another reason (the shared-memory backend throws only
   *     {@code EOFException})
   * @throws InterruptedException if the current thread is interrupted while waiting
   * @throws IllegalStateException if this connection is closed, if this end only sends, or if another live process
   *     owns this end
   * @throws IpcException if the pipe's file is damaged (changed by something other than ipckit)
   */
  byte[] recvBytes() throws EOFException, IOException, InterruptedException;

  /**
   * Returns whether this end can receive. It does not depend on the peer, nor on whether this connection is open.
   *
   * @return {@code true} for both ends of a duplex pipe and for the left end of a half-duplex one
   */
  boolean readable();

  /**
   * Returns whether this end can send. It does not depend on the peer, nor on whether this connection is open.
   *
   * @return {@code true} for both ends of a duplex pipe and for the right end of a half-duplex one
   */
  boolean writable();

  /**
   * Closes this connection: using it afterwards is an {@link IllegalStateException}. When it is the last open
   * connection of this JVM that has used (or received) the end, the end is released: the peer's receives then throw
   * {@link EOFException} once they have drained what was sent, its sends throw {@link IOException}, and another
   * process may claim the end. A connection that never used its end releases nothing. Closing twice is harmless.
   */
  @Override void close();
}
