package dev.ipckit.shm.sync;

import dev.ipckit.IpcException;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.liveness.Liveness;
import dev.ipckit.shm.liveness.OwnerWord;
import java.nio.ByteBuffer;

import static dev.ipckit.shm.sync.SyncDescriptor.COUNT_SHIFT;
import static dev.ipckit.shm.sync.SyncDescriptor.FAST_HELD_SHIFT;
import static dev.ipckit.shm.sync.SyncDescriptor.SLOT_MASK;
import static dev.ipckit.shm.sync.SyncDescriptor.SLOT_SHIFT;
import static dev.ipckit.shm.sync.SyncDescriptor.TAG_MASK;
import static dev.ipckit.shm.sync.SyncDescriptor.UNREPORTED_FLAG;

/**
 * How an update of a {@link ShmSemaphore} commits, and how one cut short by a kill is finished: the semaphore's lock
 * word, its count word (count, unreported flag, tag), the fast journal and the journal, and the redo of the journal a
 * committed update left when the lock word is taken over from a process killed inside it (the crash table is in the
 * package summary). The semaphore decides what to change; this writes it in the order that makes each update happen
 * entirely or not at all.
 *
 * <p>Not thread safe by itself: every method but {@link #state()}, {@link #unreported} and {@link #lock()} is called
 * holding the lock word.
 */
final class SemaphoreLog {
  private static final int COUNT = SyncDescriptor.COUNT_OFFSET;
  private static final int FAST_JOURNAL = SyncDescriptor.FAST_JOURNAL_OFFSET;
  private static final int JOURNAL = SyncDescriptor.JOURNAL_OFFSET;
  private static final int JOURNAL_HELD = SyncDescriptor.JOURNAL_HELD_OFFSET;
  private static final int JOURNAL_UNREPORTED = SyncDescriptor.JOURNAL_UNREPORTED_OFFSET;
  private static final int UNREPORTED = SyncDescriptor.UNREPORTED_OFFSET;

  private final ByteBuffer buf;
  private final OwnerWord word;
  private final SlotTable table;
  /** This process's slot: the entry a fast commit writes. */
  private final int mySlot;
  /** The semaphore, for messages: {@code semaphore "name" in dir}. */
  private final String what;

  SemaphoreLog(ByteBuffer buf, Liveness liveness, SlotTable table, int mySlot, String what) {
    this.buf = buf;
    this.word = new OwnerWord(buf, SyncDescriptor.LOCK_OFFSET, SyncDescriptor.LOCK_TAKEOVERS_OFFSET, liveness);
    this.table = table;
    this.mySlot = mySlot;
    this.what = what;
  }

  /** Takes the lock word; taken over from a process killed inside an update, it first finishes that update. */
  void lock() {
    if (!word.tryAcquireFree() && word.acquireBriefly()) {
      try {
        redo();
      } catch (RuntimeException e) {
        word.release();
        throw e;
      }
    }
  }

  void unlock() {
    word.release();
  }

  /** The count word (getAcquire). */
  long state() {
    return (long) Mem.LONG.getAcquire(buf, COUNT);
  }

  static long countOf(long w) {
    return w >>> COUNT_SHIFT;
  }

  /** The count word after a commit on {@code w}: {@code count}, {@code flag}, and the next tag. */
  private static long next(long w, long count, long flag) {
    return count << COUNT_SHIFT | flag | (w + 1 & TAG_MASK);
  }

  /** Under the lock: the count alone changes, one store (an anonymous release). */
  void commitCount(long w, long count) {
    Mem.LONG.setRelease(buf, COUNT, next(w, count, w & UNREPORTED_FLAG));
  }

  /**
   * Under the lock: the count and this process's permits change. The fast journal, with the commit's tag, then the
   * count word (the commit), then the entry.
   */
  void commitFast(long w, long count, long held) {
    long tag = w + 1 & TAG_MASK;
    // a plain store: the commit's setRelease orders it first, and nothing reads it before a takeover
    Mem.LONG.set(buf, FAST_JOURNAL, held << FAST_HELD_SHIFT | (mySlot + 1L) << SLOT_SHIFT | tag);
    Mem.LONG.setRelease(buf, COUNT, next(w, count, w & UNREPORTED_FLAG)); // commit
    table.setValue(mySlot, held);                   // setRelease: after the commit, never before it
  }

  /**
   * Under the lock: the count, the unreported permits and the permits of entry {@code s} change. The fast journal is
   * cleared first (it may name {@code s}); the journal, with the commit's tag in its slot word written last; the
   * count word (the commit); the entry and the unreported word; the journal cleared.
   */
  void commit(long w, long count, long unreported, int s, long held) {
    long tag = w + 1 & TAG_MASK;
    Mem.LONG.setRelease(buf, FAST_JOURNAL, 0L);
    Mem.LONG.setRelease(buf, JOURNAL_HELD, held);
    Mem.LONG.setRelease(buf, JOURNAL_UNREPORTED, unreported);
    Mem.LONG.setRelease(buf, JOURNAL, (s + 1L) << SLOT_SHIFT | tag);
    Mem.LONG.setRelease(buf, COUNT, next(w, count, unreported > 0 ? UNREPORTED_FLAG : 0L)); // commit
    table.setValue(s, held);
    Mem.LONG.setRelease(buf, UNREPORTED, unreported);
    Mem.LONG.setRelease(buf, JOURNAL, 0L);
  }

  /**
   * Under a lock word taken over from the dead: redoes the journal that carries the count word's tag, if one does
   * (the update was committed; redoing it again is harmless), and clears both journals (one with another tag belongs
   * to an update that was never committed).
   */
  private void redo() {
    long tag = state() & TAG_MASK;
    long j = (long) Mem.LONG.getAcquire(buf, JOURNAL);
    if (j != 0L && (j & TAG_MASK) == tag) {
      table.setValue(journalSlot(j, "journal"), (long) Mem.LONG.getAcquire(buf, JOURNAL_HELD));
      Mem.LONG.setRelease(buf, UNREPORTED, (long) Mem.LONG.getAcquire(buf, JOURNAL_UNREPORTED));
    }
    long f = (long) Mem.LONG.getAcquire(buf, FAST_JOURNAL);
    if (f != 0L && (f & TAG_MASK) == tag) {
      table.setValue(journalSlot(f, "fastJournal"), f >>> FAST_HELD_SHIFT);
    }
    Mem.LONG.setRelease(buf, JOURNAL, 0L);
    Mem.LONG.setRelease(buf, FAST_JOURNAL, 0L);
  }

  private int journalSlot(long j, String field) {
    long s = (j >>> SLOT_SHIFT & SLOT_MASK) - 1;
    if (s < 0 || s >= Liveness.SLOTS) {
      throw damaged(field, j, "a slot of 1 to " + Liveness.SLOTS + " in bits 16-28");
    }
    return (int) s;
  }

  IpcException damaged(String field, long value, String range) {
    return new IpcException(what + " is damaged: " + field + " = " + value + ", expected " + range);
  }

  /** The unreported permits of count word {@code w}: 0 unless flagged, else the word kept within 0 .. the count. */
  long unreported(long w) {
    if ((w & UNREPORTED_FLAG) == 0) {
      return 0L;
    }
    long u = (long) Mem.LONG.getAcquire(buf, UNREPORTED);
    return Math.max(0L, Math.min(u, countOf(w)));
  }

  /** Times the lock word was taken over from a process killed inside an update, ever. */
  long takeovers() {
    return word.takeovers();
  }
}
