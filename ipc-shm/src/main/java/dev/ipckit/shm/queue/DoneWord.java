package dev.ipckit.shm.queue;

import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.liveness.OwnerWord;
import dev.ipckit.spi.QueueViews;
import java.nio.ByteBuffer;

import static dev.ipckit.shm.queue.QueueDescriptor.DONE_OFFSET;
import static dev.ipckit.shm.queue.QueueDescriptor.TAIL_OFFSET;

/**
 * The done word of a queue file ({@code taskDone()} calls ever) read against tail (messages ever put) and the
 * {@link TaskTable}: the count of one {@code taskDone()}, {@code join()}'s looks and the abandoned tasks, as the
 * crash table of the {@linkplain dev.ipckit.shm.queue package summary} states them. Part of a {@link SlotRing},
 * which owns the buffer, the task table and the consumer lock word it is given.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads and processes: done changes only by compareAndSet, and
 * the only lock taken is the consumer lock word, over from a dead holder, to repair its take record.
 *
 * <p><b>Memory consistency.</b> A getAcquire of done pairs with the compareAndSet of {@link #taskDone()}: actions
 * before a {@code taskDone()} happen-before those after a look that counts it.
 *
 * <p><b>Peer death.</b> A process killed between its own count's decrement and the compareAndSet of done leaves
 * one task counted neither as owed nor as done (a {@code join()} waits for it); a dead taker's record is repaired
 * ({@link TaskTable#recover}) before its tasks are counted abandoned.
 */
final class DoneWord {
  private final ByteBuffer buf;
  private final TaskTable tasks;
  private final OwnerWord consumerLock;
  private final String name;
  private final DataArea.Damage damage;

  /** The done word of the queue {@code name} in {@code buf}; {@code damage} reports a damaged done word. */
  DoneWord(ByteBuffer buf, TaskTable tasks, OwnerWord consumerLock, String name, DataArea.Damage damage) {
    this.buf = buf;
    this.tasks = tasks;
    this.consumerLock = consumerLock;
    this.name = name;
    this.damage = damage;
  }

  /**
   * Counts one {@code taskDone()}: this process's own count - 1 when it owes a task ({@link TaskTable#taskDone}),
   * <em>then</em> a volatile compareAndSet of done (the other order would let a {@code join()} count the task twice,
   * as done and as abandoned). True when it was the last outstanding one (a {@code join()} may be waiting).
   * IllegalStateException when every message put is already done.
   */
  boolean taskDone() {
    checkDone();
    boolean owed = tasks.taskDone();
    for (;;) {
      long done = (long) Mem.LONG.getAcquire(buf, DONE_OFFSET);
      long put = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET);
      if (done >= put || done < 0) {
        if (owed) {
          tasks.undoTaskDone();       // refused: this process still owes the task
        }
        throw refused(done, put);
      }
      if (Mem.LONG.compareAndSet(buf, DONE_OFFSET, done, done + 1)) {
        return done + 1 >= put;
      }
    }
  }

  /** Throws when done is damaged or every message put is already done. */
  private void checkDone() {
    long done = (long) Mem.LONG.getAcquire(buf, DONE_OFFSET);
    long put = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET);
    if (done >= put || done < 0) {
      throw refused(done, put);
    }
  }

  /** Why a taskDone() is refused, for done {@code done >= put} (or damaged) read with tail {@code put}. */
  private RuntimeException refused(long done, long put) {
    if (done > put || done < 0) {
      return damage.report("done (taskDone() calls ever)", done, "0 to tail " + put);
    }
    return QueueViews.tooManyDone(name, put, done);
  }

  /** True when every message put is done: getAcquire of done pairs with the compareAndSet of taskDone(). */
  boolean allDone() {
    long done = (long) Mem.LONG.getAcquire(buf, DONE_OFFSET);
    long put = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET);  // read after done: only grows, so done <= put
    if (done > put || done < 0) {
      throw damage.report("done (taskDone() calls ever)", done, "0 to tail " + put);
    }
    return done >= put;
  }

  /**
   * join()'s costly look: true when every message put is done or abandoned, {@code done + abandoned >= tail}, the
   * abandoned tasks read first ({@link TaskTable#abandoned}), then done, then tail. Read only, apart from taking
   * the consumer lock over from a dead holder, as any consumer would, to repair its take.
   */
  boolean allDoneOrAbandoned() {
    long abandoned = abandonedNow();
    if (abandoned < 0) {
      return false;                               // not known now: the next probe looks again
    }
    long done = (long) Mem.LONG.getAcquire(buf, DONE_OFFSET);
    long put = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET);
    return done + abandoned >= put;
  }

  /**
   * Tasks taken by processes that died before marking them done, at most the tasks not done; -1 when it cannot be
   * told now (a dead taker's record that a live consumer lock holder has not repaired yet).
   */
  long abandonedTasks() {
    long abandoned = abandonedNow();
    if (abandoned < 0) {
      return -1L;
    }
    long done = (long) Mem.LONG.getAcquire(buf, DONE_OFFSET);
    long put = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET);
    return Math.max(0L, Math.min(abandoned, put - done));
  }

  /** {@link TaskTable#abandoned}, after repairing a dead taker's record if the consumer lock can be taken over. */
  private long abandonedNow() {
    if (tasks.deadRecord()) {
      int got = consumerLock.tryAcquire();
      if (got != OwnerWord.FAILED) {              // taken over, or free: no take is in progress, the taker is dead
        try {
          tasks.recover();
        } finally {
          consumerLock.release();
        }
      }
    }
    return tasks.abandoned();
  }
}
