package dev.ipckit;

import dev.ipckit.spi.Deadline;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;

/**
 * A {@link Condition} of an {@link IpcLock}, shared with every process that opens the same lock (Python's
 * {@code multiprocessing.Condition}), with Python's predicate wait: {@link #waitFor(BooleanSupplier, Duration)}
 * is {@code wait_for(predicate, timeout)}.
 *
 * <p>All conditions of one lock share one signal (see {@link IpcLock}): a waiter may wake without its predicate
 * being true, which is why a predicate wait re-checks it; a plain {@link #await()} should be in such a loop too.
 */
public interface IpcCondition extends Condition {
  /**
   * Waits, holding the lock, until {@code predicate} is true: checks it, and while it is false waits for a
   * signal (releasing the lock meanwhile) and checks it again, until {@code timeout} has passed.
   *
   * @param predicate what to wait for; called with the lock held
   * @param timeout   how long to wait at most; zero or negative checks once
   * @return the predicate's last value: {@code false} only if the time ran out first
   * @throws InterruptedException         if the thread is interrupted while waiting (the lock is held again)
   * @throws IllegalMonitorStateException if the current thread does not hold the lock
   */
  default boolean waitFor(BooleanSupplier predicate, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(predicate, "predicate");
    long deadline = Deadline.after(Deadline.nanos(Objects.requireNonNull(timeout, "timeout")));
    while (!predicate.getAsBoolean()) {
      long left = Deadline.remaining(deadline);
      if (left <= 0) {
        return false;
      }
      awaitNanos(left);
    }
    return true;
  }

  /**
   * Waits, holding the lock, until {@code predicate} is true, however long that takes.
   *
   * @param predicate what to wait for; called with the lock held
   * @throws InterruptedException         if the thread is interrupted while waiting (the lock is held again)
   * @throws IllegalMonitorStateException if the current thread does not hold the lock
   */
  default void waitFor(BooleanSupplier predicate) throws InterruptedException {
    Objects.requireNonNull(predicate, "predicate");
    while (!predicate.getAsBoolean()) {
      await();
    }
  }

  /** The same as {@link #waitFor(BooleanSupplier, Duration)} with the timeout in {@code unit}s. */
  default boolean waitFor(BooleanSupplier predicate, long timeout, TimeUnit unit) throws InterruptedException {
    return waitFor(predicate, Duration.ofNanos(unit.toNanos(timeout)));
  }
}
