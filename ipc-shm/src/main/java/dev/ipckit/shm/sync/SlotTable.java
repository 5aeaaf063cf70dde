package dev.ipckit.shm.sync;

import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.liveness.Liveness;
import java.nio.ByteBuffer;
import java.util.function.LongPredicate;

/**
 * The per-process table of a semaphore or barrier file: one entry per registry slot, so that every process of the
 * namespace has one ({@link Liveness#SLOTS} of them), and a word saying how many entries, from slot 0, may be in
 * use. Entry {@code s} belongs to the process that holds slot {@code s}: it records that process's token and one
 * word (a semaphore's permits held, a barrier's generation waited in). An entry whose token is not the token of
 * the slot's current holder is a dead process's leftover: the registry gives a slot to a new process only once its
 * previous holder is gone.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |  Token (8 bytes): 0 never used, else the recording process's  |  0
 *  +---------------------------------------------------------------+
 *  |  Value (8 bytes): what that process recorded                  |  8
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Thread safety.</b> Stateless over the mapped words: safe for any number of threads and processes. The
 * callers say who may write an entry (its own process, or whoever repairs a dead one's under the semaphore's
 * lock).
 *
 * @param buf the mapped file that holds the table
 * @param at the offset of the table in {@code buf}
 * @param inUseAt the offset of the long that counts the entries in use
 */
record SlotTable(ByteBuffer buf, int at, int inUseAt) {
  static final int ENTRY_LENGTH = 16;
  static final int TOKEN_OFFSET = 0;
  static final int VALUE_OFFSET = 8;
  /** Bytes of the whole table. */
  static final int LENGTH = Liveness.SLOTS * ENTRY_LENGTH;

  /** Offset of entry {@code s}'s token in the file. */
  static int entryOffset(int tableAt, int s) {
    return tableAt + s * ENTRY_LENGTH;
  }

  /**
   * Entries {@code 0 .. limit() - 1} may be in use (getAcquire). A count outside {@code 0 .. SLOTS} (a damaged
   * word) reads as {@code SLOTS}: every entry is looked at, never one past the table.
   */
  int limit() {
    long n = (long) Mem.LONG.getAcquire(buf, inUseAt);
    return n < 0 || n > Liveness.SLOTS ? Liveness.SLOTS : (int) n;
  }

  /**
   * Counts entry {@code s} as in use: raises the count to {@code s + 1} if it is lower (compareAndSet); a damaged
   * count becomes {@code SLOTS}, never less than what it stood for.
   */
  void use(int s) {
    for (;;) {
      long n = (long) Mem.LONG.getAcquire(buf, inUseAt);
      if (n > s && n <= Liveness.SLOTS) {
        return;
      }
      long raised = n < 0 || n > Liveness.SLOTS ? Liveness.SLOTS : s + 1L;
      if (Mem.LONG.compareAndSet(buf, inUseAt, n, raised)) {
        return;
      }
    }
  }

  /**
   * The token of entry {@code s} if its value passes {@code recorded} and its process is gone (the token is set, is
   * not {@code me}, and is not alive: one liveness question); else 0.
   */
  long goneToken(int s, LongPredicate recorded, Liveness liveness, long me) {
    if (!recorded.test(value(s))) {
      return 0L;
    }
    long tok = token(s);
    return tok != 0L && tok != me && !liveness.isAlive(tok) ? tok : 0L;
  }

  /** The token of entry {@code s} (getAcquire). */
  long token(int s) {
    return (long) Mem.LONG.getAcquire(buf, entryOffset(at, s) + TOKEN_OFFSET);
  }

  /** The value of entry {@code s} (getAcquire). */
  long value(int s) {
    return (long) Mem.LONG.getAcquire(buf, entryOffset(at, s) + VALUE_OFFSET);
  }

  /** Stores entry {@code s}'s token, then its value (setRelease both: a reader that sees the value sees the token). */
  void set(int s, long token, long value) {
    Mem.LONG.setRelease(buf, entryOffset(at, s) + TOKEN_OFFSET, token);
    Mem.LONG.setRelease(buf, entryOffset(at, s) + VALUE_OFFSET, value);
  }

  /** Stores entry {@code s}'s token (setRelease). */
  void setToken(int s, long token) {
    Mem.LONG.setRelease(buf, entryOffset(at, s) + TOKEN_OFFSET, token);
  }

  /** Stores entry {@code s}'s value (setRelease). */
  void setValue(int s, long value) {
    Mem.LONG.setRelease(buf, entryOffset(at, s) + VALUE_OFFSET, value);
  }
}
