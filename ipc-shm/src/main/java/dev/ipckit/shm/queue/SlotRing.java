package dev.ipckit.shm.queue;

import dev.ipckit.IpcException;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.liveness.Liveness;
import dev.ipckit.shm.liveness.OwnerWord;
import dev.ipckit.shm.wait.Waiter;
import dev.ipckit.spi.Deadline;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static dev.ipckit.shm.queue.QueueDescriptor.CONSUMER_LOCK_OFFSET;
import static dev.ipckit.shm.queue.QueueDescriptor.HEAD_OFFSET;
import static dev.ipckit.shm.queue.QueueDescriptor.PRODUCER_LOCK_OFFSET;
import static dev.ipckit.shm.queue.QueueDescriptor.TAIL_OFFSET;
import static dev.ipckit.shm.queue.SlotDescriptor.DATA_POSITION_OFFSET;
import static dev.ipckit.shm.queue.SlotDescriptor.INLINE_MAX;
import static dev.ipckit.shm.queue.SlotDescriptor.LENGTH_OFFSET;
import static dev.ipckit.shm.queue.SlotDescriptor.PAYLOAD_OFFSET;
import static dev.ipckit.shm.queue.SlotDescriptor.SPILL_NUMBER_OFFSET;
import static dev.ipckit.shm.queue.SlotDescriptor.SPILL_TOKEN_OFFSET;
import static dev.ipckit.shm.queue.SlotDescriptor.TYPE_DATA;
import static dev.ipckit.shm.queue.SlotDescriptor.TYPE_INLINE;
import static dev.ipckit.shm.queue.SlotDescriptor.TYPE_OFFSET;
import static dev.ipckit.shm.queue.SlotDescriptor.TYPE_SPILLED;

/**
 * The ring of slots of a queue file and its protocol under the producer and consumer lock words, as stated in the
 * {@linkplain dev.ipckit.shm.queue package summary}: a put writes slot {@code tail % capacity} and publishes it
 * with setRelease(tail + 1); a take reads slot {@code head % capacity} and frees it with setRelease(head + 1).
 * Messages are {@code byte[]}; it knows no codec, never waits (every call is one attempt) and touches no file:
 * side files are the business of a {@link Spills}, the done word's count of finished tasks that of its
 * {@link DoneWord}. It works on any direct {@link ByteBuffer} laid out as {@link QueueDescriptor} says, mapped or
 * not.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads and processes: every call that reads or writes slots
 * holds the producer or the consumer lock word ({@link OwnerWord}) for its duration.
 *
 * <p><b>Memory consistency.</b> The plain stores of a slot (and its data-area bytes) happen-before a consumer's
 * getAcquire of a tail that covers it; a consumer's reads of a slot happen-before a producer's getAcquire of a
 * head past it, so a slot is never rewritten while it is being read.
 *
 * <p><b>Peer death.</b> A process killed before its release store of tail or head leaves the index unchanged: its
 * half-written or half-read slot is simply done again. A lock word left by a dead process is taken over by the
 * next {@link OwnerWord#acquireBriefly()}; a consumer that takes the consumer lock over first repairs the take
 * record a dead taker left ({@link TaskTable#recover}), so that the task count includes a take exactly when it
 * happened. A slot whose type or length is damaged is taken and reported as an
 * {@link IpcException}, never read out of bounds.
 */
final class SlotRing {
  /** The side file named by a spilled slot: the producer's token and its spill number. */
  record SpillRef(long owner, long number) {
  }

  /** Where the bytes of spilled messages are: called under the consumer lock, the slot not yet freed. */
  interface Spills {
    /**
     * The spilled message {@code n} of {@code length} bytes named {@code ref}: when {@code claim}, whatever the
     * take hands on (outside the lock) to read the bytes; otherwise the bytes ({@code byte[]}). Throws
     * {@link IpcException} when the message is lost.
     */
    Object open(long n, SpillRef ref, int length, boolean claim);
  }

  /**
   * What one JVM caches about one ring: a lower bound of the head (read by producers, written only under the
   * producer lock) and of the tail (consumers, under the consumer lock). Both indices only grow, so a stale copy is
   * merely pessimistic; it saves a cache miss on the other side's line for most messages.
   */
  static final class Cache {
    /** -1 until first read: the first put of this JVM reads head and checks it against tail. */
    long head = -1L;
    long tail;
    final DataArea.Cache data = new DataArea.Cache();
  }

  /**
   * How {@link #withSpilled} waits for the consumer lock: as {@link OwnerWord#acquireBriefly()} (uninterruptible,
   * unannounced), with the caller's deadline.
   */
  private static final Waiter.Spec SWEEP_WAIT = Waiter.Spec.interruptible().uninterruptible();

