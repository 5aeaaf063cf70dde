package dev.ipckit.shm.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.liveness.Liveness;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A semaphore's holdings as its file records them: a process killed inside an update, played by writing into the
 * file what such a process leaves there (its entry, the lock word it held, a journal it wrote before it was killed),
 * a damaged journal, and the decoder. What the holdings mean, whatever the backend, is in
 * {@link dev.ipckit.testkit.suite.SyncSuite} ({@link ShmSyncTest}, whose dead holders this class writes); the real
 * kills are in {@link dev.ipckit.testkit.suite.SyncCrashSuite}.
 */
@Tag("unit")
class SemaphoreHoldingsTest {
  /** A slot nobody in this test has: its process is "dead" (the registry never gave the slot this generation). */
  static final int DEAD_SLOT = Liveness.SLOTS - 1;
  static final long DEAD = 0x5EADL << 16 | DEAD_SLOT + 1;
  static final long OTHER_DEAD = 0x0BADL << 16 | DEAD_SLOT;

  private static ShmSemaphore open(Ipc ipc, String name, int permits, boolean bounded) {
    return (ShmSemaphore) (bounded ? ipc.boundedSemaphore(name, permits) : ipc.semaphore(name, permits));
  }

  /** Writes what a dead process that held {@code held} permits of {@code s} leaves in its entry. */
  static void deadHolder(ShmSemaphore s, long token, int slot, long held) {
    ByteBuffer b = s.buffer();
    int at = SlotTable.entryOffset(SyncDescriptor.TABLE_OFFSET, slot);
    Mem.LONG.setRelease(b, at + SlotTable.TOKEN_OFFSET, token);
    Mem.LONG.setRelease(b, at + SlotTable.VALUE_OFFSET, held);
    Mem.LONG.setRelease(b, SyncDescriptor.SEMAPHORE_IN_USE_OFFSET, (long) Liveness.SLOTS);
  }

  private static long word(ShmSemaphore s) {
    return (long) Mem.LONG.getAcquire(s.buffer(), SyncDescriptor.COUNT_OFFSET);
  }

  private static void setWord(ShmSemaphore s, long count, boolean unreported, long tag) {
    Mem.LONG.setRelease(s.buffer(), SyncDescriptor.COUNT_OFFSET, count << SyncDescriptor.COUNT_SHIFT
        | (unreported ? SyncDescriptor.UNREPORTED_FLAG : 0L) | tag);
  }

  private static void set(ShmSemaphore s, int offset, long value) {
    Mem.LONG.setRelease(s.buffer(), offset, value);
  }

  static long entryHeld(ShmSemaphore s, int slot) {
    return (long) Mem.LONG.getAcquire(s.buffer(),
        SlotTable.entryOffset(SyncDescriptor.TABLE_OFFSET, slot) + SlotTable.VALUE_OFFSET);
  }

  /** Killed after its commit (the count word's store), before its entry's: the update is finished by the taker. */
  @Test
  void aCommittedUpdateOfAProcessKilledHoldingTheLockWordIsRedone() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      ShmSemaphore s = open(ipc, "s", 5, false);
      long tag = (word(s) & SyncDescriptor.TAG_MASK) + 1;
      deadHolder(s, DEAD, DEAD_SLOT, 0);
      // its acquire of one permit: fast journal, commit; then killed, the lock word still its own
      set(s, SyncDescriptor.FAST_JOURNAL_OFFSET, 1L << SyncDescriptor.FAST_HELD_SHIFT
          | (DEAD_SLOT + 1L) << SyncDescriptor.SLOT_SHIFT | tag);
      setWord(s, 4, false, tag);
      set(s, SyncDescriptor.LOCK_OFFSET, DEAD);
      assertEquals(4, s.availablePermits());

