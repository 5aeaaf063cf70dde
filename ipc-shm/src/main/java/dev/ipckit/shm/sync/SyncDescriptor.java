package dev.ipckit.shm.sync;

import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.liveness.Liveness;
import java.nio.ByteBuffer;

/**
 * Layouts of event, semaphore and barrier files: the hot words on their own cache line after the header, then for
 * a semaphore and a barrier a cold line and a {@link SlotTable} with an entry per registry slot.
 *
 * <p><b>Event</b>:
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                  Header (128 bytes, FileHeader)                |  0
 *  +---------------------------------------------------------------+
 *  |  State (8 bytes): 0 clear, 1 set                              |  128
 *  +---------------------------------------------------------------+
 *  |  Reserved up to 256                                           |  136
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Semaphore</b> (and bounded semaphore). Every word but the sleep word is written holding the lock word
 * ({@link dev.ipckit.shm.liveness.OwnerWord}). The count word's store is the commit point of every update: it
 * carries a new tag, and a journal carrying that tag is the update's (see the crash table in the package summary).
 * <pre>
 *  +---------------------------------------------------------------+
 *  |  Count word (8 bytes): permits available (bits 17-63) |       |  128
 *  |  unreported flag (bit 16) | tag of the last commit (0-15)     |
 *  +---------------------------------------------------------------+
 *  |  Lock (8 bytes): 0, or the token of the process updating      |  136
 *  +---------------------------------------------------------------+
 *  |  Fast journal (8 bytes): an entry's new permits (bits 29-63)  |  144
 *  |  | 1 + its slot (16-28) | the commit's tag (0-15); 0 for none |
 *  +---------------------------------------------------------------+
 *  |  Journal (8 bytes): 1 + the slot of the entry (16-28) | the   |  152
 *  |  commit's tag (0-15); 0 for none                              |
 *  +---------------------------------------------------------------+
 *  |  Journal held (8 bytes): that entry's new permits             |  160
 *  +---------------------------------------------------------------+
 *  |  Journal unreported (8 bytes): the new unreported permits     |  168
 *  +---------------------------------------------------------------+
 *  |  Unreported (8 bytes): permits a reclaim gave back that no    |  176
 *  |  acquisition has taken yet (at most the count; 0 unless the   |
 *  |  count word's flag is set)                                    |
 *  +---------------------------------------------------------------+
 *  |  Reserved up to 192                                           |  184
 *  +---------------------------------------------------------------+
 *  |  Entries in use (8 bytes): entries 0 .. this - 1 may be used  |  192
 *  +---------------------------------------------------------------+
 *  |  Reclaims (8 bytes): dead holders' entries reclaimed, ever    |  200
 *  +---------------------------------------------------------------+
 *  |  Lock takeovers (8 bytes): the lock word taken over from a    |  208
 *  |  process killed inside an update, ever                        |
 *  +---------------------------------------------------------------+
 *  |  Reserved up to 256                                           |  216
 *  +---------------------------------------------------------------+
 *  |  Holdings: SLOTS entries of 16 bytes (SlotTable): token,      |  256
 *  |  permits that process holds                                   |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Barrier</b>:
 * <pre>
 *  +---------------------------------------------------------------+
 *  |  State (8 bytes): generation (high 32) | broken (bit 31) |    |  128
 *  |  arrived count (low 31)                                       |
 *  +---------------------------------------------------------------+
 *  |  Reserved up to 192                                           |  136
 *  +---------------------------------------------------------------+
 *  |  Reset generation (8 bytes): the last generation that had     |  192
 *  |  parties and was ended by reset(), or -1                      |
 *  +---------------------------------------------------------------+
 *  |  Entries in use (8 bytes)                                     |  200
 *  +---------------------------------------------------------------+
 *  |  Reserved up to 256                                           |  208
 *  +---------------------------------------------------------------+
 *  |  Waiting: SLOTS entries of 16 bytes (SlotTable): token, the   |  256
 *  |  generation that process's parties last arrived in            |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Header arg0: semaphore - the bound of a bounded semaphore (its initial permits), else 0; barrier - parties.
 * Header arg1: semaphore - 1 if bounded.
 */
public final class SyncDescriptor {
  static final int STATE_OFFSET = FileHeader.LENGTH;

  static final int COUNT_OFFSET = STATE_OFFSET;
  static final int LOCK_OFFSET = COUNT_OFFSET + 8;
  static final int FAST_JOURNAL_OFFSET = LOCK_OFFSET + 8;
  static final int JOURNAL_OFFSET = FAST_JOURNAL_OFFSET + 8;
  static final int JOURNAL_HELD_OFFSET = JOURNAL_OFFSET + 8;
  static final int JOURNAL_UNREPORTED_OFFSET = JOURNAL_HELD_OFFSET + 8;
  static final int UNREPORTED_OFFSET = JOURNAL_UNREPORTED_OFFSET + 8;
  static final int SEMAPHORE_IN_USE_OFFSET = FileHeader.LENGTH + FileHeader.CACHE_LINE;
  static final int RECLAIMS_OFFSET = SEMAPHORE_IN_USE_OFFSET + 8;
  static final int LOCK_TAKEOVERS_OFFSET = RECLAIMS_OFFSET + 8;

