package dev.ipckit.shm.queue;

import static dev.ipckit.shm.queue.QueueDescriptor.HEAD_OFFSET;
import static dev.ipckit.shm.queue.QueueDescriptor.RECOVERIES_OFFSET;
import static dev.ipckit.shm.queue.QueueDescriptor.TAKE_COUNT_OFFSET;
import static dev.ipckit.shm.queue.QueueDescriptor.TAKE_HEAD_OFFSET;
import static dev.ipckit.shm.queue.QueueDescriptor.TAKE_TOKEN_OFFSET;
import static dev.ipckit.shm.queue.QueueDescriptor.TASK_COUNTS_OFFSET;
import static dev.ipckit.shm.queue.QueueDescriptor.TASK_ENTRIES;
import static dev.ipckit.shm.queue.QueueDescriptor.TASK_ENTRY_LENGTH;
import static dev.ipckit.shm.queue.QueueDescriptor.TASK_OWNER_OFFSET;

import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.liveness.Liveness;
import java.nio.ByteBuffer;

/**
 * The table of unfinished tasks of a queue file: for each registry slot, how many messages its process took and has
 * not marked done ({@code own}), and how many earlier, dead processes of the same slot left ({@code inherited});
 * with the take record on the consumer lock's line, which makes a take's count exact however the taker dies. The
 * words are drawn in {@link QueueDescriptor}; the steps and what a kill between them leaves are in the crash table
 * of the {@linkplain dev.ipckit.shm.queue package summary}.
 *
 * <p>A process counts in the entry of its registry slot ({@code token & 0xFFFF} minus 1, as {@link Liveness} defines
 * tokens; a token of a slot past {@link QueueDescriptor#TASK_ENTRIES} is not counted). Before its first count it
 * stores its token in the entry's owner word and moves what the entry holds to {@code inherited} with one
 * compareAndSet ({@code (g, c, i) -> (mine, 0, i + c)}); its predecessor in the slot is dead, since the registry
 * gives a slot only to a process whose predecessor is gone.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads and processes. {@link #record}, {@link #count},
 * {@link #afterTake} and {@link #recover} are called under the consumer lock; {@link #taskDone} and {@link #abandoned} from any
 * thread without a lock. Every change of a counts word is a compareAndSet.
 *
 * <p><b>Memory consistency.</b> The take record is written (plain stores, then setRelease of its token) before the
 * compareAndSet of the count, and cleared with setRelease after head's release; a consumer that takes the lock over
 * reads it after its compareAndSet of the lock word.
 *
 * <p><b>Peer death.</b> A taker killed inside a take leaves its record; the next holder of the consumer lock
 * ({@link #recover}) makes the count include the take exactly when head says it happened. A process killed between
 * the two compareAndSets of one {@code taskDone()} leaves one task counted neither as owed nor as done: a
 * {@code join()} waits for it. Counts saturate at {@link #MAX}: a saturated count is never changed again and never
 * counted as abandoned.
 */
final class TaskTable {
  /** The largest own or inherited count; a count that reaches it is saturated. */
  static final long MAX = (1L << 20) - 1;
  private static final int INHERITED_SHIFT = 1;
  private static final int OWN_SHIFT = 21;
  private static final int GENERATION_SHIFT = 41;
  private static final long GENERATION_MASK = (1L << 23) - 1;

  private final ByteBuffer buf;
  private final int base;
  private final Liveness liveness;
  private final long token;
  /** Offset of this process's entry, or -1 when its slot has none. */
  private final int mine;
  private final long myGeneration;
  /** True once this handle has seen its token in its entry's owner word (set only by this process). */
  private boolean owned;

  TaskTable(ByteBuffer buf, int capacity, Liveness liveness) {
    this.buf = buf;
    this.base = QueueDescriptor.taskTableOffset(capacity);
    this.liveness = liveness;
    this.token = liveness.token();
    int slot = slotOf(token);
    this.mine = slot < 0 ? -1 : base + slot * TASK_ENTRY_LENGTH;
    this.myGeneration = generationOf(token);
  }

  // ------------------------------------------------------------------ counts word

  /** The entry index of {@code token}, or -1. */
  static int slotOf(long token) {
    int s = (int) (token & 0xFFFF) - 1;
    return s >= 0 && s < TASK_ENTRIES ? s : -1;
  }

  static long generationOf(long token) {
    return token >>> 16 & GENERATION_MASK;
  }

