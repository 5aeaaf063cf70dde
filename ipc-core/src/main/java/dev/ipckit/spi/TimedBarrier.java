package dev.ipckit.spi;

import dev.ipckit.IpcBarrier;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An {@link IpcBarrier} whose timed and untimed {@code await} are one wait with a timeout in nanoseconds, {@link
 * #awaitNanos}, as the barriers of both backends are.
 */
public interface TimedBarrier extends IpcBarrier {
  /**
   * The one wait: arrives at the barrier and waits until it trips, breaks, or {@code nanos} have passed.
   *
   * @param nanos the timeout in nanoseconds, saturated as {@link Deadline#nanos} gives it: {@link Deadline#FOREVER}
   *     waits without deadline
   * @return the arrival index, as {@link IpcBarrier#await()} returns it
   * @throws InterruptedException if interrupted while waiting (the barrier is broken)
   * @throws BrokenBarrierException if the barrier is or becomes broken
   * @throws TimeoutException if the time passed first (the barrier is broken)
   */
  int awaitNanos(long nanos) throws InterruptedException, BrokenBarrierException, TimeoutException;

  @Override
  default int await() throws InterruptedException, BrokenBarrierException {
    try {
      return awaitNanos(Deadline.FOREVER);
    } catch (TimeoutException e) {
      throw new AssertionError("untimed await timed out", e);
    }
  }

  @Override
  default int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException,
      TimeoutException {
    return awaitNanos(Deadline.nanos(timeout, unit));
  }
}
