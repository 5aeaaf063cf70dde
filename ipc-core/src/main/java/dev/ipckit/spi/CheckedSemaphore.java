package dev.ipckit.spi;

/**
 * A {@link PermitSemaphore} that is a {@link ClosableHandle}, whose {@link #tryAcquire(int)} and
 * {@link #release(int)} check their argument ({@link PermitSemaphore#checkPermits}) and the handle once, here, in
 * that order, take or return nothing for 0 permits, and hand any other number to the backend's
 * {@link #tryTakePermits} and {@link #releasePermits}, as the semaphores of both backends do.
 */
public interface CheckedSemaphore extends PermitSemaphore, ClosableHandle {
  /**
   * Takes {@code n} permits at once if they are there, without waiting.
   *
   * @param n the permits, at least 1, on an open handle
   * @return true if they were taken
   */
  boolean tryTakePermits(int n);

  /**
   * Returns {@code n} permits at once.
   *
   * @param n the permits, at least 1, on an open handle
   * @throws IllegalStateException if a bounded semaphore would exceed its bound
   */
  void releasePermits(int n);

  @Override
  default boolean tryAcquire(int permits) {
    PermitSemaphore.checkPermits(permits);
    checkOpen();
    return permits == 0 || tryTakePermits(permits);
  }

  @Override
  default void release(int permits) {
    PermitSemaphore.checkPermits(permits);
    checkOpen();
    if (permits != 0) {
      releasePermits(permits);
    }
  }
}
