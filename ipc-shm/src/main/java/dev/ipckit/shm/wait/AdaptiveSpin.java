package dev.ipckit.shm.wait;

/**
 * Spinning that adapts to the other side, on top of {@link Backoff}: when the last wait of this kind was short
 * (the other side is actively exchanging), the next wait spins for twice that long (at least 10 µs, at most
 * {@link Tuning#QUEUE_MAX_SPIN_MICROS}) before backing off, yielding once every
 * {@link Tuning#QUEUE_SPINS_PER_YIELD} steps so that a spinning waiter on an oversubscribed machine lets the thread
 * it waits for run. Without it, two processes that once both fell asleep keep waking each other at the park
 * granularity (50-100 µs) on a loaded machine; a waiter whose last wait was long (1 ms or more: idle) spins no
 * longer than {@link Backoff} does, so it stays far under 2 % of a core.
 *
 * <p>One instance per side of an object per JVM (a queue's producers, its consumers). <b>Thread safety.</b> Safe
 * for any number of threads: the last wait is a volatile field, and a race between two waiters only picks one
 * of their durations.
 */
public final class AdaptiveSpin {
  static final long MIN_SPIN_NANOS = 10_000;
  /** A previous wait shorter than this means an active exchange. */
  static final long ACTIVE_WAIT_NANOS = 1_000_000;

  private final long maxSpinNanos = Tuning.QUEUE_MAX_SPIN_MICROS.nanos();
  private final int spinsPerYield = Tuning.QUEUE_SPINS_PER_YIELD.getInt();
  /** How long the last successful wait lasted. */
  private volatile long lastWaitNanos = Long.MAX_VALUE;

  /** How long the next wait spins before it backs off: twice the last wait if that was short, else 0. */
  long budget() {
    return budget(lastWaitNanos, maxSpinNanos);
  }

  static long budget(long lastWait, long maxSpinNanos) {
    return lastWait >= ACTIVE_WAIT_NANOS ? 0L : Math.max(MIN_SPIN_NANOS, Math.min(maxSpinNanos, 2 * lastWait));
  }

  /** One step of the adaptive spin: mostly a busy-wait hint, a yield every few steps. */
  void spin(int step) {
    if (step % spinsPerYield == 0) {
      Thread.yield();
    } else {
      Thread.onSpinWait();
    }
  }

  /** A wait ended after {@code nanos}. */
  void waited(long nanos) {
    lastWaitNanos = nanos;
  }
}
