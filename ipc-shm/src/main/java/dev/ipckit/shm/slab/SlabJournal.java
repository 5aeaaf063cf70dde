package dev.ipckit.shm.slab;

import dev.ipckit.IpcException;
import dev.ipckit.shm.format.Mem;
import java.nio.ByteBuffer;

/**
 * The slab's journal, in chunk 0's control block: what the holder of the slab's lock is doing, written before it
 * changes anything, so that whoever takes the lock over from a dead holder completes or undoes it ({@link
 * #recover}). The protocol and the table of what each death leaves are in {@link SlabLayout}.
 *
 * <p><b>Thread safety.</b> Used only by the holder of the slab's lock.
 */
final class SlabJournal {
  private final SlabFiles files;
  private final ByteBuffer control;

  SlabJournal(SlabFiles files) {
    this.files = files;
    this.control = files.control;
  }

  /** True when an operation is written and not yet complete: its holder died. */
  boolean pending() {
    return (long) Mem.LONG.getAcquire(control, SlabLayout.J_OP) != 0L;
  }

  /** Writes the journal of one operation: the post values of the control words, then its op (release). */
  void write(long op, long slot, long bucket, long generation, long postNext, long postHead,
      long postLive, long postRemoved, long postUsed, long entry, long state) {
    control.putLong(SlabLayout.J_SLOT, slot);
    control.putLong(SlabLayout.J_BUCKET, bucket);
    control.putLong(SlabLayout.J_GENERATION, generation);
    control.putLong(SlabLayout.J_NEXT_FRESH, postNext);
    control.putLong(SlabLayout.J_FREE_HEAD, postHead);
    control.putLong(SlabLayout.J_LIVE, postLive);
    control.putLong(SlabLayout.J_REMOVED, postRemoved);
    control.putLong(SlabLayout.J_INDEX_USED, postUsed);
    control.putLong(SlabLayout.J_ENTRY, entry);
    control.putLong(SlabLayout.J_STATE, state);
    Mem.LONG.setRelease(control, SlabLayout.J_OP, op);
    SlabLayout.halt(SlabLayout.HALT_AFTER_JOURNAL);
  }

  /** Sets the control words to the journal's post values and clears the journal: the operation is complete. */
  void apply() {
    Mem.LONG.setRelease(control, SlabLayout.FREE_HEAD, control.getLong(SlabLayout.J_FREE_HEAD));
    Mem.LONG.setRelease(control, SlabLayout.LIVE, control.getLong(SlabLayout.J_LIVE));
    Mem.LONG.setRelease(control, SlabLayout.REMOVED, control.getLong(SlabLayout.J_REMOVED));
    Mem.LONG.setRelease(control, SlabLayout.INDEX_USED, control.getLong(SlabLayout.J_INDEX_USED));
    Mem.LONG.setRelease(control, SlabLayout.NEXT_FRESH, control.getLong(SlabLayout.J_NEXT_FRESH));
    SlabLayout.halt(SlabLayout.HALT_BEFORE_CLEAR);
    Mem.LONG.setRelease(control, SlabLayout.J_OP, 0L);
  }

  /**
   * Completes or undoes the operation in the journal, left by a holder of the lock that died: an insert whose
   * bucket was written is completed, one whose bucket was not is undone (its slot free again); a removal and a
   * reclaim are done again (each step writes what the journal says, so doing one twice is doing it once).
   */
  void recover() {
    long op = control.getLong(SlabLayout.J_OP);
    long s = control.getLong(SlabLayout.J_SLOT);
    long state = control.getLong(SlabLayout.J_STATE);
    if (s < 0 || s >= SlabLayout.MAX_SLOTS || s > files.nextFresh()) {
      throw new IpcException("the slab of " + files.dir + " is damaged: its journal names slot " + s + " (op " + op + ")");
    }
    ByteBuffer b = files.chunk(SlabLayout.chunkOf(s)).buffer();
    int m = SlabLayout.metaOffset(s);
    SlabFiles.Index idx = files.currentIndex();
    int bucket = (int) control.getLong(SlabLayout.J_BUCKET);
    boolean sameIndex = control.getLong(SlabLayout.J_GENERATION) == idx.generation && bucket >= 0
        && bucket <= idx.mask;
    if (op == SlabLayout.INSERT) {
      if (sameIndex && idx.bucket(bucket) == control.getLong(SlabLayout.J_ENTRY)) {
        Mem.LONG.setRelease(b, m + SlabLayout.M_STATE, state);
        apply();
        return;
      }
      // undo: the slot is free again, as the control words (not yet changed) still say
      if (s != files.nextFresh()) {
        b.putLong(m + SlabLayout.M_NEXT, control.getLong(SlabLayout.J_FREE_HEAD)); // back on the free list
      }
      Mem.LONG.setRelease(b, m + SlabLayout.M_STATE, SlabLayout.state(state >>> 32, SlabLayout.FREE, null));
      Mem.LONG.setRelease(control, SlabLayout.J_OP, 0L);
    } else if (op == SlabLayout.REMOVE) {
      Mem.LONG.setRelease(b, m + SlabLayout.M_STATE, state);
      if (sameIndex) {
        Mem.LONG.setVolatile(idx.buf, SlabLayout.bucketOffset(bucket), SlabLayout.TOMBSTONE);
      }
      apply();
    } else if (op == SlabLayout.RECLAIM) {
      Mem.LONG.setRelease(b, m + SlabLayout.M_STATE, state);
      apply();
    } else {
      throw new IpcException("the slab of " + files.dir + " is damaged: its journal holds op " + op);
    }
  }

}
