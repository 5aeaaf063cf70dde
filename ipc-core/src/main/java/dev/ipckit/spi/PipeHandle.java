package dev.ipckit.spi;

import dev.ipckit.Connection;
import dev.ipckit.Pipe;

/**
 * A backend's {@link Pipe} facade: a handle holding the pipe's two ends and its duplex flag ({@link PipeEnds}), which
 * gives the ends out by {@link #left()} and {@link #right()} while it is open, as the pipes of both backends do.
 *
 * @param <E> the type of the messages
 */
public interface PipeHandle<E> extends Pipe<E>, ClosableHandle {
  /**
   * The pipe's two ends and its duplex flag, whether or not the handle is open.
   *
   * @return what the handle holds
   */
  PipeEnds<E> ends();

  /**
   * One of the pipe's two ends, whether or not the handle is open.
   *
   * @param end {@link Pipes#LEFT} or {@link Pipes#RIGHT}
   * @return that end
   */
  default Connection<E> end(int end) {
    return ends().end(end);
  }

  @Override
  default boolean duplex() {
    return ends().duplex();
  }

  @Override
  default Connection<E> left() {
    checkOpen();
    return end(Pipes.LEFT);
  }

  @Override
  default Connection<E> right() {
    checkOpen();
    return end(Pipes.RIGHT);
  }
}
