package dev.ipckit.spi;

import dev.ipckit.Connection;
import dev.ipckit.Pipe;

/**
 * A backend's {@link Pipe} facade: a handle holding the pipe's two ends, which {@link #left()} and {@link #right()}
 * give out while the handle is open, as the pipes of both backends do.
 *
 * @param <E> the type of the messages
 */
public interface PipeHandle<E> extends Pipe<E>, ClosableHandle {
  /**
   * One of the pipe's two ends, whether or not the handle is open.
   *
   * @param end {@link Pipes#LEFT} or {@link Pipes#RIGHT}
   * @return that end
   */
  Connection<E> end(int end);

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
