package dev.ipckit.shm;

import java.util.concurrent.locks.LockSupport;

/**
 * The one idle strategy every blocking call uses: spin, then yield, then park with growing sleeps.
 *
 * <p>A waiter in an active exchange finds its condition while spinning (tens of nanoseconds); one that waits
 * longer gives the core away (these machines have two) and ends up parked for at most {@link #MAX_PARK_NANOS},
 * which keeps an idle waiter far under 2 % of a core. Java cannot wait on a futex, so a parked waiter notices a
 * change only when it wakes: about 50 µs at best (Linux timer slack), {@code MAX_PARK_NANOS} at worst.
 *
 * <p>Tuning by system property: {@code ipckit.spins}, {@code ipckit.yields}, {@code ipckit.maxParkMicros}.
 *
 * <p><b>Not thread-safe</b>: one instance per waiting call.
 */
final class Backoff {
  static final int SPINS = Integer.getInteger("ipckit.spins", 2_000);
  static final int YIELDS = Integer.getInteger("ipckit.yields", 100);
  static final long MIN_PARK_NANOS = 1_000;
  static final long MAX_PARK_NANOS = Long.getLong("ipckit.maxParkMicros", 2_000L) * 1_000;

  private final int spins;
  private int step;
  private long park = MIN_PARK_NANOS;

  Backoff() {
    this(SPINS);
  }

  /**
   * A waiter that spins {@code spins} times before yielding. A party to a fast exchange (a pipe) spins for
   * longer than a park takes to wake, so that two peers that both fell back to parking meet again while
   * spinning.
   */
  Backoff(int spins) {
    this.spins = spins;
  }

  void reset() {
    step = 0;
    park = MIN_PARK_NANOS;
  }

  /** True once spinning is over: time to look at costlier things, such as an owner's liveness. */
  boolean pastSpinning() {
    return step >= spins;
  }

  /** True once the waiter parks. */
  boolean parking() {
    return step >= spins + YIELDS;
  }

  int step() {
    return step;
  }

  /** Waits a little; longer each time. */
  void idle() {
    int s = step;
    if (s < spins) {
      Thread.onSpinWait();
    } else if (s < spins + YIELDS) {
      Thread.yield();
    } else {
      LockSupport.parkNanos(park);
      park = Math.min(park << 1, MAX_PARK_NANOS);
    }
    if (s < Integer.MAX_VALUE) {
      step = s + 1;
    }
  }

  /** Waits a little but not past {@code deadline} ({@link System#nanoTime()} scale). */
  void idle(long deadline) {
    if (step >= spins + YIELDS) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      LockSupport.parkNanos(Math.min(park, left));
      park = Math.min(park << 1, MAX_PARK_NANOS);
      step++;
    } else {
      idle();
    }
  }
}
