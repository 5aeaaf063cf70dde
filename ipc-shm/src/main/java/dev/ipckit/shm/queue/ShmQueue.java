package dev.ipckit.shm.queue;

import static dev.ipckit.shm.queue.QueueDescriptor.CONSUMER_LOCK_OFFSET;
import static dev.ipckit.shm.queue.QueueDescriptor.DATA_HEAD_OFFSET;
import static dev.ipckit.shm.queue.QueueDescriptor.DATA_MAX;
import static dev.ipckit.shm.queue.QueueDescriptor.DATA_POSITION_FIELD;
import static dev.ipckit.shm.queue.QueueDescriptor.DATA_TAIL_OFFSET;
import static dev.ipckit.shm.queue.QueueDescriptor.DONE_OFFSET;
import static dev.ipckit.shm.queue.QueueDescriptor.HEAD_OFFSET;
import static dev.ipckit.shm.queue.QueueDescriptor.INLINE_MAX;
import static dev.ipckit.shm.queue.QueueDescriptor.PRODUCER_LOCK_OFFSET;
import static dev.ipckit.shm.queue.QueueDescriptor.SLOT_LENGTH_FIELD;
import static dev.ipckit.shm.queue.QueueDescriptor.SLOT_PAYLOAD;
import static dev.ipckit.shm.queue.QueueDescriptor.SLOT_TYPE_FIELD;
import static dev.ipckit.shm.queue.QueueDescriptor.SPILL_NUMBER_FIELD;
import static dev.ipckit.shm.queue.QueueDescriptor.SPILL_TOKEN_FIELD;
import static dev.ipckit.shm.queue.QueueDescriptor.TAIL_OFFSET;
import static dev.ipckit.shm.queue.QueueDescriptor.TYPE_DATA;
import static dev.ipckit.shm.queue.QueueDescriptor.TYPE_INLINE;
import static dev.ipckit.shm.queue.QueueDescriptor.TYPE_SPILLED;