  private final ByteBuffer buf;
  private final int capacity;
  private final long token;
  private final OwnerWord producerLock;
  private final OwnerWord consumerLock;
  private final DataArea data;
  private final Cache cache;
  private final TaskTable tasks;
  private final DoneWord done;
  private final Spills spills;
  private final String name;
  private final Path dir;

  /**
   * The ring of a queue file of {@code capacity} slots in {@code buf} (the whole file, header included), whose
   * lock words record {@code liveness}'s token. {@code name} and {@code dir} only name the queue in messages.
   */
  SlotRing(ByteBuffer buf, int capacity, Liveness liveness, Cache cache, Spills spills, String name, Path dir) {
    this.buf = buf;
    this.capacity = capacity;
    this.token = liveness.token();
    this.producerLock = new OwnerWord(buf, PRODUCER_LOCK_OFFSET, -1, liveness);
    this.consumerLock = new OwnerWord(buf, CONSUMER_LOCK_OFFSET, -1, liveness);
    this.data = DataArea.of(buf, capacity, cache.data);
    this.cache = cache;
    this.tasks = new TaskTable(buf, capacity, liveness);
    this.done = new DoneWord(buf, tasks, consumerLock, name, this::damaged);
    this.spills = spills;
    this.name = name;
    this.dir = dir;
  }

  int capacity() {
    return capacity;
  }

  DataArea data() {
    return data;
  }

  OwnerWord producerLock() {
    return producerLock;
  }

  OwnerWord consumerLock() {
    return consumerLock;
  }

  TaskTable tasks() {
    return tasks;
  }

  /**
   * Acquires the consumer lock; a takeover from a dead holder first repairs the take it may have left half done
   * ({@link TaskTable#recover}).
   */
  private void lockConsumers() {
    if (consumerLock.acquireBriefly()) {
      tasks.recover();
    }
  }

  // ------------------------------------------------------------------ producer side

