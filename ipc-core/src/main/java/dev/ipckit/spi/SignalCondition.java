package dev.ipckit.spi;

import dev.ipckit.IpcCondition;
import java.util.Date;
import java.util.concurrent.TimeUnit;

/**
 * An {@link IpcCondition} whose every timed and untimed {@code await} is one wait for a signal, {@link
 * #awaitSignal}, and whose {@code signal()} wakes every waiter ({@code signalAll()}), as the conditions of both
 * backends do: the shared count of signals makes each waiter wait for the count to move, so a single signal cannot
 * pick one waiter, and spurious wake-ups are allowed by {@link java.util.concurrent.locks.Condition}.
 */
public interface SignalCondition extends IpcCondition {
  /**
   * The one wait: releases the lock (every hold), waits until signalled or {@code nanos} have passed, takes the lock
   * again.
   *
   * @param nanos the timeout in nanoseconds, saturated as {@link Deadline#nanos} gives it: 0 does not wait, {@link
   *     Deadline#FOREVER} waits without deadline
   * @return true when signalled, false when the time passed first
   * @throws InterruptedException if interrupted, on entry or while waiting (the lock is held again)
   */
  boolean awaitSignal(long nanos) throws InterruptedException;

  @Override
  default void await() throws InterruptedException {
    awaitSignal(Deadline.FOREVER);
  }

  @Override
  default long awaitNanos(long nanosTimeout) throws InterruptedException {
    long deadline = Deadline.after(nanosTimeout);
    awaitSignal(Deadline.clamp(nanosTimeout));
    return Deadline.remaining(deadline);
  }

  @Override
  default boolean await(long time, TimeUnit unit) throws InterruptedException {
    return awaitSignal(Deadline.nanos(time, unit));
  }

  @Override
  default boolean awaitUntil(Date deadline) throws InterruptedException {
    return awaitSignal(Deadline.nanos(deadline.getTime() - System.currentTimeMillis(), TimeUnit.MILLISECONDS));
  }

  @Override
  default void signal() {
    signalAll();
  }
}
