package dev.ipckit.shm.lock;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcCondition;
import dev.ipckit.IpcLock;
import dev.ipckit.SharedInt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link IpcCondition#waitFor}: Python's {@code Condition.wait_for(predicate, timeout)}. */
@Tag("unit")
class WaitForTest {
  @TempDir
  Path dir;

  @Test
  void returnsOnceThePredicateHoldsRecheckingAfterEverySignal() throws Exception {
    try (Ipc ipc = Ipc.open(dir)) {
      IpcLock lock = ipc.lock("l");
      IpcCondition ready = lock.newCondition();
      SharedInt v = ipc.sharedInt("v", 0);
      AtomicInteger checks = new AtomicInteger();
      CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
        lock.lock();
        try {
          return ready.waitFor(() -> {
            checks.incrementAndGet();
            return v.get() >= 3;
          }, Duration.ofSeconds(30));
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        } finally {
          lock.unlock();
        }
      });
      for (int i = 1; i <= 3; i++) {
        int checked = i;
        // the waiter holds the lock from each check until its await releases it: once checked i times and the
        // lock is ours, it is waiting, and the signal reaches it
        dev.ipckit.testkit.Await.until("the waiter checked " + checked + " times", Duration.ofSeconds(30),
            () -> checks.get() >= checked);
        lock.lock();
        try {
          v.set(i);
          ready.signalAll();
        } finally {
          lock.unlock();
        }
      }
      assertTrue(waiter.get(30, TimeUnit.SECONDS));
      assertTrue(checks.get() >= 3, "checked before waiting and after every signal: " + checks.get());
    }
  }

  @Test
  void falseWhenTheTimeRunsOutAndTheLockIsHeldAgain() throws Exception {
    try (Ipc ipc = Ipc.open(dir)) {
      IpcLock lock = ipc.lock("l");
      IpcCondition c = lock.newCondition();
      lock.lock();
      try {
        assertFalse(c.waitFor(() -> false, Duration.ofMillis(30)));
        assertTrue(lock.isHeldByCurrentThread());
        assertFalse(c.waitFor(() -> false, Duration.ZERO), "a zero timeout checks once");
        assertTrue(c.waitFor(() -> true, Duration.ofMillis(-1)), "true at once needs no time");
        assertTrue(c.waitFor(() -> true, 1, TimeUnit.MILLISECONDS));
      } finally {
        lock.unlock();
      }
      assertThrows(IllegalMonitorStateException.class, () -> c.waitFor(() -> false, Duration.ofMillis(10)));
    }
  }
}
