package dev.ipckit.redis;

import dev.ipckit.spi.Deadline;
import dev.ipckit.spi.SignalCondition;
import java.util.Objects;

/**
 * {@code newCondition()} of {@link RedisLock}: a condition that waiters and signallers in any process share through
 * the lock hash's signal count {@code s}.
 *
 * <p>{@code await} releases every hold of the lock (all of an {@code rlock}'s) and reads the signal count in one
 * script, waits in the one wait loop ({@link RedisHandle#await}) until the count differs, then takes the lock
 * again, however long that takes, and restores the hold count. {@code signal} and {@code signalAll} add one to the
 * count and publish on the lock's key; both require the lock, so a signal can never fall between a waiter's read
 * and its wait.
 *
 * <p>Every waiter on any condition of the same named lock sees every signal: {@code signal()} wakes them all, and
 * those whose predicate is still false wait again, as {@link java.util.concurrent.locks.Condition} allows. A
 * waiter killed while waiting holds nothing; a waiter that takes the lock back from a holder that died meanwhile
 * sees {@link RedisLock#ownerDied()}.
 */
final class RedisCondition implements SignalCondition {
  private final RedisLock lock;

  RedisCondition(RedisLock lock) {
    this.lock = lock;
  }

  @Override
  public void awaitUninterruptibly() {
    int[] holds = new int[1];
    String seen = lock.releaseForAwait(holds);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          lock.await(Deadline.FOREVER, () -> signalled(seen));
          break;
        } catch (InterruptedException e) {
          interrupted = true;                    // keep waiting; the status is restored below
        }
      }
    } finally {
      lock.acquireUninterruptibly(holds[0]);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void signalAll() {
    lock.signalConditions();
  }

  /**
   * The one wait: true when signalled, false when {@code nanos} passed first. The lock is held again on every
   * return and on every throw but a closed handle's.
   */
  @Override
  public boolean awaitSignal(long nanos) throws InterruptedException {
    lock.checkHeld("await");
    if (Thread.interrupted()) {
      throw new InterruptedException();          // before releasing anything, as AbstractQueuedSynchronizer does
    }
    int[] holds = new int[1];
    String seen = lock.releaseForAwait(holds);
    try {
      return lock.await(nanos, () -> signalled(seen)) != null;
    } finally {
      lock.acquireUninterruptibly(holds[0]);
    }
  }

  /** TRUE once the signal count differs from {@code seen}, else null (wait on). */
  private Boolean signalled(String seen) {
    return Objects.equals(lock.signalCount(), seen) ? null : Boolean.TRUE;
  }
}
