package dev.ipckit.shm.wait;

import dev.ipckit.spi.Deadline;

/**
 * The one wait loop of the backend, behind every blocking call of every kind (locks, conditions, semaphores,
 * events, barriers, queues, pipes and the internal lock words), as {@code AbstractQueuedSynchronizer} has one
 * {@code acquire} behind every public variant.
 *
 * <p>A wait repeats {@link Until#ready()} with a {@link Backoff} (spin, yield, park) until it is true, and owns
 * every policy a blocking call needs, so that no call site has its own:
 * <ul>
 *   <li><b>timeouts</b>: a timeout in nanoseconds ({@link Deadline#nanos}); at most 0 looks and returns, from
 *   {@link Deadline#FOREVER} on there is no deadline. A wait that times out looks once more, liveness included,
 *   before it says {@link #TIMED_OUT}.</li>
 *   <li><b>interrupts</b>: an {@link Spec#interruptible() interruptible} wait returns {@link #INTERRUPTED} (the
 *   caller throws); an uninterruptible one keeps waiting and restores the interrupt status when it returns.</li>
 *   <li><b>closes and broken peers</b>: {@link Until#check()} runs at every {@link Backoff#checkpoint()}: it
 *   throws for a closed handle, or ends the wait for what the caller reports as a result (end of file).</li>
 *   <li><b>liveness</b>: {@link Until#probe()} (asking the kernel whether a holder lives: a system call) runs when
 *   {@link Backoff#dueForProbe()}, at most every {@link Spec#probeInterval} once parking.</li>
 *   <li><b>announcing a long wait</b> in the object's {@link SleepWord}, so that a ring ends a long park.</li>
 *   <li><b>the site's knobs</b>: how long to spin ({@link Spec#spins}), an exponential pause between polls while
 *   spinning ({@link Spec#pollPause}: a lock's holder keeps its cache line), adaptive spinning
 *   ({@link AdaptiveSpin}).</li>
 * </ul>
 *
 * <p>Everything is called on the waiting thread; the loop allocates one {@link Backoff} per wait that does not
 * succeed at its first look.
 */
public final class Waiter {
  /** The condition became true (or {@link Until#check()}/{@link Until#probe()} ended the wait). */
  public static final int READY = 1;
  /** The deadline passed first. */
  public static final int TIMED_OUT = 0;
  /** An interruptible wait was interrupted; the interrupt status is cleared. */
  public static final int INTERRUPTED = -1;

  private Waiter() {
  }

  /**
   * What a wait waits for. {@code X} is the checked exception a look may throw ({@link RuntimeException} when
   * none).
   */
  public interface Until<X extends Exception> {
    /** One cheap look, at every step: true ends the wait with {@link #READY}. */
    boolean ready() throws X;

    /**
     * A look at what ends a wait otherwise (a closed handle, a closed peer), at every checkpoint: throw to end it
     * with an exception, return true to end it with {@link #READY} (the caller knows why).
     */
    default boolean check() throws X {
      return false;
    }

    /** A costly look (is the holder alive? take over from the dead), when due: true ends the wait. */
    default boolean probe() throws X {
      return false;
    }
  }

  /** How one call site waits. Immutable; the tuning properties it names are read at the first wait. */
  public static final class Spec {
    /**
     * Once parking, a waiter asks whether the holder lives at most this often: a probe opens, locks and closes the
     * holder's liveness file (tens of microseconds of CPU on a virtual machine), and an idle waiter must stay far
     * under 2 % of a core; a death is still seen within this plus one park.
     */
    static final long PROBE_INTERVAL_NANOS = 5_000_000L;
    private static final Spec DEFAULT = new Spec(Tuning.SPINS, null, true, PROBE_INTERVAL_NANOS);

    private final Tuning.Property spins;
    private final Tuning.Property pollPause;
    private final boolean interruptible;
    private final long probeInterval;

    private Spec(Tuning.Property spins, Tuning.Property pollPause, boolean interruptible, long probeInterval) {
      this.spins = spins;
      this.pollPause = pollPause;
      this.interruptible = interruptible;
      this.probeInterval = probeInterval;
    }

    /** Interruptible, {@link Tuning#SPINS} spins, no pause, probes at most every 5 ms once parking. */
    public static Spec interruptible() {
      return DEFAULT;
    }

    /** The same, not interruptible: the interrupt status is kept and restored on return. */
    public Spec uninterruptible() {
      return new Spec(spins, pollPause, false, probeInterval);
    }

    /** Spins this many steps before yielding. */
    public Spec spins(Tuning.Property steps) {
      return new Spec(steps, pollPause, interruptible, probeInterval);
    }

    /** While spinning, pauses between two polls, doubling from 1 step up to this many. */
    public Spec pollPause(Tuning.Property maxSteps) {
      return new Spec(spins, maxSteps, interruptible, probeInterval);
    }

    /** Once parking, probes at most once every {@code nanos}. */
    public Spec probeInterval(long nanos) {
      return new Spec(spins, pollPause, interruptible, nanos);
    }
  }

