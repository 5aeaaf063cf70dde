package dev.ipckit.spi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.testkit.Await;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A ring wakes a thread parked through the doorbell, however long its park, and is not lost before the park. */
@Tag("unit")
class DoorbellTest {
  private static final long AN_HOUR = TimeUnit.HOURS.toNanos(1);
  private static final Duration BOUND = Duration.ofSeconds(30);

  @Test
  void aRingWakesAThreadParkedForAnHour() throws Exception {
    Doorbell.install();
    assertTrue(Doorbell.installed());
    Thread sleeper = new Thread(() -> Doorbell.parkNanos(AN_HOUR), "sleeper");
    sleeper.start();
    Await.parked(sleeper, BOUND);
    Doorbell.ring();
    sleeper.join(30_000);
    assertFalse(sleeper.isAlive(), "the ring must end an hour's park");
  }

  private static volatile boolean ready;
  private static volatile boolean rang;

  @Test
  void aRingBeforeTheParkIsNotLost() throws Exception {
    Doorbell.install();
    Thread t = new Thread(() -> {
      Doorbell.parkNanos(1);            // has parked here once: on the list from now on
      ready = true;
      while (!rang) {                   // stands for the waiter's last look at what it waits for
        Thread.onSpinWait();
      }
      Doorbell.parkNanos(AN_HOUR);      // the ring came before this park: its permit ends the park at once
    }, "late-parker");
    t.start();
    Await.until("the thread to get going", BOUND, () -> ready);
    Doorbell.ring();
    rang = true;
    t.join(30_000);
    assertFalse(t.isAlive(), "a ring between the last look and the park must not be lost");
  }
}