  /** The count word: tag in bits 0-15, the unreported flag, the count from bit 17. */
  static final long TAG_MASK = 0xFFFF;
  static final long UNREPORTED_FLAG = 1L << 16;
  static final int COUNT_SHIFT = 17;
  /** Most permits the count word holds. */
  static final long MAX_COUNT = (1L << (64 - COUNT_SHIFT)) - 1;
  /** Journals: the commit's tag in bits 0-15, 1 + the slot in bits 16-28; the fast journal's permits from bit 29. */
  static final int SLOT_SHIFT = 16;
  static final long SLOT_MASK = (1L << 13) - 1;
  static final int FAST_HELD_SHIFT = 29;
  /** Most permits an entry may hold for the fast journal to carry them; more go through the journal. */
  static final long MAX_FAST_HELD = (1L << (64 - FAST_HELD_SHIFT)) - 1;

  static final int RESET_GENERATION_OFFSET = FileHeader.LENGTH + FileHeader.CACHE_LINE;
  static final int BARRIER_IN_USE_OFFSET = RESET_GENERATION_OFFSET + 8;

  /** Where the slot table of a semaphore or barrier starts. */
  static final int TABLE_OFFSET = FileHeader.LENGTH + 2 * FileHeader.CACHE_LINE;

  static final int EVENT_BODY_LENGTH = 2 * FileHeader.CACHE_LINE;
  static final int TABLE_BODY_LENGTH = 2 * FileHeader.CACHE_LINE + SlotTable.LENGTH;

  /**
   * What the words of an event, semaphore or barrier file say (header included, then the kind's words as its
   * header names it, then every table entry ever used); read-only.
   */
  public static Fields decode(ByteBuffer buf) {
    Fields f = Fields.header(buf);
    Kind kind = buf.capacity() >= FileHeader.LENGTH ? Kind.of((int) Mem.INT.getAcquire(buf, FileHeader.KIND_OFFSET))
        : null;
    if (kind == Kind.SEMAPHORE || kind == Kind.BOUNDED_SEMAPHORE) {
      f.longAt("count", COUNT_OFFSET, "permits (bits 17-63) | unreported flag (bit 16) | tag (bits 0-15)")
          .longAt("lock", LOCK_OFFSET, "0, or the token of the process updating the semaphore")
          .longAt("fastJournal", FAST_JOURNAL_OFFSET, "an entry's new permits | 1 + its slot | tag, or 0")
          .longAt("journal", JOURNAL_OFFSET, "1 + the slot of the journalled entry | tag, or 0")
          .longAt("journal.held", JOURNAL_HELD_OFFSET, "the journalled entry's new permits")
          .longAt("journal.unreported", JOURNAL_UNREPORTED_OFFSET, "the journalled unreported permits")
          .longAt("unreported", UNREPORTED_OFFSET, "reclaimed permits no acquisition has taken yet")
          .longAt("entriesInUse", SEMAPHORE_IN_USE_OFFSET, "holdings entries 0 .. this - 1 may be in use")
          .longAt("reclaims", RECLAIMS_OFFSET, "dead holders' entries reclaimed, ever")
          .longAt("lockTakeovers", LOCK_TAKEOVERS_OFFSET, "lock word taken over from the dead, ever");
      entries(f, buf, "held", "permits this process holds");
    } else if (kind == Kind.BARRIER) {
      f.longAt("state", STATE_OFFSET, "generation (high 32) | broken (bit 31) | arrived (low 31)")
          .longAt("resetGeneration", RESET_GENERATION_OFFSET, "the last reset() generation that had parties, or -1")
          .longAt("entriesInUse", BARRIER_IN_USE_OFFSET, "waiting entries 0 .. this - 1 may be in use");
      entries(f, buf, "generation", "the generation this process's parties last arrived in");
    } else {
      f.longAt("state", STATE_OFFSET, "1 if set, else 0");
    }
    return f;
  }

  /** Adds the token and value of every entry of the table whose token is not 0. */
  private static void entries(Fields f, ByteBuffer buf, String value, String meaning) {
    for (int s = 0; s < Liveness.SLOTS; s++) {
      int at = SlotTable.entryOffset(TABLE_OFFSET, s);
      if (at + SlotTable.ENTRY_LENGTH > buf.capacity()) {
        return;
      }
      if ((long) Mem.LONG.getAcquire(buf, at + SlotTable.TOKEN_OFFSET) != 0L) {
        f.longAt("slot" + s + ".token", at + SlotTable.TOKEN_OFFSET, "token of the process that recorded the entry")
            .longAt("slot" + s + "." + value, at + SlotTable.VALUE_OFFSET, meaning);
      }
    }
  }

  private SyncDescriptor() {
  }
}
