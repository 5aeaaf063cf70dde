package dev.ipckit.shm.wait;

import dev.ipckit.spi.Deadline;
import dev.ipckit.spi.Doorbell;

/**
 * The idle strategy behind every wait ({@link Waiter}): spin, then yield, then park with growing sleeps, in the
 * manner of Agrona's {@code BackoffIdleStrategy}. Its state is one of {@link State}; callers ask it questions
 * ({@link #pastSpinning()}, {@link #dueForProbe()}, {@link #checkpoint()}) and never count its steps.
 *
 * <p>A waiter in an active exchange finds its condition while spinning (tens of nanoseconds); one that waits
 * longer yields its core (these machines have two), for at least {@link Tuning#YIELDS} yields and
 * {@link Tuning#YIELD_MICROS} (300 µs): a park returns no sooner than about 50 µs later (Linux timer slack), so a
 * waiter whose peer answers within a few hundred microseconds (a pool worker's round trip) must not park yet.
 * Then it parks, for 1 µs, then twice as long each time up to {@link Tuning#MAX_PARK_MICROS} (2 ms). A waiter that
 * keeps waiting parks longer still: a tenth of the time it has already spent parked, up to
 * {@link Tuning#IDLE_PARK_MICROS} (20 ms). Java cannot wait on a futex, so a parked waiter notices a change only
 * when it wakes: about 50 µs at best; the rule above bounds the delay it adds to about 10 % of its wait, and keeps
 * a waiter blocked for seconds far under 2 % of a core (every wake-up of a parked thread costs tens of
 * microseconds of CPU on a virtual machine: waking every 2 ms alone costs about 3 % of a core there, every 20 ms
 * well under 1 %). Before a park of at least {@link Bell#MIN_PARK_NANOS} it announces itself in the waited-for
 * object's {@link SleepWord}, so that a change rings the namespace's bell and ends the park at once.
 *
 * <p><b>Not thread-safe</b>: one instance per waiting call.
 */
public final class Backoff {
  /** Where a waiter is in its progression. */
  enum State {
    /** Not idle yet: the condition has not been missed once. */
    NOT_IDLE,
    /** Busy-waiting with {@link Thread#onSpinWait()}. */
    SPINNING,
    /** Giving the core away with {@link Thread#yield()}. */
    YIELDING,
    /** Parking, longer each time. */
    PARKING
  }

  /** While spinning, a waiter looks at the clock, interrupts and closes once every this many steps. */
  private static final int CHECK_EVERY = 16;
  /** While yielding, a waiter asks whether a holder is alive once every this many steps (a system call each). */
  private static final int PROBE_EVERY = 16;
  private static final long MIN_PARK_NANOS = 1_000;

  private final int spins;
  private final int yields = Tuning.YIELDS.getInt();
  private final long yieldNanos = Tuning.YIELD_MICROS.nanos();
  private final long maxParkNanos = Tuning.MAX_PARK_MICROS.nanos();
  private final long idleParkNanos = Math.max(maxParkNanos, Tuning.IDLE_PARK_MICROS.nanos());
  private final SleepWord sleepWord;

  private State state = State.NOT_IDLE;
  private int step;
  /** {@link System#nanoTime()} of the first yield. */
  private long yieldingSince;
  private long park = MIN_PARK_NANOS;
  /** {@link System#nanoTime()} of the first park of {@link #maxParkNanos} or longer; 0 before it. */
  private long parkedSince;
  private boolean listening;
  /** True when this JVM cannot listen to the bell: parks are then never announced. */
  private boolean deaf;

  /**
   * A waiter that spins {@code spins} steps before yielding and announces its long parks in {@code sleepWord}
   * (null: none).
   */
  Backoff(int spins, SleepWord sleepWord) {
    this.spins = spins;
    this.sleepWord = sleepWord != null && Tuning.BELL.get() ? sleepWord : null;
  }

  /** True once spinning is over: time to look at costlier things, such as an owner's liveness. */
  boolean pastSpinning() {
    return state == State.YIELDING || state == State.PARKING;
  }

  /** True once the waiter parks. */
  boolean parking() {
    return state == State.PARKING;
  }

  /** The length of the next park, once parking: wake-ups come this far apart. */
  long nextParkNanos() {
    return park;
  }

  /**
   * Whether to look now at what is costly to look at often (the clock, interrupts, a closed flag): every
   * {@value #CHECK_EVERY} steps while spinning, at every step after.
   */
  boolean checkpoint() {
    return pastSpinning() || step % CHECK_EVERY == 0;
  }

  /**
   * Whether a waiter should ask now if the holder it waits for is alive: never while spinning, every
   * {@value #PROBE_EVERY} steps while yielding, at every wake-up once parking.
   */
  boolean dueForProbe() {
    return state == State.PARKING || state == State.YIELDING && step % PROBE_EVERY == 0;
  }

  /** Waits a little; longer each time. */
  void idle() {
    switch (advance()) {
      case SPINNING:
        Thread.onSpinWait();
        break;
      case YIELDING:
        Thread.yield();
        break;
      default:
        parkFor(park);
        break;
    }
  }

  /** Waits a little but, once parking, not past {@code deadline} ({@link System#nanoTime()} scale). */
  void idle(long deadline) {
    if (state == State.PARKING) {
      long left = Deadline.remaining(deadline);
      if (left > 0) {
        step++;
        parkFor(Math.min(park, left));
      }
    } else {
      idle();
    }
  }

  /** Counts a step and moves to the state it belongs to. */
  private State advance() {
    int s = step;
    if (s < Integer.MAX_VALUE) {
      step = s + 1;
    }
    if (state == State.PARKING) {
      return state;
    }
    if (s < spins) {
      state = State.SPINNING;
    } else if (state != State.YIELDING) {
      state = State.YIELDING;
      yieldingSince = System.nanoTime();
    } else if (s - spins >= yields && System.nanoTime() - yieldingSince >= yieldNanos) {
      state = State.PARKING;
    }
    return state;
  }

  /** One park of {@code nanos} (announced if long), then the next park's length. */
  private void parkFor(long nanos) {
    announceIfLong(nanos);
    Doorbell.parkNanos(nanos);
    park = nextPark(park);
  }

  /** The next park: doubling up to the longest short park, then a tenth of the time parked so far. */
  private long nextPark(long current) {
    if (current < maxParkNanos) {
      return Math.min(current << 1, maxParkNanos);
    }
    long now = System.nanoTime();
    if (parkedSince == 0L) {
      parkedSince = now;
      return current;
    }
    return Math.max(maxParkNanos, Math.min((now - parkedSince) / 10, idleParkNanos));
  }

  /**
   * Before a park of {@code nanos}: if it is long, announce it. A change after the announcement rings the bell,
   * whose unpark ends the park, or makes it return at once if it comes first; a change between the caller's last
   * look and the announcement is seen at the end of the park, as without a bell.
   */
  private void announceIfLong(long nanos) {
    if (sleepWord == null || deaf || nanos < Bell.MIN_PARK_NANOS) {
      return;
    }
    if (!listening) {
      listening = sleepWord.listen();
      if (!listening) {
        deaf = true;
        return;
      }
    }
    sleepWord.announce(nanos);
  }
}
