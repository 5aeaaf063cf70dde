package dev.ipckit.shm;

import dev.ipckit.spi.Doorbell;
import java.nio.ByteBuffer;

/**
 * The one idle strategy every blocking call uses: spin, then yield, then park with growing sleeps.
 *
 * <p>A waiter in an active exchange finds its condition while spinning (tens of nanoseconds); one that waits
 * longer yields its core (these machines have two), for at least {@link #YIELDS} yields and
 * {@link #YIELD_NANOS} (300 µs): a park returns no sooner than about 50 µs later (Linux timer slack), so a waiter
 * whose peer answers within a few hundred microseconds (a pool worker's round trip) must not park yet. Then it
 * parks, for 1 µs, then twice as long each time up to
 * {@link #MAX_PARK_NANOS} (2 ms). A waiter that keeps waiting parks longer still: a tenth of the time it has
 * already spent parked, up to {@link #IDLE_PARK_NANOS} (20 ms). Java cannot wait on a futex, so a parked waiter
 * notices a change only when it wakes: about 50 µs at best (Linux timer slack); the rule above bounds the delay
 * it adds to about 10 % of its wait, and keeps a waiter blocked for seconds far under 2 % of a core (every
 * wake-up of a parked thread costs tens of microseconds of CPU on a virtual machine: waking every 2 ms alone
 * costs about 3 % of a core there, every 20 ms well under 1 %).
 *
 * <p>Tuning by system property: {@code ipckit.spins}, {@code ipckit.yields}, {@code ipckit.yieldMicros},
 * {@code ipckit.maxParkMicros}, {@code ipckit.idleParkMicros}.
 *
 * <p><b>Not thread-safe</b>: one instance per waiting call.
 */
final class Backoff {
  static final int SPINS = Integer.getInteger("ipckit.spins", 2_000);
  static final int YIELDS = Integer.getInteger("ipckit.yields", 100);
  static final long YIELD_NANOS = Long.getLong("ipckit.yieldMicros", 300L) * 1_000;
  static final long MIN_PARK_NANOS = 1_000;
  static final long MAX_PARK_NANOS = Long.getLong("ipckit.maxParkMicros", 2_000L) * 1_000;
  static final long IDLE_PARK_NANOS = Math.max(MAX_PARK_NANOS,
      Long.getLong("ipckit.idleParkMicros", 20_000L) * 1_000);

  private final int spins;
  private int step;
  /** {@link System#nanoTime()} of the first yield; 0 before it. */
  private long yieldingSince;
  /** True once yielding is over: every further wait parks. */
  private boolean parked;
  private long park = MIN_PARK_NANOS;
  /** {@link System#nanoTime()} of the first park; 0 before it. */
  private long parkedSince;
  /** The waited-for object's sleep word ({@link Bell}); {@code sleepAt < 0} when none or the bell is off. */
  private ShmNamespace sleepNs;
  private ByteBuffer sleepBuf;
  private int sleepAt = -1;
  private boolean listening;

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

  /**
   * Announces this waiter in the sleep word at {@code at} of {@code buf} before its long parks, so that a process
   * that changes the object rings the namespace's {@link Bell} and wakes it at once.
   */
  Backoff sleepWord(ShmNamespace ns, ByteBuffer buf, int at) {
    if (Bell.ENABLED) {
      this.sleepNs = ns;
      this.sleepBuf = buf;
      this.sleepAt = at;
    }
    return this;
  }

  /**
   * Before a park of {@code nanos}: if it is long, announce it. A change after the announcement rings the bell,
   * whose unpark ends the park, or makes it return at once if it comes first; a change between the caller's last
   * look and the announcement is seen at the end of the park, as without a bell.
   */
  private void announceIfLong(long nanos) {
    if (sleepAt >= 0 && nanos >= Bell.MIN_PARK_NANOS) {
      if (!listening) {
        listening = sleepNs.listenToBell();
        if (!listening) {
          sleepAt = -1;
          return;
        }
      }
      Bell.announce(sleepBuf, sleepAt, nanos);
    }
  }

  void reset() {
    step = 0;
    yieldingSince = 0L;
    parked = false;
    park = MIN_PARK_NANOS;
    parkedSince = 0L;
  }

  /** The next park: doubling up to MAX_PARK_NANOS, then a tenth of the time parked so far, up to IDLE_PARK_NANOS. */
  private long nextPark(long current) {
    if (current < MAX_PARK_NANOS) {
      return Math.min(current << 1, MAX_PARK_NANOS);
    }
    long now = System.nanoTime();
    if (parkedSince == 0L) {
      parkedSince = now;
      return current;
    }
    return Math.max(MAX_PARK_NANOS, Math.min((now - parkedSince) / 10, IDLE_PARK_NANOS));
  }

  /** True once spinning is over: time to look at costlier things, such as an owner's liveness. */
  boolean pastSpinning() {
    return step >= spins;
  }

  /** While yielding, a waiter checks a holder's liveness every this many steps (a system call each). */
  static final int PROBE_EVERY = 16;

  /**
   * Whether a waiter should ask the {@link Registry} now if the holder it waits for is alive: never while
   * spinning, every {@link #PROBE_EVERY} steps while yielding, at every wake-up once parking.
   */
  boolean dueForProbe() {
    return pastSpinning() && (parking() || step % PROBE_EVERY == 0);
  }

  /** True once the waiter parks. */
  boolean parking() {
    return parked;
  }

  /** Whether this step still yields: at least {@link #YIELDS} yields and {@link #YIELD_NANOS} since the first. */
  private boolean yielding(int s) {
    if (parked) {
      return false;
    }
    if (yieldingSince == 0L) {
      yieldingSince = System.nanoTime();
      return true;
    }
    if (s - spins < YIELDS || System.nanoTime() - yieldingSince < YIELD_NANOS) {
      return true;
    }
    parked = true;
    return false;
  }

  int step() {
    return step;
  }

  /** Waits a little; longer each time. */
  void idle() {
    int s = step;
    if (s < spins) {
      Thread.onSpinWait();
    } else if (yielding(s)) {
      Thread.yield();
    } else {
      parkFor(park);
    }
    if (s < Integer.MAX_VALUE) {
      step = s + 1;
    }
  }

  /** One park of {@code nanos} (announced if long), then the next park's length. */
  private void parkFor(long nanos) {
    announceIfLong(nanos);
    Doorbell.parkNanos(nanos);
    park = nextPark(park);
  }

  /** Waits a little but not past {@code deadline} ({@link System#nanoTime()} scale). */
  void idle(long deadline) {
    if (parked) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      parkFor(Math.min(park, left));
      step++;
    } else {
      idle();
    }
  }
}