import dev.ipckit.Codec;
import dev.ipckit.DecodeException;
import dev.ipckit.IpcException;
import dev.ipckit.IpcQueue;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.liveness.Liveness;
import dev.ipckit.shm.liveness.OwnerWord;
import dev.ipckit.shm.wait.AdaptiveSpin;
import dev.ipckit.shm.wait.Deadline;
import dev.ipckit.shm.wait.SleepWord;
import dev.ipckit.shm.wait.Waiter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@link dev.ipckit.Ipc#queue}: a bounded ring of fixed-size slots in a mapped file ({@link QueueDescriptor}),
 * producers serialised by one robust lock word, consumers by another, so a put and a take never wait for each
 * other. A message of at most {@link QueueDescriptor#INLINE_MAX} (248) bytes is copied into its slot; one of at
 * most {@link QueueDescriptor#DATA_MAX} (64 KiB) into the data area, a byte ring in the same file (at least 1 MiB,
 * {@code capacity * 256} bytes for large capacities, at most 64 MiB), its slot holding the position; a longer one is
 * first written to a side file {@code name@spill-<producer>-<number>} (mode 0600) and its slot only points to it.
 * The capacity counts messages, whatever their size; a put of a data-area message also waits (an offer fails)
 * while the data area has no room for it, which happens only when it holds many large messages.
 *
 * <p><b>Thread safety.</b> Safe for any number of producer and consumer threads in any number of processes.
 * Each message is taken exactly once; messages of one producer thread are taken in the order it put them.
 * {@link #size()} is exact when no put or take is in progress. Waiting ({@code put} on full, {@code take} on
 * empty, {@link #join()}) is the one wait loop ({@link Waiter}: spin, yield, park): an idle waiter costs
 * under 2 % of a core and notices a change within 50 µs to 2 ms. A put or take whose previous wait was short
 * (under 1 ms: an active exchange) first spins adaptively for about twice that long, yielding every
 * {@code ipckit.queue.spinsPerYield} (16) steps, at most {@code ipckit.queue.maxSpinMicros} (1000) µs, so that two
 * processes trading messages stay awake; this costs CPU while messages keep arriving less than 1 ms apart.
 *
 * <p><b>Memory consistency.</b> As for {@link java.util.concurrent.BlockingQueue}: actions in a thread before
 * putting a message happen-before actions after that message is taken, in whichever process takes it (the tail
 * is published with setRelease and read with getAcquire; the head likewise back to producers). Actions before
 * {@link #taskDone()} happen-before the return of a {@link #join()} that sees it.
 *
 * <p><b>Peer death.</b> A process killed at any instant never corrupts the queue and never blocks the others
 * for more than a few milliseconds: a lock word left by a dead process is taken over once the registry says the
 * process is gone. A producer killed before publishing leaves nothing (its half-written slot is overwritten, its
 * half-written side file is deleted by the next process that opens the queue); a consumer killed before it has
 * freed the slot leaves the message to the next consumer. A producer killed while copying into the data area leaves
 * at most a gap there, freed with the messages around it; a consumer killed after freeing a data-area slot but
 * before freeing its bytes leaves those bytes counted as used until the next data-area message is taken or the
 * queue is empty. A message whose take had completed in the killed
 * process (the slot freed) is gone with it, as it would be with any queue. Messages stay in the file when every
 * process has exited and are found when the namespace is opened again. A consumer that dies between taking a
 * message and calling {@link #taskDone()} leaves {@link #join()} waiting, as in Python.
 *
 * <p><b>Not supported across processes</b> (they throw {@link UnsupportedOperationException}): removing from
 * the middle - {@link #remove(Object)}, {@link #removeAll}, {@link #retainAll}, {@link #removeIf} and
 * {@code iterator().remove()}. {@link #iterator()}, {@link #toArray()} and {@link #contains} work on a snapshot
 * taken under the consumer lock (decoding every message: costly for a large queue).
 */
public final class ShmQueue<E> extends ShmHandle implements IpcQueue<E> {
  private static final long serialVersionUID = 1L;
  /** Spill numbers of this JVM; with the process's token they name side files uniquely. */
  private static final AtomicLong SPILL_NUMBERS = new AtomicLong();
  /** Most messages taken under one hold of the consumer lock by drainTo. */
  private static final int DRAIN_BATCH = 256;

  private final transient ByteBuffer buf;
  private final transient int capacity;
  private final transient int dataOffset;
  private final transient int dataLength;
  private final transient Codec<E> codec;
  private final transient Liveness registry;
  private final transient long token;
  private final transient OwnerWord producerLock;
  private final transient OwnerWord consumerLock;
  /** Sleep words: consumers waiting for a message (and join() for taskDone), producers waiting for room. */
  private final transient SleepWord consumers;
  private final transient SleepWord producers;
  private final transient State st;
  private final transient Path dir;
  private final transient String spillPrefix;
  private final transient String takenPrefix;

  /**
   * What one JVM caches about one queue: a lower bound of the head (read by producers, written only under the
   * producer lock) and of the tail (consumers, under the consumer lock). Both indices only grow, so a stale copy
   * is merely pessimistic; it saves a cache miss on the other side's line for most messages.
   */
  static final class State {
    long headCache;
    long tailCache;
    /** A lower bound of the first data-area byte still in use (written only under the producer lock). */
    long dataHeadCache;
    boolean swept;
    /** Adaptive spinning of waiting puts (full) and takes (empty). */
    final AdaptiveSpin putSpin = new AdaptiveSpin();
    final AdaptiveSpin takeSpin = new AdaptiveSpin();
  }

  /** A spilled message claimed by this consumer: its side file, already renamed to this process. */
  private static final class Spilled {
    final Path path;
    final int length;

    Spilled(Path path, int length) {
      this.path = path;
      this.length = length;
    }
  }

  private ShmQueue(NamespaceView ns, String name, MappedFile file, int capacity, Codec<E> codec, State st) {
    super(ns, name, Kind.QUEUE);
    this.buf = file.buffer;
    this.capacity = capacity;
    this.dataOffset = QueueDescriptor.dataOffset(capacity);
    this.dataLength = QueueDescriptor.dataLength(capacity);
    this.codec = codec;
    this.registry = ns.liveness();
    this.token = registry.token();
    this.producerLock = new OwnerWord(buf, PRODUCER_LOCK_OFFSET, -1, registry);
    this.consumerLock = new OwnerWord(buf, CONSUMER_LOCK_OFFSET, -1, registry);
    this.consumers = ns.sleepWord(buf, QueueDescriptor.CONSUMER_SLEEP_OFFSET);
    this.producers = ns.sleepWord(buf, QueueDescriptor.PRODUCER_SLEEP_OFFSET);
    this.st = st;
    this.dir = ns.dir();
    this.spillPrefix = name + "@spill-";
    this.takenPrefix = name + "@taken-";
  }

  public static <E> IpcQueue<E> open(NamespaceView ns, String name, int capacity, Codec<E> codec) {
    if (capacity < 1 || capacity > QueueDescriptor.MAX_CAPACITY) {
      throw new IllegalArgumentException("capacity must be 1 to " + QueueDescriptor.MAX_CAPACITY
          + ": capacity=" + capacity + " for queue \"" + name + "\"");
    }
    Objects.requireNonNull(codec, "codec");
    MappedFile file = ns.file(name, spec(capacity));
    State st = ns.shared(Kind.QUEUE.name() + "/" + name, k -> new State());
    ShmQueue<E> q = new ShmQueue<>(ns, name, file, capacity, codec, st);
    boolean sweep;
    synchronized (st) {
      sweep = !st.swept;
      st.swept = true;
    }
    if (sweep) {
      q.sweepOrphans();
    }
    return q;
  }

  private static MappedFile.Spec spec(int capacity) {
    long want = QueueDescriptor.arg1(capacity);
    return MappedFile.spec(Kind.QUEUE, capacity, want, QueueDescriptor.bodyLength(capacity), null,
        (a0, a1) -> a0 != capacity ? "capacity " + a0 + ", not " + capacity
            : a1 == want ? null
            : "slots of " + (a1 & 0xFFFF) + " bytes and a data area of " + (a1 >>> 16) + " bytes, not "
                + QueueDescriptor.SLOT_LENGTH + " and " + (want >>> 16) + " (made by another ipckit version?)");
  }

  // ------------------------------------------------------------------ producer side

  @Override
  public boolean offer(E e) {
    checkOpen();
    byte[] b = encode(e);
    long spill = b.length > DATA_MAX ? writeSpill(b) : -1L;
    boolean done = false;
    try {
      done = tryPut(b, spill);
      return done;
    } finally {
      if (!done && spill >= 0) {
        deleteQuietly(dir.resolve(spillName(token, spill)));
      }
    }
  }

  @Override
  public void put(E e) throws InterruptedException {
    enqueue(e, Deadline.FOREVER);
  }

  @Override
  public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
    return enqueue(e, Deadline.nanos(timeout, unit));
  }

  @Override
  public boolean add(E e) {
    if (offer(e)) {
      return true;
    }
    throw new IllegalStateException("queue \"" + name + "\" is full: capacity=" + capacity + " messages, data area "
        + dataLength + " bytes");
  }

  @Override
  public boolean addAll(Collection<? extends E> c) {
    Objects.requireNonNull(c, "c");
    if (c == this) {
      throw new IllegalArgumentException("cannot add a queue to itself");
    }
    boolean modified = false;
    for (E e : c) {
      modified |= add(e);
    }
    return modified;
  }

  private boolean enqueue(E e, long nanos) throws InterruptedException {
    Objects.requireNonNull(e, "null elements are not accepted");
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    checkOpen();
    byte[] b = encode(e);
    long spill = b.length > DATA_MAX ? writeSpill(b) : -1L;
    boolean done = false;
    try {
      if (tryPut(b, spill)) {
        done = true;
        return true;
      }
      // wait for space without the lock: head is freed by consumers with setRelease
      done = awaitAttempt(() -> mayHaveRoom(b.length, spill) && tryPut(b, spill) ? Boolean.TRUE : null,
          producers, st.putSpin, nanos) != null;
      return done;
    } finally {
      if (!done && spill >= 0) {
        deleteQuietly(dir.resolve(spillName(token, spill)));
      }
    }
  }

  /** A hint read without any lock: whether a put of {@code len} bytes might find a free slot and data room. */
  private boolean mayHaveRoom(int len, long spill) {
    long t = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET);
    long h = (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET);
    if (t - h >= capacity) {
      return false;
    }
    if (spill >= 0 || len <= INLINE_MAX || h == t) {
      return true;
    }
    // data head is freed by consumers with setRelease
    return (long) Mem.LONG.getAcquire(buf, DATA_TAIL_OFFSET) + len - (long) Mem.LONG.getAcquire(buf, DATA_HEAD_OFFSET)
        <= dataLength;
  }

  /**
   * One attempt under the producer lock: true if the message was published, false if the queue is full (no free
   * slot, or for a data-area message no room in the data area).
   */
  /** One put attempt; wakes parked consumers when it puts. */
  private boolean tryPut(byte[] b, long spill) {
    if (tryPutLocked(b, spill)) {
      consumers.wake();
      return true;
    }
    return false;
  }

  private boolean tryPutLocked(byte[] b, long spill) {
    ByteBuffer buf = this.buf;
    producerLock.acquireBriefly();
    try {
      long t = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET);
      if (t - st.headCache >= capacity) {
        st.headCache = (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET); // pairs with the consumers' setRelease
        if (t - st.headCache >= capacity) {
          return false;
        }
      }
      int at = QueueDescriptor.slotOffset(t, capacity);
      if (spill < 0 && b.length > INLINE_MAX) {
        // data tail is written only under the producer lock: the lock's acquire orders this read
        long dt = (long) Mem.LONG.getAcquire(buf, DATA_TAIL_OFFSET);
        if (dt + b.length - st.dataHeadCache > dataLength) {
          // pairs with the consumers' setRelease of data head, made after they copied the bytes out
          long dh = (long) Mem.LONG.getAcquire(buf, DATA_HEAD_OFFSET);
          if ((long) Mem.LONG.getAcquire(buf, HEAD_OFFSET) == t) {
            dh = dt; // every message is taken (and its bytes copied out): no data byte is in use
          }
          st.dataHeadCache = Math.max(st.dataHeadCache, Math.min(dh, dt));
          if (dt + b.length - st.dataHeadCache > dataLength) {
            return false;
          }
        }
        copyIn(dt, b);
        buf.putInt(at + SLOT_LENGTH_FIELD, b.length);
        buf.putLong(at + DATA_POSITION_FIELD, dt);
        buf.putInt(at + SLOT_TYPE_FIELD, TYPE_DATA);
        // before the publish: dying after this store leaves a gap in the data area, never a live message that
        // the next producer would overwrite (that would follow from storing it after the publish)
        Mem.LONG.setRelease(buf, DATA_TAIL_OFFSET, dt + b.length);
      } else if (spill < 0) {
        buf.putInt(at + SLOT_LENGTH_FIELD, b.length);
        buf.put(at + SLOT_PAYLOAD, b);
        buf.putInt(at + SLOT_TYPE_FIELD, TYPE_INLINE);
      } else {
        buf.putInt(at + SLOT_LENGTH_FIELD, b.length);
        buf.putLong(at + SPILL_TOKEN_FIELD, token);
        buf.putLong(at + SPILL_NUMBER_FIELD, spill);
        buf.putInt(at + SLOT_TYPE_FIELD, TYPE_SPILLED);
      }
      // publish: the slot's (and data bytes') plain stores above happen-before a consumer's getAcquire of tail > t
      Mem.LONG.setRelease(buf, TAIL_OFFSET, t + 1);
      return true;
    } finally {
      producerLock.release();
    }
  }

  /** Copies {@code b} into the data area at {@code position}, wrapping past its end. */
  private void copyIn(long position, byte[] b) {
    int off = (int) Math.floorMod(position, (long) dataLength);
    int first = Math.min(b.length, dataLength - off);
    buf.put(dataOffset + off, b, 0, first);
    if (first < b.length) {
      buf.put(dataOffset, b, first, b.length - first);
    }
  }

  /** Copies {@code len} bytes out of the data area from {@code position}, wrapping past its end. */
  private byte[] copyOut(long position, int len) {
    byte[] b = new byte[len];
    int off = (int) Math.floorMod(position, (long) dataLength);
    int first = Math.min(len, dataLength - off);
    buf.get(dataOffset + off, b, 0, first);
    if (first < len) {
      buf.get(dataOffset, b, first, len - first);
    }
    return b;
  }

  private byte[] encode(E e) {
    Objects.requireNonNull(e, "null elements are not accepted");
    byte[] b;
    try {
      b = codec.encode(e);
    } catch (RuntimeException ex) {
      throw new IllegalArgumentException("cannot encode a " + e.getClass().getName() + " for queue \"" + name
          + "\" with " + codec + ": " + ex, ex);
    }
    if (b == null) {
      throw new IllegalArgumentException(codec + " encoded a " + e.getClass().getName() + " as null for queue \""
          + name + "\"");
    }
    return b;
  }

  /** Writes {@code b} to a new side file (0600) named for this process; returns its spill number. */
  private long writeSpill(byte[] b) {
    long n = SPILL_NUMBERS.incrementAndGet();
    Path p = dir.resolve(spillName(token, n));
    boolean interrupted = Thread.interrupted(); // an interrupt would close the channel mid-write
    try (FileChannel ch = FileChannel.open(p, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      ByteBuffer src = ByteBuffer.wrap(b);
      while (src.hasRemaining()) {
        ch.write(src);
      }
    } catch (IOException ex) {
      deleteQuietly(p);
      throw new IpcException("cannot write a message of " + b.length + " bytes for queue \"" + name + "\" to "
          + p + ": " + ex, ex);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return n;
  }

  // ------------------------------------------------------------------ consumer side

  @Override
  public E poll() {
    checkOpen();
    Object m = tryTake();
    return m == null ? null : decode(m);
  }

  @Override
  public E take() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    checkOpen();
    Object m = tryTake();
    if (m == null) {
      m = awaitTake(Deadline.FOREVER);
    }
    return decode(m);
  }

  @Override
  public E poll(long timeout, TimeUnit unit) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    checkOpen();
    long nanos = Deadline.nanos(timeout, unit);
    Object m = tryTake();
    if (m == null) {
      m = awaitTake(nanos);
    }
    return m == null ? null : decode(m);
  }

  @Override
  public E remove() {
    E e = poll();
    if (e == null) {
      throw new NoSuchElementException("queue \"" + name + "\" is empty");
    }
    return e;
  }

  private Object awaitTake(long nanos) throws InterruptedException {
    // wait for a message without the lock: tail is published by producers with setRelease
    return awaitAttempt(
        () -> (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET) < (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET)
            ? tryTake() : null,
        consumers, st.takeSpin, nanos);
  }

  /**
   * Repeats {@code attempt} until it returns non-null, which is returned; null once {@code nanos} have passed. Spins
   * adaptively first ({@link AdaptiveSpin}), then backs off (the one wait loop, {@link Waiter}).
   */
  private <T> T awaitAttempt(Supplier<T> attempt, SleepWord sleep, AdaptiveSpin spin, long nanos)
      throws InterruptedException {
    Object[] result = new Object[1];
    int outcome = Waiter.await(new Waiter.Until<RuntimeException>() {
      @Override
      public boolean ready() {
        return (result[0] = attempt.get()) != null;
      }

      @Override
      public boolean check() {
        checkOpen();
        return false;
      }
    }, Waiter.Spec.interruptible(), sleep, spin, nanos);
    if (outcome == Waiter.INTERRUPTED) {
      throw new InterruptedException();
    }
    @SuppressWarnings("unchecked")
    T t = (T) result[0];
    return t;
  }

  /**
   * One attempt under the consumer lock: the head message's bytes ({@code byte[]}), its claimed side file
   * ({@link Spilled}) or, for a damaged slot, the {@link IpcException} to throw; null if the queue is empty.
   * The slot is freed only after it has been completely read.
   */
  /** One take attempt; wakes parked producers when it takes. */
  private Object tryTake() {
    Object m = tryTakeLocked();
    if (m != null) {
      producers.wake();
    }
    return m;
  }

  private Object tryTakeLocked() {
    ByteBuffer buf = this.buf;
    consumerLock.acquireBriefly();
    try {
      long h = (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET);
      if (h >= st.tailCache) {
        st.tailCache = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET); // pairs with the producers' setRelease
        if (h >= st.tailCache) {
          return null;
        }
      }
      long dataEnd = dataEnd(h); // read before the slot is freed and may be rewritten
      Object m = takeSlot(h);
      // free the slot: our reads above happen-before a producer's getAcquire of head > h
      Mem.LONG.setRelease(buf, HEAD_OFFSET, h + 1);
      if (dataEnd >= 0) {
        // then its bytes (after the slot: dying in between only leaves them counted as used a little longer)
        Mem.LONG.setRelease(buf, DATA_HEAD_OFFSET, dataEnd);
      }
      return m;
    } finally {
      consumerLock.release();
    }
  }

  /**
   * For a well-formed data-area slot {@code n} (caller holds the consumer lock, {@code head <= n < tail}): the data
   * position just past its bytes, what data head becomes once it is taken; -1 for any other slot.
   */
  private long dataEnd(long n) {
    int at = QueueDescriptor.slotOffset(n, capacity);
    int len = buf.getInt(at + SLOT_LENGTH_FIELD);
    long pos = buf.getLong(at + DATA_POSITION_FIELD);
    // never beyond data tail (stored before the slot was published): a damaged slot cannot free live bytes
    return buf.getInt(at + SLOT_TYPE_FIELD) == TYPE_DATA && len > INLINE_MAX && len <= DATA_MAX && pos >= 0
        && pos + len <= (long) Mem.LONG.getAcquire(buf, DATA_TAIL_OFFSET) ? pos + len : -1L;
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
   * the file are bounds-checked. When {@code claim}, a side file is renamed to this process and returned as
   * {@link Spilled}; otherwise its bytes are read and the file left in place.
   */
  private Object readSlot(long n, boolean claim) {
    int at = QueueDescriptor.slotOffset(n, capacity);
    int len = buf.getInt(at + SLOT_LENGTH_FIELD);
    int type = buf.getInt(at + SLOT_TYPE_FIELD);
    if (type == TYPE_INLINE && len >= 0 && len <= INLINE_MAX) {
      byte[] b = new byte[len];
      buf.get(at + SLOT_PAYLOAD, b);
      return b;
    }
    if (type == TYPE_DATA && len > INLINE_MAX && len <= DATA_MAX) {
      long pos = buf.getLong(at + DATA_POSITION_FIELD);
      if (pos >= 0) {
        return copyOut(pos, len); // bounded: offsets are taken modulo the data length
      }
    }
    if (type == TYPE_SPILLED && len > INLINE_MAX && len <= Integer.MAX_VALUE - 8) {
      long owner = buf.getLong(at + SPILL_TOKEN_FIELD);
      long number = buf.getLong(at + SPILL_NUMBER_FIELD);
      Path p = locateSpill(owner, number);
      if (!claim) {
        return readFile(p, len, false);
      }
      Path mine = dir.resolve(takenName(owner, number, token));
      try {
        if (!p.equals(mine)) {
          Files.move(p, mine, StandardCopyOption.ATOMIC_MOVE);
        }
      } catch (IOException e) {
        throw new IpcException("message " + n + " of queue \"" + name + "\" is lost: cannot claim its side file "
            + p + ": " + e, e);
      }
      return new Spilled(mine, len);
    }
    throw new IpcException("message " + n + " of queue \"" + name + "\" in " + dir + " is damaged (type " + type
        + ", length " + len + "); it is skipped");
  }

  /** The side file of a spilled message: under its spill name, or claimed by a consumer that died. */
  private Path locateSpill(long owner, long number) {
    Path p = dir.resolve(spillName(owner, number));
    if (Files.exists(p)) {
      return p;
    }
    String prefix = takenPrefix + Long.toHexString(owner) + "-" + Long.toHexString(number) + "-";
    for (Path q : list(prefix)) {
      return q; // we hold the consumer lock and the slot is not freed: its claimer died before freeing it
    }
    throw new IpcException("the side file " + p + " of a message of queue \"" + name + "\" is missing; the message"
        + " is lost");
  }

  private byte[] readFile(Path p, int len, boolean delete) {
    boolean interrupted = Thread.interrupted(); // an interrupt would close the channel mid-read
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size != len) {
        throw new IpcException("the side file " + p + " of queue \"" + name + "\" has " + size + " bytes, its slot"
            + " says " + len);
      }
      byte[] b = new byte[len];
      ByteBuffer dst = ByteBuffer.wrap(b);
      while (dst.hasRemaining()) {
        if (ch.read(dst) < 0) {
          throw new IpcException("the side file " + p + " of queue \"" + name + "\" ended early");
        }
      }
      return b;
    } catch (IOException e) {
      throw new IpcException("cannot read the side file " + p + " of queue \"" + name + "\": " + e, e);
    } finally {
      if (delete) {
        deleteQuietly(p);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Turns what {@link #tryTake} returned into the message (outside the lock; the message is already taken). */
  private E decode(Object m) {
    if (m instanceof IpcException) {
      throw (IpcException) m;
    }
    byte[] b = m instanceof byte[] ? (byte[]) m : readFile(((Spilled) m).path, ((Spilled) m).length, true);
    return decodeBytes(b);
  }

  private E decodeBytes(byte[] b) {
    E e;
    try {
      e = codec.decode(b, 0, b.length);
    } catch (RuntimeException ex) {
      throw new DecodeException("cannot decode a message of " + b.length + " bytes taken from queue \"" + name
          + "\" with " + codec + ": " + ex + " (the message has left the queue, its bytes are in this exception;"
          + " the others are intact)", b, ex);
    }
    if (e == null) {
      throw new DecodeException(codec + " decoded a message of " + b.length + " bytes from queue \"" + name
          + "\" as null (its bytes are in this exception)", b, null);
    }
    return e;
  }

  @Override
  public int drainTo(Collection<? super E> c) {
    return drainTo(c, Integer.MAX_VALUE);
  }

  @Override
  public int drainTo(Collection<? super E> c, int maxElements) {
    Objects.requireNonNull(c, "c");
    if (c == this) {
      throw new IllegalArgumentException("cannot drain a queue to itself");
    }
    checkOpen();
    int total = 0;
    RuntimeException failure = null;
    List<Object> batch = new ArrayList<>();
    while (total < maxElements) {
      batch.clear();
      takeBatch(batch, Math.min(DRAIN_BATCH, maxElements - total));
      if (batch.isEmpty()) {
        break;
      }
      for (Object m : batch) {
        E e;
        try {
          e = decode(m);
        } catch (RuntimeException ex) {
          if (failure == null) {
            failure = ex;
          } else {
            failure.addSuppressed(ex);
          }
          continue;
        }
        c.add(e);
        total++;
      }
      if (failure != null) {
        break;
      }
    }
    if (failure != null) {
      throw failure;
    }
    return total;
  }

  /** Takes up to {@code max} messages under one hold of the consumer lock. */
  private void takeBatch(List<Object> out, int max) {
    ByteBuffer buf = this.buf;
    consumerLock.acquireBriefly();
    try {
      long h = (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET);
      long t = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET);
      st.tailCache = t;
      long end = Math.min(t, h + max);
      long dataEnd = -1L;
      for (long n = h; n < end; n++) {
        dataEnd = Math.max(dataEnd, dataEnd(n));
        out.add(takeSlot(n));
      }
      if (end > h) {
        Mem.LONG.setRelease(buf, HEAD_OFFSET, end); // free the slots, all read
      }
      if (dataEnd >= 0) {
        Mem.LONG.setRelease(buf, DATA_HEAD_OFFSET, dataEnd); // then their data bytes
      }
    } finally {
      consumerLock.release();
    }
    producers.wake();
  }

  @Override
  public E peek() {
    checkOpen();
    List<byte[]> one = snapshot(1);
    return one.isEmpty() ? null : decodeBytes(one.get(0));
  }

  @Override
  public E element() {
    E e = peek();
    if (e == null) {
      throw new NoSuchElementException("queue \"" + name + "\" is empty");
    }
    return e;
  }

  /** Copies of up to {@code max} messages from the head, read under the consumer lock without taking them. */
  private List<byte[]> snapshot(int max) {
    List<byte[]> out = new ArrayList<>();
    ByteBuffer buf = this.buf;
    consumerLock.acquireBriefly();
    try {
      long h = (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET);
      long t = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET);
      for (long n = h; n < t && n - h < max; n++) {
        out.add((byte[]) readSlot(n, false));
      }
    } finally {
      consumerLock.release();
    }
    return out;
  }

  private List<E> decodedSnapshot() {
    checkOpen();
    List<byte[]> raw = snapshot(Integer.MAX_VALUE);
    List<E> out = new ArrayList<>(raw.size());
    for (byte[] b : raw) {
      out.add(decodeBytes(b));
    }
    return out;
  }

  @Override
  public void clear() {
    checkOpen();
    ByteBuffer buf = this.buf;
    List<Path> files = new ArrayList<>();
    consumerLock.acquireBriefly();
    try {
      long h = (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET);
      long t = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET);
      long dataEnd = -1L;
      for (long n = h; n < t; n++) {
        dataEnd = Math.max(dataEnd, dataEnd(n));
        Object m = takeSlot(n);
        if (m instanceof Spilled) {
          files.add(((Spilled) m).path);
        }
      }
      if (t > h) {
        Mem.LONG.setRelease(buf, HEAD_OFFSET, t);
      }
      if (dataEnd >= 0) {
        Mem.LONG.setRelease(buf, DATA_HEAD_OFFSET, dataEnd);
      }
    } finally {
      consumerLock.release();
    }
    for (Path p : files) {
      deleteQuietly(p);
    }
  }

  // ------------------------------------------------------------------ counts, join

  @Override
  public int size() {
    checkOpen();
    long h = (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET);
    long t = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET);
    return (int) Math.max(0L, Math.min(capacity, t - h));
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public int remainingCapacity() {
    return capacity - size();
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public void taskDone() {
    checkOpen();
    for (;;) {
      long done = (long) Mem.LONG.getAcquire(buf, DONE_OFFSET);
      long put = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET);
      if (done >= put) {
        throw new IllegalStateException("taskDone() called more times than messages were put on queue \"" + name
            + "\": " + put + " put, " + done + " already done");
      }
      if (Mem.LONG.compareAndSet(buf, DONE_OFFSET, done, done + 1)) {
        if (done + 1 >= put) {
          consumers.wake(); // a join() may be parked on the consumers' word
        }
        return;
      }
    }
  }

  @Override
  public void join() throws InterruptedException {
    // getAcquire of done pairs with the volatile compareAndSet of taskDone(); join() waits on the consumers'
    // sleep word, which the taskDone() that finishes the last task rings
    awaitCondition(() -> (long) Mem.LONG.getAcquire(buf, DONE_OFFSET) >= (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET),
        consumers, Deadline.FOREVER);
  }

  // ------------------------------------------------------------------ collection views

  @Override
  public boolean contains(Object o) {
    if (o == null) {
      return false;
    }
    for (E e : decodedSnapshot()) {
      if (o.equals(e)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean containsAll(Collection<?> c) {
    List<E> snap = decodedSnapshot();
    for (Object o : c) {
      if (o == null || !snap.contains(o)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Object[] toArray() {
    return decodedSnapshot().toArray();
  }

  @Override
  public <T> T[] toArray(T[] a) {
    return decodedSnapshot().toArray(a);
  }

  /** A snapshot of the messages in the queue, head first; its {@code remove()} is unsupported. */
  @Override
  public Iterator<E> iterator() {
    Iterator<E> it = decodedSnapshot().iterator();
    return new Iterator<E>() {
      @Override public boolean hasNext() {
        return it.hasNext();
      }

      @Override public E next() {
        return it.next();
      }

      @Override public void remove() {
        throw unsupported("iterator().remove()");
      }
    };
  }

  @Override
  public boolean remove(Object o) {
    throw unsupported("remove(Object)");
  }

  @Override
  public boolean removeAll(Collection<?> c) {
    throw unsupported("removeAll");
  }

  @Override
  public boolean retainAll(Collection<?> c) {
    throw unsupported("retainAll");
  }

  @Override
  public boolean removeIf(Predicate<? super E> filter) {
    throw unsupported("removeIf");
  }

  private UnsupportedOperationException unsupported(String what) {
    return new UnsupportedOperationException(what + " is not supported by queue \"" + name + "\": across processes"
        + " only the head is taken (use poll/take/drainTo)");
  }

  // ------------------------------------------------------------------ side files

  private String spillName(long owner, long number) {
    return spillPrefix + Long.toHexString(owner) + "-" + Long.toHexString(number);
  }

  private String takenName(long owner, long number, long consumer) {
    return takenPrefix + Long.toHexString(owner) + "-" + Long.toHexString(number) + "-" + Long.toHexString(consumer);
  }

  private List<Path> list(String prefix) {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir,
        p -> p.getFileName().toString().startsWith(prefix))) {
      for (Path p : ds) {
        out.add(p);
      }
    } catch (IOException e) {
      throw new IpcException("cannot list " + dir + ": " + e, e);
    }
    return out;
  }

  /**
   * Deletes side files left by dead processes: spilled by a producer that died before publishing, or claimed by
   * a consumer that died after freeing the slot. A file whose message is still in the ring is kept. Runs under the
   * consumer lock, so no slot is freed meanwhile.
   */
  void sweepOrphans() {
    List<Path> dead = new ArrayList<>();
    for (Path p : list(name + "@")) {
      String f = p.getFileName().toString();
      long[] parts;
      if (f.startsWith(spillPrefix)) {
        parts = parseHex(f.substring(spillPrefix.length()), 2);
        if (parts != null && !registry.isAlive(parts[0])) {
          dead.add(p);
        }
      } else if (f.startsWith(takenPrefix)) {
        parts = parseHex(f.substring(takenPrefix.length()), 3);
        if (parts != null && !registry.isAlive(parts[2])) {
          dead.add(p);
        }
      }
    }
    if (dead.isEmpty()) {
      return;
    }
    ByteBuffer buf = this.buf;
    consumerLock.acquireBriefly();
    try {
      Set<String> live = new HashSet<>();
      long h = (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET);
      long t = (long) Mem.LONG.getAcquire(buf, TAIL_OFFSET);
      for (long n = h; n < t; n++) {
        int at = QueueDescriptor.slotOffset(n, capacity);
        if (buf.getInt(at + SLOT_TYPE_FIELD) == TYPE_SPILLED) {
          live.add(Long.toHexString(buf.getLong(at + SPILL_TOKEN_FIELD)) + "-"
              + Long.toHexString(buf.getLong(at + SPILL_NUMBER_FIELD)));
        }
      }
      for (Path p : dead) {
        String f = p.getFileName().toString();
        String rest = f.startsWith(spillPrefix) ? f.substring(spillPrefix.length())
            : f.substring(takenPrefix.length(), f.lastIndexOf('-'));
        if (!live.contains(rest)) {
          deleteQuietly(p);
        }
      }
    } finally {
      consumerLock.release();
    }
  }

  private static long[] parseHex(String s, int count) {
    String[] parts = s.split("-");
    if (parts.length != count) {
      return null;
    }
    long[] out = new long[count];
    try {
      for (int i = 0; i < count; i++) {
        out[i] = Long.parseUnsignedLong(parts[i], 16);
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return out;
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a leftover side file is swept when its owner is gone
    }
  }

  // ------------------------------------------------------------------ handle

  @Override
  protected long refArg() {
    return capacity;
  }

  @Override
  protected Codec<?> refCodec() {
    return codec;
  }

  @Override
  public String toString() {
    return isClosed() ? super.toString()
        : "queue[\"" + name + "\" in " + dir + ", " + size() + "/" + capacity + ", " + codec + "]";
  }

  /** The mapped file (header included), for tests that play a process dying at a chosen instant. */
  ByteBuffer buffer() {
    return buf;
  }

  /** For tests that play a process dying while it holds a lock word: the producers' and consumers' lock words. */
  OwnerWord producerLock() {
    return producerLock;
  }

  OwnerWord consumerLock() {
    return consumerLock;
  }

  /** This process's registry token, as written into lock words and side-file names. */
  long token() {
    return token;
  }

  /** For tests: messages ever put and ever taken (tail, head). */
  long[] indices() {
    return new long[] {(long) Mem.LONG.getAcquire(buf, TAIL_OFFSET), (long) Mem.LONG.getAcquire(buf, HEAD_OFFSET)};
  }

  /** For tests: data bytes ever written and ever freed (data tail, data head). */
  long[] dataIndices() {
    return new long[] {(long) Mem.LONG.getAcquire(buf, DATA_TAIL_OFFSET),
        (long) Mem.LONG.getAcquire(buf, DATA_HEAD_OFFSET)};
  }
}