  static long counts(long generation, long own, long inherited, long toggle) {
    return generation << GENERATION_SHIFT | own << OWN_SHIFT | inherited << INHERITED_SHIFT | toggle;
  }

  static long generation(long c) {
    return c >>> GENERATION_SHIFT;
  }

  static long own(long c) {
    return c >>> OWN_SHIFT & MAX;
  }

  static long inherited(long c) {
    return c >>> INHERITED_SHIFT & MAX;
  }

  static long toggle(long c) {
    return c & 1L;
  }

  /** {@code a + b}, saturated: {@link #MAX} if either is. */
  private static long add(long a, long b) {
    return a == MAX || b == MAX ? MAX : Math.min(MAX, a + b);
  }

  // ------------------------------------------------------------------ take (under the consumer lock)

  /**
   * Before a take of {@code n} messages from head {@code h} (under the consumer lock), first of two steps: makes
   * the entry this process's (owner word, then the fold), then writes the take record. Returns the counts word's
   * toggle before the take, for {@link #count}; -1 when this process has no entry (nothing is recorded).
   */
  long record(long h, long n) {
    if (mine < 0) {
      return -1L;
    }
    claim();
    long t = toggle((long) Mem.LONG.getVolatile(buf, mine + TASK_COUNTS_OFFSET)); // flipped only by takes, one
    buf.putLong(TAKE_HEAD_OFFSET, h);                                              // at a time: stable till ours
    buf.putLong(TAKE_COUNT_OFFSET, n << 1 | t);
    Mem.LONG.setRelease(buf, TAKE_TOKEN_OFFSET, token); // the record is present: its fields happen-before
    return t;
  }

  /** Second step, before head's release: own + n and the toggle flipped, in one compareAndSet. */
  void count(long n, long recorded) {
    if (recorded < 0) {
      return;
    }
    for (;;) { // other threads of this process may decrement own meanwhile: retry
      long now = (long) Mem.LONG.getVolatile(buf, mine + TASK_COUNTS_OFFSET);
      long next = counts(myGeneration, add(own(now), n), inherited(now), recorded ^ 1L);
      if (Mem.LONG.compareAndSet(buf, mine + TASK_COUNTS_OFFSET, now, next)) {
        return;
      }
    }
  }

  /** After head's release: clears the take record (when {@link #record} wrote one). */
  void afterTake(long recorded) {
    if (recorded >= 0) {
      Mem.LONG.setRelease(buf, TAKE_TOKEN_OFFSET, 0L);
    }
  }

  /**
   * Makes the entry this process's: its token in the owner word, then what the entry held moved to inherited with
   * one compareAndSet. Under the consumer lock, or from {@link #taskDone} only to look.
   */
  private void claim() {
    if (owned) {
      return;
    }
    int at = mine;
    if ((long) Mem.LONG.getAcquire(buf, at + TASK_OWNER_OFFSET) != token) {
      // first: a kill before the fold leaves owner = us (dead) over the predecessor's counts, dead either way
      Mem.LONG.setRelease(buf, at + TASK_OWNER_OFFSET, token);
      for (;;) {
        long c = (long) Mem.LONG.getVolatile(buf, at + TASK_COUNTS_OFFSET);
        long next = counts(myGeneration, 0L, add(inherited(c), own(c)), toggle(c));
        if (Mem.LONG.compareAndSet(buf, at + TASK_COUNTS_OFFSET, c, next)) { // the fold: one compareAndSet
          break;
        }
      }
    }
    owned = true;
  }

  // ------------------------------------------------------------------ taskDone

  /**
   * The first step of a taskDone(): own - 1 when this process owes a task (own greater than 0 and not saturated).
   * True if it did; false for a taskDone() on behalf of another process (no change).
   */
  boolean taskDone() {
    if (mine < 0) {
      return false;
    }
    if (!owned) {
      if ((long) Mem.LONG.getAcquire(buf, mine + TASK_OWNER_OFFSET) != token) {
        return false;                     // this process never took: on behalf of another
      }
      owned = true;
    }
    for (;;) {
      long c = (long) Mem.LONG.getVolatile(buf, mine + TASK_COUNTS_OFFSET);
      long own = own(c);
      if (generation(c) != myGeneration || own == 0L || own == MAX) {
        return false;
      }
      if (Mem.LONG.compareAndSet(buf, mine + TASK_COUNTS_OFFSET, c, c - (1L << OWN_SHIFT))) {
        return true;
      }
    }
  }