  /**
   * One put under the producer lock: true if message {@code b} was published, false if the ring is full (no free
   * slot or, for a data-area message, no room in the data area). {@code spill} is this process's number of the
   * side file that already holds {@code b}, or negative: then {@code b} goes into the slot or the data area.
   */
  boolean tryPut(byte[] b, long spill) {
    ByteBuffer buf = this.buf;
    producerLock.acquireBriefly();
    try {
      long t = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET);
      if (t - cache.head >= capacity || t < cache.head || cache.head < 0) {
        cache.head = (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET); // pairs with the consumers' setRelease
        checkIndices(cache.head, t);  // exact here: tail is ours, and head never passes a tail we published
        if (t - cache.head >= capacity) {
          return false;
        }
      }
      int at = QueueDescriptor.slotOffset(t, capacity);
      if (spill < 0 && b.length > INLINE_MAX) {
        long dt = data.tryReserve(b.length, t);
        if (dt < 0) {
          return false;
        }
        data.copyIn(dt, b);
        buf.putInt(at + LENGTH_OFFSET, b.length);
        buf.putLong(at + DATA_POSITION_OFFSET, dt);
        buf.putInt(at + TYPE_OFFSET, TYPE_DATA);
        data.publish(dt, b.length); // data tail, with setRelease: before the slot's publish
      } else if (spill < 0) {
        buf.putInt(at + LENGTH_OFFSET, b.length);
        buf.put(at + PAYLOAD_OFFSET, b);
        buf.putInt(at + TYPE_OFFSET, TYPE_INLINE);
      } else {
        buf.putInt(at + LENGTH_OFFSET, b.length);
        buf.putLong(at + SPILL_TOKEN_OFFSET, token);
        buf.putLong(at + SPILL_NUMBER_OFFSET, spill);
        buf.putInt(at + TYPE_OFFSET, TYPE_SPILLED);
      }
      // publish: the slot's (and data bytes') plain stores above happen-before a consumer's getAcquire of tail > t
      Mem.LONG.setRelease(buf, TAIL_OFFSET, t + 1);
      return true;
    } finally {
      producerLock.release();
    }
  }

  /**
   * A hint read without any lock: whether a put of {@code len} bytes ({@code spilled}: in a side file) might find
   * a free slot and data room.
   */
  boolean mayHaveRoom(int len, boolean spilled) {
    long t = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET);
    long h = (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET); // head is freed by consumers with setRelease
    if (t - h >= capacity) {
      return false;
    }
    return spilled || len <= INLINE_MAX || h == t || data.mayHaveRoom(len);
  }

  // ------------------------------------------------------------------ consumer side

  /**
   * One take under the consumer lock: the head message's bytes ({@code byte[]}), what {@link Spills#open} returned
   * for a spilled one or, for a damaged slot, the {@link IpcException} to throw; null if the ring is empty. The
   * slot is freed only after it has been completely read.
   */
  Object tryTake() {
    ByteBuffer buf = this.buf;
    lockConsumers();
    try {
      long h = (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET);
      if (h >= cache.tail || cache.tail - h > capacity) {
        cache.tail = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET); // pairs with the producers' setRelease
        checkIndices(h, cache.tail);  // head is ours; tail, read after it, only grows and stays within capacity
        if (h >= cache.tail) {
          return null;
        }
      }
      long dataEnd = dataEnd(h); // read before the slot is freed and may be rewritten
      Object m = takeSlot(h);
      long recorded = tasks.record(h, 1); // the take record first, then the count: a taker killed between
      tasks.count(1, recorded);           // here and clearing it is repaired by the next holder (recover)
      // free the slot: our reads above happen-before a producer's getAcquire of head > h
      Mem.LONG.setRelease(buf, HEAD_OFFSET, h + 1);
      tasks.afterTake(recorded);
      if (dataEnd >= 0) {
        data.free(dataEnd); // then its bytes
      }
      return m;
    } finally {
      consumerLock.release();
    }
  }

  /**
   * Takes up to {@code max} messages under one hold of the consumer lock into {@code out}, each as
   * {@link #tryTake()} returns it; all of them ({@code clear()}) for {@link Integer#MAX_VALUE}.
   */
  void takeBatch(List<Object> out, int max) {
    ByteBuffer buf = this.buf;
    lockConsumers();
    try {
      long h = (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET);
      long t = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET); // pairs with the producers' setRelease
      checkIndices(h, t);
      cache.tail = t;
      long end = h + Math.min(t - h, max);
      long dataEnd = -1L;
      for (long n = h; n < end; n++) {
        dataEnd = Math.max(dataEnd, dataEnd(n));
        out.add(takeSlot(n));
      }
      if (end > h) {
        long recorded = tasks.record(h, end - h); // as tryTake: record, count, free, clear
        tasks.count(end - h, recorded);
        Mem.LONG.setRelease(buf, HEAD_OFFSET, end); // free the slots, all read
        tasks.afterTake(recorded);
      }
      if (dataEnd >= 0) {
        data.free(dataEnd); // then their data bytes
      }
    } finally {
      consumerLock.release();
    }
  }

  /**
   * Copies of up to {@code max} messages from the head, read under the consumer lock without taking them (side
   * files are read, not claimed); a damaged slot throws.
   */
  List<byte[]> snapshot(int max) {
    List<byte[]> out = new ArrayList<>();
    ByteBuffer buf = this.buf;
    lockConsumers();
    try {
      long h = (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET);
      long t = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET);
      checkIndices(h, t);
      for (long n = h; n < t && n - h < max; n++) {
        out.add((byte[]) readSlot(n, false));
      }
    } finally {
      consumerLock.release();
    }
    return out;
  }

  /**
   * Recovery of side files: runs {@code action} under the consumer lock, so that no slot is freed meanwhile, with
   * the side files that the messages in the ring still name. Waits at most {@code nanos} ({@link Deadline#FOREVER}:
   * as every consumer does) while a live process holds the lock, and takes it over from a dead one as
   * {@link #lockConsumers()} does. False, {@code action} not run, when a live holder kept it all that time.
   */
  boolean withSpilled(Consumer<Set<SpillRef>> action, long nanos) {
    ByteBuffer buf = this.buf;
    int got = consumerLock.acquire(SWEEP_WAIT, null, nanos, null);
    if (got == OwnerWord.FAILED) {
      return false;                               // a live consumer held it throughout: left to the next sweep
    }
    if (got == OwnerWord.TOOK_OVER) {
      tasks.recover();                            // as lockConsumers(): repair the dead holder's take first
    }
    try {
      Set<SpillRef> live = new HashSet<>();
      long h = (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET);
      long t = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET);
      checkIndices(h, t);
      for (long n = h; n < t; n++) {
        int at = QueueDescriptor.slotOffset(n, capacity);
        if (buf.getInt(at + TYPE_OFFSET) == TYPE_SPILLED) {
          live.add(new SpillRef(buf.getLong(at + SPILL_TOKEN_OFFSET), buf.getLong(at + SPILL_NUMBER_OFFSET)));
        }
      }
      action.accept(live);
    } finally {
      consumerLock.release();
    }
    return true;
  }

  /**
   * For a well-formed data-area slot {@code n} (caller holds the consumer lock, {@code head <= n < tail}): the data
   * position just past its bytes, what data head becomes once it is taken ({@link DataArea#end}); -1 for any other
   * slot.
   */
  private long dataEnd(long n) {
    int at = QueueDescriptor.slotOffset(n, capacity);
    return buf.getInt(at + TYPE_OFFSET) == TYPE_DATA
        ? data.end(buf.getLong(at + DATA_POSITION_OFFSET), buf.getInt(at + LENGTH_OFFSET)) : -1L;
  }

  /** Reads message {@code n} for taking (claiming its side file); a damaged slot yields an exception object. */
  private Object takeSlot(long n) {
    try {
      return readSlot(n, true);
    } catch (IpcException e) {
      return e;
    }
  }

  /**
   * Reads message {@code n} (the caller holds the consumer lock and {@code head <= n < tail}). Lengths read from
   * the file are bounds-checked. A spilled message goes to {@link Spills#open}, claimed or not.
   */
  private Object readSlot(long n, boolean claim) {
    int at = QueueDescriptor.slotOffset(n, capacity);
    int len = buf.getInt(at + LENGTH_OFFSET);
    int type = buf.getInt(at + TYPE_OFFSET);
    if (type == TYPE_INLINE && len >= 0 && len <= INLINE_MAX) {
      byte[] b = new byte[len];
      buf.get(at + PAYLOAD_OFFSET, b);
      return b;
    }
    if (type == TYPE_DATA && DataArea.fits(len)) {
      long pos = buf.getLong(at + DATA_POSITION_OFFSET);
      data.checkLive(n, pos, len, this::damaged);      // never garbage: only bytes no producer has overwritten
      return data.copyOut(pos, len);
    }
    if (type == TYPE_SPILLED && len > INLINE_MAX && len <= Integer.MAX_VALUE - 8) {
      SpillRef ref = new SpillRef(buf.getLong(at + SPILL_TOKEN_OFFSET), buf.getLong(at + SPILL_NUMBER_OFFSET));
      return spills.open(n, ref, len, claim);
    }
    throw new IpcException("message " + n + " of queue \"" + name + "\" in " + dir + " is damaged (type " + type
        + ", length " + len + "); it is skipped");
  }

  // ------------------------------------------------------------------ counts, done (DoneWord)

  /** Messages in the ring, exact when no put or take is in progress. */
  int size() {
    long h = (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET);
    long t = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET);
    return (int) Math.max(0L, Math.min(capacity, t - h));
  }

  /** A hint read without any lock: true when a message may be there to take. */
  boolean mayHaveMessage() {
    // tail is published by producers with setRelease
    return (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET) < (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET);
  }

  /** {@link DoneWord#taskDone}: true when it counted the last outstanding task. */
  boolean taskDone() {
    return done.taskDone();
  }

  /** {@link DoneWord#allDone}: every message put is done. */
  boolean allDone() {
    return done.allDone();
  }

  /** {@link DoneWord#allDoneOrAbandoned}: join()'s costly look. */
  boolean allDoneOrAbandoned() {
    return done.allDoneOrAbandoned();
  }

  /** {@link DoneWord#abandonedTasks}: -1 when it cannot be told now. */
  long abandonedTasks() {
    return done.abandonedTasks();
  }

  /**
   * The ring's invariant, {@code 0 <= head <= tail <= head + capacity}, for a head and tail read under a lock
   * word (the producer lock: tail exact, head read after it; the consumer lock: head exact, tail read after it);
   * either way a healthy queue satisfies it, since head never passes a published tail and a put never runs more
   * than capacity ahead of a head it has read. Outside a lock (size(), hints) the two may disagree for an instant
   * and are only clamped.
   */
  private void checkIndices(long head, long tail) {
    if (head < 0 || tail < head || tail - head > capacity) {
      throw damaged(head < 0 ? "head" : "head/tail", head < 0 ? head : tail - head,
          head < 0 ? "0 or more" : "tail - head from 0 to capacity " + capacity + " (head " + head + ", tail "
              + tail + ")");
    }
  }

  /** The damage report: the file, the field, what it holds and what is valid. */
  IpcException damaged(String field, long value, String valid) {
    return new IpcException("queue \"" + name + "\" in " + dir + " is damaged: " + field + " is " + value
        + ", valid is " + valid + " (the file was changed by something other than ipckit; its messages cannot be"
        + " trusted)");
  }

  /** Messages ever published and ever taken: tail, head. */
  long[] indices() {
    return new long[] {(long) Mem.LONG.getAcquire(buf, TAIL_OFFSET), (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET)};
  }
}
