package dev.ipckit.spi;

/**
 * A {@link Handle} that refuses to be used once it, or the namespace it lives in, is closed: what the default
 * methods of the interfaces a backend's handles implement ({@link TimedQueue}, {@link PipeHandle},
 * {@link CellArrayHandle}, {@link CheckedSemaphore}) check before they touch the object.
 */
public interface ClosableHandle extends Handle {
  /**
   * Checks that the handle may be used.
   *
   * @throws IllegalStateException naming the object, if this handle or its namespace is closed
   */
  void checkOpen();
}
