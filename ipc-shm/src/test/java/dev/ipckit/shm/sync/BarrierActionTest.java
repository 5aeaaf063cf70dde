package dev.ipckit.shm.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcBarrier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ipc.barrier(name, parties, action)}: the last party to arrive runs its own handle's action before any
 * party leaves, once per generation, as {@link java.util.concurrent.CyclicBarrier}; an action that throws breaks
 * the barrier.
 */
@Tag("unit")
class BarrierActionTest {
  private static final long WAIT_S = 30;

  @TempDir
  Path dir;

  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(WAIT_S, TimeUnit.SECONDS));
  }

  @Test
  void theLastPartyRunsTheActionBeforeAnyoneLeavesOncePerGeneration() throws Exception {
    try (Ipc ipc = Ipc.open(dir)) {
      AtomicInteger actions = new AtomicInteger();
      IpcBarrier b = ipc.barrier("b", 3, actions::incrementAndGet);
      for (int generation = 1; generation <= 5; generation++) {
        List<Future<Integer>> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          seen.add(pool.submit(() -> {
            b.await(WAIT_S, TimeUnit.SECONDS);
            return actions.get();              // every party leaves after the action ran
          }));
        }
        for (Future<Integer> f : seen) {
          assertEquals(generation, f.get(WAIT_S, TimeUnit.SECONDS));
        }
        assertEquals(generation, actions.get(), "one action per generation");
      }
      assertEquals(0, b.getNumberWaiting());
    }
  }

  @Test
  void aHandleWithoutActionRunsNoneAndAnotherHandlesActionIsItsOwn() throws Exception {
    try (Ipc ipc = Ipc.open(dir); Ipc other = Ipc.open(dir)) {
      AtomicInteger mine = new AtomicInteger();
      IpcBarrier withAction = ipc.barrier("b", 2, mine::incrementAndGet);
      IpcBarrier plain = other.barrier("b", 2);
      Future<Integer> first = pool.submit(() -> withAction.await(WAIT_S, TimeUnit.SECONDS));
      await(() -> plain.getNumberWaiting() == 1);
      assertEquals(0, plain.await(WAIT_S, TimeUnit.SECONDS), "the plain handle arrived last");
      first.get(WAIT_S, TimeUnit.SECONDS);
      assertEquals(0, mine.get(), "the last party's handle had no action");
      Future<Integer> second = pool.submit(() -> plain.await(WAIT_S, TimeUnit.SECONDS));
      await(() -> withAction.getNumberWaiting() == 1);
      assertEquals(0, withAction.await(WAIT_S, TimeUnit.SECONDS));
      second.get(WAIT_S, TimeUnit.SECONDS);
      assertEquals(1, mine.get(), "the action's handle arrived last");
    }
  }

  @Test
  void anActionThatThrowsBreaksTheBarrierAndReachesTheLastParty() throws Exception {
    try (Ipc ipc = Ipc.open(dir)) {
      IllegalStateException boom = new IllegalStateException("boom");
      IpcBarrier b = ipc.barrier("b", 2, () -> {
        throw boom;
      });
      Future<Integer> waiter = pool.submit(() -> b.await(WAIT_S, TimeUnit.SECONDS));
      await(() -> b.getNumberWaiting() == 1);
      assertSame(boom, assertThrows(IllegalStateException.class, () -> b.await(WAIT_S, TimeUnit.SECONDS)));
      java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
          () -> waiter.get(WAIT_S, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof BrokenBarrierException, e.toString());
      assertTrue(b.isBroken());
      b.reset();
      assertTrue(!b.isBroken());
    }
  }

  @Test
  void anActionIsRequired() {
    try (Ipc ipc = Ipc.open(dir)) {
      assertThrows(NullPointerException.class, () -> ipc.barrier("b", 2, null));
      assertThrows(IllegalArgumentException.class, () -> ipc.barrier("b", 0, () -> { }));
    }
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    dev.ipckit.testkit.Await.until("barrier state", java.time.Duration.ofSeconds(WAIT_S), condition);
  }
}
