package dev.ipckit.shm.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcBarrier;
import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.liveness.Liveness;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A barrier's waiting table in one JVM: a party of a process that is gone, recorded in the current generation,
 * breaks it for the waiters (timed or not), also while the last party's action runs; one recorded in an earlier
 * generation changes nothing. The dead process is played by writing its entry into the file; the real kills are in
 * {@link BarrierCrashTest}.
 */
@Tag("unit")
class BarrierPeerDeathTest {
  private static final int DEAD_SLOT = Liveness.SLOTS - 1;
  private static final long DEAD = 0x5EADL << 16 | DEAD_SLOT + 1;
  private static final Duration BOUND = Duration.ofSeconds(10);

  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
  }

  private static ShmBarrier open(Ipc ipc, String name, int parties) {
    return (ShmBarrier) ipc.barrier(name, parties);
  }

  private static long generation(ShmBarrier b) {
    return (long) Mem.LONG.getAcquire(b.buffer(), SyncDescriptor.STATE_OFFSET) >>> 32;
  }

  /** Writes what a process that had a party arrive in {@code gen} and then died leaves in its entry. */
  private static void deadParty(ShmBarrier b, long gen) {
    ByteBuffer buf = b.buffer();
    int at = SlotTable.entryOffset(SyncDescriptor.TABLE_OFFSET, DEAD_SLOT);
    Mem.LONG.setRelease(buf, at + SlotTable.TOKEN_OFFSET, DEAD);
    Mem.LONG.setRelease(buf, at + SlotTable.VALUE_OFFSET, gen);
    Mem.LONG.setRelease(buf, SyncDescriptor.BARRIER_IN_USE_OFFSET, (long) Liveness.SLOTS);
  }

  private static void assertBroken(Future<?> f) throws Exception {
    try {
      f.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      assertTrue(e.getCause() instanceof BrokenBarrierException, e.getCause().toString());
      return;
    }
    throw new AssertionError("the wait returned normally instead of breaking");
  }

  @Test
  void aDeadPartyOfTheCurrentGenerationBreaksItForTimedAndUntimedWaiters() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      ShmBarrier b = open(ipc, "b", 4);
      Future<?> untimed = pool.submit(() -> b.await());
      Future<?> timed = pool.submit(() -> b.await(1, TimeUnit.HOURS));
      Await.until("two parties waiting", Children.START, () -> b.getNumberWaiting() == 2);
      assertFalse(b.isBroken());
      deadParty(b, generation(b));
      assertBroken(untimed);
      assertBroken(timed);
      assertTrue(b.isBroken());
      b.reset();
      assertFalse(b.isBroken(), "reset() makes it usable again: the dead party's generation is over");
    }
  }

  @Test
  void aDeadPartyOfAnEarlierGenerationChangesNothing() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      ShmBarrier b = open(ipc, "b", 2);
      Future<Integer> first = pool.submit(() -> b.await(30, TimeUnit.SECONDS));
      int mine = b.await(30, TimeUnit.SECONDS);
      assertEquals(1, mine + first.get(30, TimeUnit.SECONDS), "one generation tripped: arrival indices 1 and 0");
      deadParty(b, generation(b) - 1);              // it arrived in that one, then died
      Future<Integer> waiting = pool.submit(() -> b.await(30, TimeUnit.SECONDS));
      Await.until("a party waiting", Children.START, () -> b.getNumberWaiting() == 1);
      assertFalse(Await.within(Duration.ofMillis(300), b::isBroken), "a waiter probing meanwhile breaks nothing");
      mine = b.await(30, TimeUnit.SECONDS);
      assertEquals(1, mine + waiting.get(30, TimeUnit.SECONDS), "and the next one trips");
    }
  }

  /** The last party killed while its action runs: the generation says tripping, and that party is dead. */
  @Test
  void aLastPartyThatDiedInItsActionBreaksItForTheWaitingAndForThoseArrivingBeyondTheParties()
      throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      ShmBarrier b = open(ipc, "b", 2);
      Future<?> waiting = pool.submit(() -> b.await(1, TimeUnit.HOURS));
      Await.until("a party waiting", Children.START, () -> b.getNumberWaiting() == 1);
      long gen = generation(b);
      deadParty(b, gen);
      // the dead party's arrival made the count reach the parties: tripping, its action running
      Mem.LONG.setRelease(b.buffer(), SyncDescriptor.STATE_OFFSET, gen << 32 | 2);
      Future<?> beyond = pool.submit(() -> b.await());
      assertBroken(waiting);
      assertBroken(beyond);
      Fields f = SyncDescriptor.decode(b.buffer());
      assertEquals(gen, (long) f.get("slot" + DEAD_SLOT + ".generation"));
    }
  }
}
