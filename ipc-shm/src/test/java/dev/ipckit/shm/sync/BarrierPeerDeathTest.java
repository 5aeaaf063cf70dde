package dev.ipckit.shm.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.liveness.Liveness;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A barrier's waiting table as its file records it: an entry outlives its generation, and one recorded in an
 * earlier generation by a process that is gone changes nothing; the decoder shows an entry's generation. The dead
 * process is played by writing its entry into the file ({@link #deadParty}, also for {@link ShmSyncTest}); what a
 * dead party of the current generation does, whatever the backend, is in {@link dev.ipckit.testkit.suite.SyncSuite}
 * and, with real kills, {@link dev.ipckit.testkit.suite.SyncCrashSuite}.
 */
@Tag("unit")
class BarrierPeerDeathTest {
  static final int DEAD_SLOT = Liveness.SLOTS - 1;
  static final long DEAD = 0x5EADL << 16 | DEAD_SLOT + 1;

  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
  }

  private static ShmBarrier open(Ipc ipc, String name, int parties) {
    return (ShmBarrier) ipc.barrier(name, parties);
  }

  static long generation(ShmBarrier b) {
    return (long) Mem.LONG.getAcquire(b.buffer(), SyncDescriptor.STATE_OFFSET) >>> 32;
  }

  /** Writes what a process that had a party arrive in {@code gen} and then died leaves in its entry. */
  static void deadParty(ShmBarrier b, long gen) {
    ByteBuffer buf = b.buffer();
    int at = SlotTable.entryOffset(SyncDescriptor.TABLE_OFFSET, DEAD_SLOT);
    Mem.LONG.setRelease(buf, at + SlotTable.TOKEN_OFFSET, DEAD);
    Mem.LONG.setRelease(buf, at + SlotTable.VALUE_OFFSET, gen);
    Mem.LONG.setRelease(buf, SyncDescriptor.BARRIER_IN_USE_OFFSET, (long) Liveness.SLOTS);
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

  @Test
  void theDecoderShowsTheGenerationOfAPartysEntry() {
    try (Ipc ipc = Ipc.temp()) {
      ShmBarrier b = open(ipc, "b", 2);
      long gen = generation(b);
      deadParty(b, gen);
      Fields f = SyncDescriptor.decode(b.buffer());
      assertEquals(gen, (long) f.get("slot" + DEAD_SLOT + ".generation"));
    }
  }
}
