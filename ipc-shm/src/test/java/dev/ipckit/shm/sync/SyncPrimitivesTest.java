package dev.ipckit.shm.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcBarrier;
import dev.ipckit.IpcEvent;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.SharedLongArray;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("process")
class SyncPrimitivesTest {
  private Ipc ipc;

  @BeforeEach
  void open() {
    ipc = Ipc.temp();
  }

  @AfterEach
  void close() {
    ipc.close();
  }

  private static void joinOk(IpcProcess p) throws InterruptedException {
    Children.assertExitsOk(p, Children.RUN);
  }

  @Test
  void semaphoreLimitsConcurrencyAcrossProcesses() throws Exception {
    IpcSemaphore sem = ipc.semaphore("sem", 2);
    SharedLongArray stats = ipc.longArray("stats", 2); // [0] inside now, [1] most ever inside
    List<IpcProcess> ps = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      ps.add(IpcProcess.start(() -> {
        for (int i = 0; i < 2_000; i++) {
          sem.acquire();
          long inside = stats.incrementAndGet(0);
          stats.updateAndGet(1, m -> Math.max(m, inside));
          Thread.onSpinWait();
          stats.decrementAndGet(0);
          sem.release();
        }
      }));
    }
    for (IpcProcess p : ps) {
      joinOk(p);
    }
    assertEquals(2, sem.availablePermits());
    assertTrue(stats.get(1) <= 2, "at most 2 inside at once, saw " + stats.get(1));
  }

  @Test
  void semaphoreTimedAcquireAndInterrupt() throws Exception {
    IpcSemaphore sem = ipc.semaphore("s0", 0);
    assertFalse(sem.tryAcquire());
    long t0 = System.nanoTime();
    assertFalse(sem.tryAcquire(50, TimeUnit.MILLISECONDS));
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(50));
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, sem::acquire);
    IpcProcess p = IpcProcess.start(sem::release);
    assertTrue(sem.tryAcquire(30, TimeUnit.SECONDS), "permit released by the child");
    joinOk(p);
  }

  @Test
  void boundedSemaphoreRefusesOverRelease() {
    IpcSemaphore sem = ipc.boundedSemaphore("b", 1);
    IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
    assertTrue(e.getMessage().contains("released too many times") && e.getMessage().contains("\"b\""), e.getMessage());
    IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> ipc.boundedSemaphore("b", 3));
    assertTrue(m.getMessage().contains("bound 1, not 3"), m.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ipc.semaphore("neg", -1));
  }

  @Test
  void eventSetInChildWakesParent() throws Exception {
    IpcEvent ev = ipc.event("ev");
    assertFalse(ev.isSet());
    assertFalse(ev.await(20, TimeUnit.MILLISECONDS));
    IpcProcess p = IpcProcess.start(ev::set);
    assertTrue(ev.await(30, TimeUnit.SECONDS));
    assertTrue(ev.isSet());
    joinOk(p);
    ev.clear();
    assertFalse(ev.isSet());
  }

  @Test
  void barrierSynchronisesProcessesForManyRounds() throws Exception {
    int rounds = 50;
    IpcBarrier barrier = ipc.barrier("bar", 3);
    SharedLongArray seen = ipc.longArray("seen", 3);
    List<IpcProcess> ps = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      final int me = c;
      ps.add(IpcProcess.start(() -> {
        for (int r = 0; r < rounds; r++) {
          seen.set(me, r);
          barrier.await(60, TimeUnit.SECONDS);
          // after the barrier everyone has reached round r
          for (int k = 0; k < 3; k++) {
            if (seen.get(k) < r) {
              throw new AssertionError("party " + k + " behind in round " + r);
            }
          }
          barrier.await(60, TimeUnit.SECONDS);
        }
      }));
    }
    for (int r = 0; r < rounds; r++) {
      seen.set(2, r);
      barrier.await(60, TimeUnit.SECONDS);
      for (int k = 0; k < 3; k++) {
        assertTrue(seen.get(k) >= r);
      }
      barrier.await(60, TimeUnit.SECONDS);
    }
    for (IpcProcess p : ps) {
      joinOk(p);
    }
    assertFalse(barrier.isBroken());
  }

  @Test
  void barrierTimeoutBreaksItForOthersAndResetRepairs() throws Exception {
    IpcBarrier barrier = ipc.barrier("tb", 3);
    CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
      try {
        barrier.await(30, TimeUnit.SECONDS);
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
    assertThrows(TimeoutException.class, () -> {
      // wait until the other party has arrived, then time out ourselves
      Await.until("the other party to arrive", Children.START, () -> barrier.getNumberWaiting() >= 1);
      barrier.await(10, TimeUnit.MILLISECONDS);
    });
    assertTrue(other.get(30, TimeUnit.SECONDS) instanceof BrokenBarrierException);
    assertTrue(barrier.isBroken());
    assertThrows(BrokenBarrierException.class, barrier::await);
    barrier.reset();
    assertFalse(barrier.isBroken());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ipc.barrier("tb", 4));
    assertTrue(e.getMessage().contains("parties 3, not 4"), e.getMessage());
  }

  @Test
  void resetBreaksCurrentWaiters() throws Exception {
    IpcBarrier barrier = ipc.barrier("rb", 2);
    CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> {
      try {
        barrier.await(30, TimeUnit.SECONDS);
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
    Await.until("the waiter to arrive", Children.START, () -> barrier.getNumberWaiting() >= 1);
    barrier.reset();
    Throwable t;
    try {
      t = waiter.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      t = e.getCause();
    }
    assertTrue(t instanceof BrokenBarrierException, String.valueOf(t));
    assertFalse(barrier.isBroken());
    // the new generation works
    CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> {
      try {
        return barrier.await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    int mine = barrier.await(30, TimeUnit.SECONDS);
    assertEquals(1, mine + a.get(30, TimeUnit.SECONDS));
  }

  @Test
  void closedHandlesSaySo() {
    IpcEvent ev = ipc.event("closed-ev");
    ev.close();
    ev.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, ev::set);
    assertTrue(e.getMessage().contains("closed") && e.getMessage().contains("closed-ev"), e.getMessage());
  }
}
