package dev.ipckit.shm.lock;

import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.wait.SleepWord;
import dev.ipckit.spi.Deadline;
import dev.ipckit.spi.SignalCondition;
import java.nio.ByteBuffer;

/**
 * {@code newCondition()} of {@link ShmLock} and {@link ShmFileLock}: a condition that waiters and signallers in any
 * process share through the lock file's signal counter ({@link LockDescriptor#SIGNALS_OFFSET}).
 *
 * <p>{@code await} reads the counter while holding the lock, releases the lock completely (every hold of an
 * {@code rlock}), waits (the one wait loop) until the counter moves, then takes the lock again and restores the
 * hold count. {@code signal} and {@code signalAll} add one to the counter; both require the lock, so a signal
 * can never fall between a waiter's read and its wait.
 *
 * <p>Every waiter on any condition of the same named lock sees every signal: {@code signal()} wakes them all, and
 * all but one find their predicate still false and wait again. {@link java.util.concurrent.locks.Condition} permits such spurious wake-ups
 * and asks callers to wait in a loop; this keeps the shared state one word that a process killed at any instant
 * cannot corrupt. A waiter killed while waiting holds nothing; if the lock's holder dies, the waiter takes the
 * lock over when it wakes and {@code ownerDied()} says so.
 *
 * <p>Like the lock's own waiters, a condition waiter that has waited long may notice a signal up to one park
 * (at most 20 ms) late.
 */
final class ShmCondition implements SignalCondition {
  /** What a lock provides to its conditions. */
  interface Owner {
    /** Releases every hold of the current thread and returns their number; IllegalMonitorStateException if none. */
    int releaseForAwait();

    /** Takes the lock again, uninterruptibly, with {@code holds} holds. */
    void reacquireAfterAwait(int holds);

    boolean isHeldByCurrentThread();
  }

  private final LockHandle lock;
  private final ByteBuffer buf;
  private final int signals;
  private final SleepWord sleep;

  ShmCondition(LockHandle lock, LockState st) {
    this.lock = lock;
    this.buf = st.buf;
    this.signals = st.signalsAt;
    this.sleep = st.sleep;
  }

  @Override
  public void awaitUninterruptibly() {
    long seen = begin();
    int holds = lock.releaseForAwait();
    boolean interrupted = false;
    try {
      for (;;) {
        try {
          lock.awaitCondition(() -> signals() != seen, sleep, Deadline.FOREVER);
          break;
        } catch (InterruptedException e) {
          interrupted = true;               // keep waiting; the status is restored below
        }
      }
    } finally {
      lock.reacquireAfterAwait(holds);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void signalAll() {
    lock.checkOpen();
    if (!lock.isHeldByCurrentThread()) {
      throw notHeld("signal");
    }
    Mem.LONG.getAndAdd(buf, signals, 1L);         // volatile: waiters see it with their next poll
    sleep.wake();
  }

  /**
   * The one wait: true when signalled, false when {@code nanos} passed first. The lock is held again on every
   * return and every throw.
   */
  @Override
  public boolean awaitSignal(long nanos) throws InterruptedException {
    long seen = begin();
    if (Thread.interrupted()) {
      throw new InterruptedException();            // before releasing anything, as AbstractQueuedSynchronizer does
    }
    int holds = lock.releaseForAwait();
    try {
      return lock.awaitCondition(() -> signals() != seen, sleep, nanos);
    } finally {
      lock.reacquireAfterAwait(holds);
    }
  }

  /** Checks that the caller may wait and reads the counter it waits to move. */
  private long begin() {
    lock.checkOpen();
    if (!lock.isHeldByCurrentThread()) {
      throw notHeld("await");
    }
    return signals();
  }

  private long signals() {
    return (long) Mem.LONG.getAcquire(buf, signals);
  }

  private IllegalMonitorStateException notHeld(String what) {
    return new IllegalMonitorStateException("cannot " + what + " a condition of " + lock
        + ": the lock is not held by this thread (" + Thread.currentThread().getName() + ")");
  }
}
