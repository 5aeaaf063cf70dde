package dev.ipckit.shm.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.spi.Deadline;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The one wait loop's policies, in process: outcomes, timeouts, interrupts, checks and probes. */
@Tag("unit")
class WaiterTest {
  private static final long BOUND = TimeUnit.SECONDS.toNanos(30);

  @Test
  void readyAtOnceOrAfterAWhile() {
    assertEquals(Waiter.READY, Waiter.await(() -> true, Waiter.Spec.interruptible(), null, null, 0L));
    AtomicInteger looks = new AtomicInteger();
    assertEquals(Waiter.READY, Waiter.await(() -> looks.incrementAndGet() > Tuning.SPINS.getInt() + 50, Waiter.Spec.interruptible(),
        null, null, BOUND));
  }

  @Test
  void aZeroOrNegativeTimeoutLooksAndReturns() {
    for (long t : new long[] {0L, -1L, Long.MIN_VALUE}) {
      long start = System.nanoTime();
      assertEquals(Waiter.TIMED_OUT, Waiter.await(() -> false, Waiter.Spec.interruptible(), null, null,
          Deadline.clamp(t)));
      assertTrue(System.nanoTime() - start < BOUND);
    }
  }

  @Test
  void aTimeoutTakesOneLastLookWithLivenessIncluded() {
    AtomicBoolean probed = new AtomicBoolean();
    int outcome = Waiter.await(new Waiter.Until<RuntimeException>() {
      @Override
      public boolean ready() {
        return false;
      }

      @Override
      public boolean probe() {
        probed.set(true);
        return true;                        // the holder is dead and was taken over
      }
    }, Waiter.Spec.interruptible(), null, null, 0L);
    assertEquals(Waiter.READY, outcome);
    assertTrue(probed.get());
  }

  @Test
  void anInterruptEndsAnInterruptibleWaitAndIsKeptByAnUninterruptibleOne() throws Exception {
    Thread.currentThread().interrupt();
    assertEquals(Waiter.INTERRUPTED, Waiter.await(() -> false, Waiter.Spec.interruptible(), null, null,
        Deadline.FOREVER));
    assertTrue(!Thread.currentThread().isInterrupted(), "the status is cleared, as for an InterruptedException");

    AtomicInteger looks = new AtomicInteger();
    Thread.currentThread().interrupt();
    assertEquals(Waiter.READY, Waiter.await(() -> looks.incrementAndGet() > Tuning.SPINS.getInt() + 50,
        Waiter.Spec.interruptible().uninterruptible(), null, null, BOUND));
    assertTrue(Thread.interrupted(), "an uninterruptible wait restores the status");
  }

  @Test
  void aParkedWaiterSeesAnInterruptFromAnotherThread() throws Exception {
    AtomicInteger outcome = new AtomicInteger(99);
    CountDownLatch started = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      started.countDown();
      outcome.set(Waiter.await(() -> false, Waiter.Spec.interruptible(), null, null, Deadline.FOREVER));
    });
    t.start();
    started.await();
    t.interrupt();
    t.join(TimeUnit.NANOSECONDS.toMillis(BOUND));
    assertEquals(Waiter.INTERRUPTED, outcome.get());
  }

  @Test
  void aCheckThatThrowsEndsTheWaitWithItsException() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Waiter.await(
        new Waiter.Until<RuntimeException>() {
          @Override
          public boolean ready() {
            return false;
          }

          @Override
          public boolean check() {
            throw new IllegalStateException("closed");
          }
        }, Waiter.Spec.interruptible(), null, null, Deadline.FOREVER));
    assertEquals("closed", e.getMessage());
  }

  /**
   * A waiter parked 200 ms parks about 19.6 ms at a time and is due a probe every 20 ms: its wake-ups, one park
   * apart, must not miss the interval by microseconds and probe only every other time (40 ms, where the kernel
   * has long released a killed holder's lock).
   */
  @Test
  void parksAsLongAsTheProbeIntervalProbeAtEveryWakeUp() {
    long ms = 1_000_000L;
    long interval = Waiter.Spec.PROBE_INTERVAL_NANOS;
    assertTrue(Waiter.probeDue(19_650_000L, 200 * ms, 19_600_000L, interval),
        "a wake-up 19.65 ms after the last probe");
    assertFalse(Waiter.probeDue(5 * ms, 200 * ms, 19_600_000L, interval), "a quarter of the interval");
    // the minimum interval while parks are short: the wake-up nearest 5 ms probes
    assertTrue(Waiter.probeDue(4 * ms, 10 * ms, 2 * ms, interval));
    assertFalse(Waiter.probeDue(3_900_000L, 10 * ms, 2 * ms, interval));
    // parked for seconds: every 50 ms at most, so with 20 ms parks at the second or third wake-up
    assertFalse(Waiter.probeDue(39_900_000L, 10_000 * ms, 20 * ms, interval));
    assertTrue(Waiter.probeDue(40 * ms, 10_000 * ms, 20 * ms, interval));
    // never more often than every half interval, whatever the park
    for (long parked = ms; parked < 20_000 * ms; parked += 7 * ms) {
      long due = Math.max(interval, Math.min(parked / 10, Waiter.MAX_PROBE_INTERVAL_NANOS));
      long park = Math.max(2 * ms, Math.min(parked / 10, 20 * ms));
      assertFalse(Waiter.probeDue(due / 2 - 1, parked, park, interval), "parked " + parked);
      assertTrue(Waiter.probeDue(due, parked, park, interval), "parked " + parked);
    }
  }

  @Test
  void probesComeOnlyAfterSpinningAndEndTheWaitWhenTheyTakeOver() {
    AtomicInteger looks = new AtomicInteger();
    AtomicReference<Integer> looksAtFirstProbe = new AtomicReference<>();
    int outcome = Waiter.await(new Waiter.Until<RuntimeException>() {
      @Override
      public boolean ready() {
        looks.incrementAndGet();
        return false;
      }

      @Override
      public boolean probe() {
        looksAtFirstProbe.compareAndSet(null, looks.get());
        return true;
      }
    }, Waiter.Spec.interruptible(), null, null, BOUND);
    assertEquals(Waiter.READY, outcome);
    assertTrue(looksAtFirstProbe.get() > Tuning.SPINS.getInt(), "no probe while spinning: " + looksAtFirstProbe);
  }

  @Test
  void aTimedWaitEndsNearItsDeadlineAndAnAdaptiveSpinRemembersShortWaits() {
    AdaptiveSpin spin = new AdaptiveSpin();
    assertEquals(0L, spin.budget(), "no spinning before any wait");
    long start = System.nanoTime();
    assertEquals(Waiter.TIMED_OUT, Waiter.await(() -> false, Waiter.Spec.interruptible(), null, spin,
        TimeUnit.MILLISECONDS.toNanos(20)));
    long took = System.nanoTime() - start;
    assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(20) && took < BOUND, "took " + took + " ns");
    AtomicInteger looks = new AtomicInteger();
    assertEquals(Waiter.READY, Waiter.await(() -> looks.incrementAndGet() > 10, Waiter.Spec.interruptible(), null,
        spin, BOUND));
    assertTrue(spin.budget() >= AdaptiveSpin.MIN_SPIN_NANOS, "a short wait makes the next one spin");
  }
}