  /**
   * Waits until {@code until} says so: {@link #READY}, {@link #TIMED_OUT} or {@link #INTERRUPTED}.
   *
   * @param nanos timeout: at most 0 looks and returns; {@link Deadline#FOREVER} or more waits without deadline
   * @param sleep where to announce long parks, or null
   * @param adaptive this side's adaptive spin, or null
   */
  public static <X extends Exception> int await(Until<X> until, Spec spec, SleepWord sleep, AdaptiveSpin adaptive,
      long nanos) throws X {
    // a first short spin, kept small so that the JIT inlines it into each call site: there the call to ready() is
    // monomorphic and inlined, and a peer that answers within a few hundred nanoseconds (a pipe or queue round
    // trip) is seen at the speed of a hand-written loop; the loop below is shared by every site. A site that pauses
    // between polls (a lock: back-to-back polls bounce the holder's cache line) starts in that loop, paused
    if (nanos > 0L && spec.pollPause == null) {
      for (int i = 0; i < FIRST_SPINS; i++) {
        if (until.ready()) {
          if (adaptive != null) {
            adaptive.waited(0L);                    // as short as a wait gets: the next one spins
          }
          return READY;
        }
        Thread.onSpinWait();
      }
    }
    return awaitLong(until, spec, sleep, adaptive, nanos);
  }

  /** The longest time between two liveness probes of a waiter that has parked long. */
  static final long MAX_PROBE_INTERVAL_NANOS = 50_000_000L;

  /** Polls of the inlined first spin of {@link #await}, before the shared loop. */
  private static final int FIRST_SPINS = 64;

  private static <X extends Exception> int awaitLong(Until<X> until, Spec spec, SleepWord sleep,
      AdaptiveSpin adaptive, long nanos) throws X {
    boolean timed = !Deadline.isForever(nanos);
    long deadline = timed ? Deadline.after(nanos) : 0L;
    boolean interrupted = false;
    try {
      long start = 0L;
      if (adaptive != null) {
        start = System.nanoTime();
        long spinUntil = Deadline.after(adaptive.budget());
        for (int i = 1; !Deadline.passed(spinUntil); i++) {
          if (until.ready()) {
            adaptive.waited(System.nanoTime() - start);
            return READY;
          }
          if (Thread.interrupted()) {
            if (spec.interruptible) {
              return INTERRUPTED;
            }
            interrupted = true;
          }
          if (timed && Deadline.passed(deadline)) {
            return lastLook(until);
          }
          adaptive.spin(i);
        }
      }
      Backoff backoff = new Backoff(spec.spins.getInt(), sleep);
      int maxPause = spec.pollPause == null ? 1 : spec.pollPause.getInt();
      int pause = 1;
      long probedAt = 0L;
      long parkingSince = 0L;
      for (;;) {
        if (until.ready()) {
          if (adaptive != null) {
            adaptive.waited(System.nanoTime() - start);
          }
          return READY;
        }
        if (backoff.checkpoint()) {
          if (Thread.interrupted()) {
            if (spec.interruptible) {
              return INTERRUPTED;
            }
            interrupted = true;
          }
          if (until.check()) {
            return READY;
          }
          if (timed && Deadline.passed(deadline)) {
            return lastLook(until);
          }
        }
        if (backoff.dueForProbe()) {
          long now = spec.probeInterval > 0L && backoff.parking() ? System.nanoTime() : 0L;
          if (now != 0L && parkingSince == 0L) {
            parkingSince = now;
          }
          if (now == 0L || probeDue(now - probedAt, now - parkingSince, backoff.nextParkNanos(), spec.probeInterval)) {
            probedAt = now;
            if (until.probe()) {
              return READY;
            }
          }
        }
        if (maxPause > 1 && !backoff.pastSpinning()) {
          // exponential pause between polls while spinning: a holder about to re-acquire keeps the word's cache
          // line instead of both processes bouncing it on every release; the pause counts as spin steps, so the
          // spin phase lasts as long as without it
          for (int i = 1; i < pause && !backoff.pastSpinning(); i++) {
            backoff.idle();
          }
          pause = Math.min(pause << 1, maxPause);
        }
        if (timed) {
          backoff.idle(deadline);
        } else {
          backoff.idle();
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Whether a parked waiter's wake-up probes: {@code sinceProbe} after the last probe, having parked for
   * {@code parked}, with a next park of {@code nextPark}. Probes are due once every interval: {@code minInterval},
   * and for a waiter parked long a tenth of the time it has parked, up to {@link #MAX_PROBE_INTERVAL_NANOS}, so that
   * an idle waiter stays far under 1 % of a core. The wake-up nearest the interval's end probes, even a little
   * early: wake-ups come one park apart, and a park as long as the interval (both grow with the time parked) would
   * otherwise miss it by microseconds and skip every other probe. A death is still seen within the interval and
   * half a park (60 ms at worst, within the 100 ms bound).
   */
  static boolean probeDue(long sinceProbe, long parked, long nextPark, long minInterval) {
    long interval = Math.max(minInterval, Math.min(parked / 10, MAX_PROBE_INTERVAL_NANOS));
    return sinceProbe >= interval - nextPark / 2;
  }

  /** At the deadline: one more look, liveness included, before giving up. */
  private static <X extends Exception> int lastLook(Until<X> until) throws X {
    return until.ready() || until.check() || until.probe() ? READY : TIMED_OUT;
  }
}
