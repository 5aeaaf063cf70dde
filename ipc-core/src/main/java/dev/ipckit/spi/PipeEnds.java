package dev.ipckit.spi;

import dev.ipckit.Connection;

/**
 * The two ends of a pipe and its duplex flag: what a {@link PipeHandle} holds, whichever backend made the ends.
 * {@link PipeHandle#end} and {@link PipeHandle#duplex} read it; closing the pipe closes both ends through it.
 *
 * @param left the left end ({@link Pipes#LEFT}): in a half-duplex pipe, the end that only receives
 * @param right the right end ({@link Pipes#RIGHT}): in a half-duplex pipe, the end that only sends
 * @param duplex whether both ends send and receive
 * @param <E> the type of the messages
 */
public record PipeEnds<E>(Connection<E> left, Connection<E> right, boolean duplex) {
  /**
   * One of the two ends.
   *
   * @param end {@link Pipes#LEFT} or {@link Pipes#RIGHT}
   * @return that end
   */
  public Connection<E> end(int end) {
    return end == Pipes.LEFT ? left : right;
  }

  /** Closes both ends, the left one first. */
  public void close() {
    left.close();
    right.close();
  }
}
