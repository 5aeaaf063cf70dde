package dev.ipckit.spi;

import dev.ipckit.IpcSemaphore;
import java.util.concurrent.TimeUnit;

/**
 * An {@link IpcSemaphore} whose blocking acquisitions are one wait with a timeout in nanoseconds, {@link
 * #awaitPermits}, as the semaphores of both backends are; the argument check of every method that takes a number of
 * permits is {@link #checkPermits}.
 */
public interface PermitSemaphore extends IpcSemaphore {
  /**
   * The one wait: takes {@code n} permits at once, waiting at most {@code nanos} for them.
   *
   * @param n the permits, already checked ({@link #checkPermits}); 0 takes nothing, on an open handle
   * @param nanos the timeout in nanoseconds, saturated as {@link Deadline#nanos} gives it: {@link Deadline#FOREVER}
   *     waits without deadline
   * @return true if the permits were taken, false if the time passed first
   * @throws InterruptedException if interrupted, on entry or while waiting
   */
  boolean awaitPermits(int n, long nanos) throws InterruptedException;

  @Override
  default void acquire(int permits) throws InterruptedException {
    awaitPermits(checkPermits(permits), Deadline.FOREVER);
  }

  @Override
  default boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException {
    return awaitPermits(checkPermits(permits), Deadline.nanos(timeout, unit));
  }

  /**
   * Checks a number of permits given to a semaphore.
   *
   * @param permits the number
   * @return {@code permits}
   * @throws IllegalArgumentException if it is negative, with the value
   */
  static int checkPermits(int permits) {
    if (permits < 0) {
      throw new IllegalArgumentException("permits must not be negative: permits=" + permits);
    }
    return permits;
  }
}