      assertTrue(s.tryAcquire(4), "the lock word is taken over");
      assertEquals(1, s.lockTakeovers());
      assertEquals(1, entryHeld(s, DEAD_SLOT), "and the dead process's entry finished: it holds its permit");
      assertFalse(s.reclaimed());
      assertTrue(s.tryAcquire(), "which comes back");
      assertTrue(s.reclaimed());
      assertFalse(s.tryAcquire(), "once");
      s.release(5);
      assertEquals(5, s.availablePermits(), "no permit lost, none made");
    }
  }

  /** Killed before its commit: its journal has a tag the count word never got; the update never happened. */
  @Test
  void anUncommittedUpdateOfAProcessKilledHoldingTheLockWordNeverHappened() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      ShmSemaphore s = open(ipc, "s", 5, false);
      long tag = (word(s) & SyncDescriptor.TAG_MASK) + 1;
      deadHolder(s, DEAD, DEAD_SLOT, 0);
      set(s, SyncDescriptor.FAST_JOURNAL_OFFSET, 1L << SyncDescriptor.FAST_HELD_SHIFT
          | (DEAD_SLOT + 1L) << SyncDescriptor.SLOT_SHIFT | tag);
      set(s, SyncDescriptor.LOCK_OFFSET, DEAD);

      assertTrue(s.tryAcquire(5), "the lock word is taken over, the count untouched");
      assertEquals(0, entryHeld(s, DEAD_SLOT), "the dead process took nothing");
      assertFalse(s.tryAcquire());
      assertEquals(0, s.reclaims(), "and there was nothing to reclaim");
    }
  }

  /**
   * A reclaimer killed after committing a reclaim, before emptying the dead holder's entry: the taker finishes it,
   * and the permit is neither lost nor given back twice.
   */
  @Test
  void aCommittedReclaimOfAProcessKilledHoldingTheLockWordIsRedone() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      ShmSemaphore s = open(ipc, "s", 3, false);
      s.acquire(1);
      s.disown(1);
      deadHolder(s, DEAD, DEAD_SLOT, 1);            // a dead holder's one permit; two left
      long tag = (word(s) & SyncDescriptor.TAG_MASK) + 1;
      set(s, SyncDescriptor.JOURNAL_HELD_OFFSET, 0L);
      set(s, SyncDescriptor.JOURNAL_UNREPORTED_OFFSET, 1L);
      set(s, SyncDescriptor.JOURNAL_OFFSET, (DEAD_SLOT + 1L) << SyncDescriptor.SLOT_SHIFT | tag);
      setWord(s, 3, true, tag);                     // committed: three, one of them unreported
      set(s, SyncDescriptor.LOCK_OFFSET, OTHER_DEAD);

      assertTrue(s.tryAcquire(3));
      assertTrue(s.reclaimed(), "the reclaimed permit was among them");
      assertEquals(0, entryHeld(s, DEAD_SLOT), "the entry was emptied by the redo");
      assertFalse(s.tryAcquire(), "so it is not reclaimed twice");
      s.release(3);
      assertEquals(3, s.availablePermits());
    }
  }

  @Test
  void aDamagedJournalIsAnExceptionNamingTheFile() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      ShmSemaphore s = open(ipc, "s", 1, false);
      long tag = word(s) & SyncDescriptor.TAG_MASK;
      set(s, SyncDescriptor.JOURNAL_OFFSET, (long) (Liveness.SLOTS + 7) << SyncDescriptor.SLOT_SHIFT | tag);
      set(s, SyncDescriptor.LOCK_OFFSET, DEAD);
      IpcException e = assertThrows(IpcException.class, s::tryAcquire);
      assertTrue(e.getMessage().contains(ipc.dir().toString()) && e.getMessage().contains("journal"),
          e.getMessage());
    }
  }

  @Test
  void theDecoderShowsTheHoldings() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      ShmSemaphore s = open(ipc, "s", 3, true);
      s.acquire(2);
      Fields f = SyncDescriptor.decode(s.buffer());
      long held = f.list().stream().filter(x -> x.name().endsWith(".held")).mapToLong(x -> x.value()).sum();
      assertEquals(2, held, f.list().toString());
      assertEquals(1L, f.get("count") >>> SyncDescriptor.COUNT_SHIFT);
    }
  }
}