  /** Undoes {@link #taskDone()} that returned true, when the done count refused the call. */
  void undoTaskDone() {
    for (;;) {
      long c = (long) Mem.LONG.getVolatile(buf, mine + TASK_COUNTS_OFFSET);
      long next = counts(generation(c), add(own(c), 1L), inherited(c), toggle(c));
      if (Mem.LONG.compareAndSet(buf, mine + TASK_COUNTS_OFFSET, c, next)) {
        return;
      }
    }
  }

  // ------------------------------------------------------------------ recovery (under the consumer lock)

  /**
   * After taking the consumer lock over from a dead holder: if it left a take record, makes its entry count the
   * take exactly when head says the take happened (toggle flipped: the count was added), counts the repair, then
   * clears the record. Idempotent: a recoverer killed midway leaves the record for the next.
   */
  void recover() {
    long taker = (long) Mem.LONG.getAcquire(buf, TAKE_TOKEN_OFFSET);
    if (taker == 0L) {
      return;
    }
    long h0 = buf.getLong(TAKE_HEAD_OFFSET);
    long nt = buf.getLong(TAKE_COUNT_OFFSET);
    long n = nt >>> 1;
    long t0 = nt & 1L;
    boolean took = (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET) != h0;
    int slot = slotOf(taker);
    if (slot >= 0) {
      int at = base + slot * TASK_ENTRY_LENGTH + TASK_COUNTS_OFFSET;
      for (;;) {
        long c = (long) Mem.LONG.getVolatile(buf, at);
        if (generation(c) != generationOf(taker) || (toggle(c) != t0) == took) {
          break;            // not the taker's counts (cannot happen: folds need the lock), or already right
        }
        long own = own(c);
        long fixed = own == MAX ? MAX : took ? add(own, n) : Math.max(0L, own - n);
        if (Mem.LONG.compareAndSet(buf, at, c, counts(generation(c), fixed, inherited(c), toggle(c) ^ 1L))) {
          break;
        }
      }
    }
    Mem.LONG.getAndAdd(buf, RECOVERIES_OFFSET, 1L); // before clearing: a concurrent abandoned() sees a change
    Mem.LONG.setRelease(buf, TAKE_TOKEN_OFFSET, 0L);
  }

  /** True when a take record is present and its taker is dead (the consumer lock needs a takeover). */
  boolean deadRecord() {
    long taker = (long) Mem.LONG.getAcquire(buf, TAKE_TOKEN_OFFSET);
    return taker != 0L && !liveness.isAlive(taker);
  }

  // ------------------------------------------------------------------ abandoned

  /**
   * Tasks taken by processes that died before marking them done: the sum over entries of inherited plus own when
   * the entry's process is dead (saturated counts are not counted), read only. -1 when it cannot be told now: a take
   * record of a dead taker is present, or one was repaired while this read.
   */
  long abandoned() {
    long r1 = (long) Mem.LONG.getAcquire(buf, RECOVERIES_OFFSET);
    long k1 = (long) Mem.LONG.getAcquire(buf, TAKE_TOKEN_OFFSET);
    long sum = 0L;
    for (int at = base, end = base + TASK_ENTRIES * TASK_ENTRY_LENGTH; at < end; at += TASK_ENTRY_LENGTH) {
      long c = (long) Mem.LONG.getAcquire(buf, at + TASK_COUNTS_OFFSET);
      if (c == 0L) {
        continue;
      }
      long inherited = inherited(c);
      if (inherited != MAX) {
        sum += inherited;
      }
      long own = own(c);
      if (own != 0L && own != MAX) {
        long owner = (long) Mem.LONG.getAcquire(buf, at + TASK_OWNER_OFFSET);
        // counts of another generation than the owner word's: a predecessor, dead since the slot was reused
        if (generation(c) != generationOf(owner) || !liveness.isAlive(owner)) {
          sum += own;
        }
      }
    }
    long k2 = (long) Mem.LONG.getAcquire(buf, TAKE_TOKEN_OFFSET);
    if ((long) Mem.LONG.getAcquire(buf, RECOVERIES_OFFSET) != r1
        || k1 != 0L && !liveness.isAlive(k1) || k2 != 0L && !liveness.isAlive(k2)) {
      return -1L;           // a dead taker's count may include a take that did not happen
    }
    return sum;
  }
}
