package dev.ipckit.shm.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Several permits at once and draining, held to {@link Semaphore}'s answers step by step: the same calls on a
 * {@code Semaphore} and on an {@link IpcSemaphore} give the same results.
 */
@Tag("unit")
class SemaphorePermitsTest {
  /** The verbs both have. */
  private interface Sem {
    boolean tryAcquire(int n);

    boolean tryAcquire(int n, long ms) throws InterruptedException;

    void release(int n);

    int drainPermits();

    int availablePermits();
  }

  private static Sem of(Semaphore s) {
    return new Sem() {
      public boolean tryAcquire(int n) {
        return s.tryAcquire(n);
      }

      public boolean tryAcquire(int n, long ms) throws InterruptedException {
        return s.tryAcquire(n, ms, TimeUnit.MILLISECONDS);
      }

      public void release(int n) {
        s.release(n);
      }

      public int drainPermits() {
        return s.drainPermits();
      }

      public int availablePermits() {
        return s.availablePermits();
      }
    };
  }

  private static Sem of(IpcSemaphore s) {
    return new Sem() {
      public boolean tryAcquire(int n) {
        return s.tryAcquire(n);
      }

      public boolean tryAcquire(int n, long ms) throws InterruptedException {
        return s.tryAcquire(n, ms, TimeUnit.MILLISECONDS);
      }

      public void release(int n) {
        s.release(n);
      }

      public int drainPermits() {
        return s.drainPermits();
      }

      public int availablePermits() {
        return s.availablePermits();
      }
    };
  }

  @Test
  void theSameCallsGiveSemaphoresAnswers() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      Sem ref = of(new Semaphore(5));
      Sem ours = of(ipc.semaphore("s", 5));
      for (Sem s : new Sem[] {ref, ours}) {
        assertTrue(s.tryAcquire(3));
        assertFalse(s.tryAcquire(3), "two left");
        assertTrue(s.tryAcquire(0), "zero permits are always there");
        assertFalse(s.tryAcquire(3, 20), "times out with nothing taken");
        assertEquals(2, s.availablePermits());
        s.release(4);
        assertEquals(6, s.availablePermits());
        assertEquals(6, s.drainPermits());
        assertEquals(0, s.drainPermits());
        assertFalse(s.tryAcquire(1));
        s.release(0);
        assertEquals(0, s.availablePermits());
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(-1));
        assertThrows(IllegalArgumentException.class, () -> s.release(-1));
      }
    }
  }

  @Test
  void acquireOfSeveralWaitsForAllOfThemAndBoundsHold() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcSemaphore s = ipc.semaphore("s", 1);
      AtomicBoolean got = new AtomicBoolean();
      Thread t = new Thread(() -> {
        try {
          s.acquire(3);
          got.set(true);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      t.start();
      Await.blocked(t, Children.START);
      s.release(1);
      assertFalse(Await.within(java.time.Duration.ofMillis(100), got::get), "two of three are not enough");
      assertEquals(2, s.availablePermits(), "and none of them was taken meanwhile");
      s.release(1);
      t.join(Children.START.toMillis());
      assertTrue(got.get());
      assertEquals(0, s.availablePermits());

      IpcSemaphore b = ipc.boundedSemaphore("b", 3);
      assertTrue(b.tryAcquire(2));
      assertThrows(IllegalStateException.class, () -> b.release(3), "past the bound: nothing returned");
      assertEquals(1, b.availablePermits());
      b.release(2);
      assertEquals(3, b.availablePermits());
    }
  }

  @Test
  void abortBreaksTheBarrierForTheWaitingAndTheLateUntilReset() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      dev.ipckit.IpcBarrier b = ipc.barrier("b", 3);
      java.util.concurrent.atomic.AtomicReference<Throwable> seen = new java.util.concurrent.atomic.AtomicReference<>();
      Thread t = new Thread(() -> {
        try {
          b.await();
        } catch (Throwable e) {
          seen.set(e);
        }
      });
      t.start();
      Await.until("a party to arrive", Children.START, () -> b.getNumberWaiting() == 1);
      b.abort();
      t.join(Children.START.toMillis());
      assertTrue(seen.get() instanceof java.util.concurrent.BrokenBarrierException, String.valueOf(seen.get()));
      assertTrue(b.isBroken());
      assertThrows(java.util.concurrent.BrokenBarrierException.class, () -> b.await(1, TimeUnit.SECONDS));
      b.reset();
      assertFalse(b.isBroken());
      assertEquals(0, b.getNumberWaiting());
    }
  }
}
