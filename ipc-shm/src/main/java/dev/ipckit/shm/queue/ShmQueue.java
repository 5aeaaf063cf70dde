package dev.ipckit.shm.queue;

import dev.ipckit.Codec;
import dev.ipckit.IpcException;
import dev.ipckit.IpcQueue;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.core.WhileOpen;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.wait.AdaptiveSpin;
import dev.ipckit.shm.wait.SleepWord;
import dev.ipckit.shm.wait.Waiter;
import dev.ipckit.spi.Deadline;
import dev.ipckit.spi.QueueViews;
import dev.ipckit.spi.TimedQueue;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@link dev.ipckit.Ipc#queue}: a bounded queue of messages in a mapped file, whose protocol, layout and crash
 * behaviour are stated in the {@linkplain dev.ipckit.shm.queue package summary}. A message of at most
 * {@link SlotDescriptor#INLINE_MAX} (248) bytes is copied into its slot, one of at most
 * {@link QueueDescriptor#DATA_MAX} (64 KiB) into the data area (1 to 64 MiB in the same file), a longer one into a
 * side file {@code name@spill-<producer>-<number>} (0600). The capacity counts messages, whatever their size; a
 * put of a data-area message also waits (an offer fails) while the data area has no room for it.
 *
 * <p><b>Thread safety.</b> Safe for any number of producer and consumer threads in any number of processes; a
 * put and a take never wait for each other. Each message is taken exactly once; messages of one producer thread
 * are taken in the order it put them. {@link #size()} is exact when no put or take is in progress. Waiting is the
 * one wait loop ({@link Waiter}): an idle waiter costs under 2 % of a core and notices a change within 50 µs to
 * 2 ms; a wait whose previous wait was short (under 1 ms) first spins adaptively ({@link AdaptiveSpin},
 * {@code ipckit.queue.spinsPerYield}, {@code ipckit.queue.maxSpinMicros}), which costs CPU while messages keep
 * arriving less than 1 ms apart.
 *
 * <p><b>Memory consistency.</b> As for {@link java.util.concurrent.BlockingQueue}: actions in a thread before
 * putting a message happen-before actions after that message is taken, in whichever process takes it. Actions
 * before {@link #taskDone()} happen-before the return of a {@link #join()} that sees it.
 *
 * <p><b>Peer death.</b> A process killed at any instant never corrupts the queue and never blocks the others for
 * more than a few milliseconds (the crash table of the package summary). A message whose take had completed in the
 * killed process is gone with it, as with any queue. A consumer that dies between a take and {@link #taskDone()}
 * leaves its task counted as abandoned in the file's task table: {@link #join()} counts it as done and
 * {@link #abandonedTasks()} reports it (unlike Python, whose join() waits forever). Messages stay in the file when
 * every process has exited.
 *
 * <p><b>Not supported across processes</b> (they throw {@link UnsupportedOperationException}): removing from
 * the middle - {@link #remove(Object)}, {@link #removeAll}, {@link #retainAll}, {@link #removeIf} and
 * {@code iterator().remove()}. {@link #iterator()}, {@link #toArray()} and {@link #contains} work on a snapshot
 * taken under the consumer lock (decoding every message: costly for a large queue).
 */
public final class ShmQueue<E> extends ShmHandle implements TimedQueue<E> {
  private static final long serialVersionUID = 1L;
  /** Most messages taken under one hold of the consumer lock by drainTo. */
  private static final int DRAIN_BATCH = 256;

  private final transient ByteBuffer buf;
  private final transient Codec<E> codec;
  private final transient SlotRing ring;
  private final transient SpillFiles spills;
  /** Sleep words: consumers waiting for a message (and join() for taskDone), producers waiting for room. */
  private final transient SleepWord consumers;
  private final transient SleepWord producers;
  private final transient State st;
  private final transient Path dir;

  /** What one JVM shares about one queue: the ring's caches, whether its side files were swept, adaptive spins. */
  static final class State {
    final SlotRing.Cache ring = new SlotRing.Cache();
    boolean swept;
    /** Adaptive spinning of waiting puts (full) and takes (empty). */
    final AdaptiveSpin putSpin = new AdaptiveSpin();
    final AdaptiveSpin takeSpin = new AdaptiveSpin();
  }

  private ShmQueue(NamespaceView ns, String name, MappedFile file, int capacity, Codec<E> codec, State st) {
    super(ns, name, Kind.QUEUE, capacity, false, codec);
    this.buf = file.buffer();
    this.codec = codec;
    this.dir = ns.dir();
    this.spills = new SpillFiles(dir, name, ns.liveness());
    this.ring = new SlotRing(buf, capacity, ns.liveness(), st.ring, spills, name, dir);
    this.consumers = ns.sleepWord(buf, QueueDescriptor.CONSUMER_SLEEP_OFFSET);
    this.producers = ns.sleepWord(buf, QueueDescriptor.PRODUCER_SLEEP_OFFSET);
    this.st = st;
  }

  public static <E> IpcQueue<E> open(NamespaceView ns, String name, int capacity, Codec<E> codec) {
    QueueViews.checkCapacity(capacity, QueueDescriptor.MAX_CAPACITY, name);
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
            : (a1 & 0xFFFF_FFFF_FFFFL) != (want & 0xFFFF_FFFF_FFFFL)
            ? "slots of " + (a1 & 0xFFFF) + " bytes and a data area of " + (a1 >>> 16 & 0xFFFF_FFFFL) + " bytes, not "
                + SlotDescriptor.SLOT_LENGTH + " and " + (want >>> 16 & 0xFFFF_FFFFL)
                + " (made by another ipckit version?)"
            : "queue layout " + (a1 >>> 48) + ", not " + QueueDescriptor.LAYOUT + " (layout 0 has no table of"
                + " unfinished tasks: the file was made by an earlier ipckit version)");
  }

  // ------------------------------------------------------------------ producer side

  @Override
  public boolean offer(E e) {
    checkOpen();
    byte[] b = encode(e);
    return put(b, spillIfLarge(b), () -> false);
  }

  /** A full queue may also be one whose data area has no room for the message. */
  @Override
  public IllegalStateException fullException() {
    return QueueViews.full(this, ", data area " + ring.data().length() + " bytes");
  }

  @Override
  public boolean offerNanos(E e, long nanos) throws InterruptedException {
    TimedQueue.checkPut(e, this);
    byte[] b = encode(e);
    long spill = spillIfLarge(b);
    // wait for space without the lock: head is freed by consumers with setRelease
    return put(b, spill, () -> awaitAttempt(() -> ring.mayHaveRoom(b.length, spill >= 0) && tryPut(b, spill)
        ? Boolean.TRUE : null, producers, st.putSpin, nanos) != null);
  }

  /** What a put waits for when the first attempt finds the queue full: true once the message is put. */
  private interface Retry<X extends Exception> {
    boolean put() throws X;
  }

  /**
   * One attempt to put {@code b} (spilled to side file {@code spill}, or negative), then {@code retry} if the queue
   * was full; the side file of a message that was not put is deleted.
   */
  private <X extends Exception> boolean put(byte[] b, long spill, Retry<X> retry) throws X {
    boolean done = false;
    try {
      done = tryPut(b, spill) || retry.put();
      return done;
    } finally {
      if (!done && spill >= 0) {
        spills.unpublished(spill);
      }
    }
  }

  /** Writes a message too long for the data area to a side file: its spill number; -1 for any other message. */
  private long spillIfLarge(byte[] b) {
    return b.length > QueueDescriptor.DATA_MAX ? spills.write(b) : -1L;
  }

  /** One put attempt; wakes parked consumers when it puts. */
  private boolean tryPut(byte[] b, long spill) {
    if (ring.tryPut(b, spill)) {
      consumers.wake();
      return true;
    }
    return false;
  }

  private byte[] encode(E e) {
    return QueueViews.encode(codec, e, name);
  }


  // ------------------------------------------------------------------ consumer side

  @Override
  public E poll() {
    checkOpen();
    Object m = tryTake();
    return m == null ? null : decode(m);
  }

  /** A take that waits up to {@code nanos} ({@link Deadline#FOREVER}: without deadline); null when it timed out. */
  @Override
  public E pollNanos(long nanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    checkOpen();
    Object m = tryTake();
    if (m == null) {
      // wait for a message without the lock: tail is published by producers with setRelease
      m = awaitAttempt(() -> ring.mayHaveMessage() ? tryTake() : null, consumers, st.takeSpin, nanos);
    }
    return m == null ? null : decode(m);
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

  /** One take attempt; wakes parked producers when it takes. */
  private Object tryTake() {
    Object m = ring.tryTake();
    if (m != null) {
      producers.wake();
    }
    return m;
  }

  /** Turns what {@link #tryTake} returned into the message (outside the lock; the message is already taken). */
  private E decode(Object m) {
    if (m instanceof IpcException) {
      throw (IpcException) m;
    }
    byte[] b = m instanceof byte[] ? (byte[]) m : spills.readAndDelete((SpillFiles.Spilled) m);
    return QueueViews.decode(codec, b, name, true);
  }

  @Override
  public int drainTo(Collection<? super E> c, int maxElements) {
    QueueViews.checkDrainTarget(this, c);
    checkOpen();
    List<Object> batch = new ArrayList<>();
    return QueueViews.drain(c, maxElements, DRAIN_BATCH, most -> {
      batch.clear();                                // decoded and added to c before the next batch is taken
      ring.takeBatch(batch, most);
      producers.wake();
      return batch;
    }, this::decode);
  }

  @Override
  public E peek() {
    checkOpen();
    List<byte[]> one = ring.snapshot(1);
    return one.isEmpty() ? null : QueueViews.decode(codec, one.get(0), name, false);
  }

  @Override
  public List<E> snapshot() {
    checkOpen();
    return QueueViews.decodeAll(codec, ring.snapshot(Integer.MAX_VALUE), name);
  }

  @Override
  public void clear() {
    checkOpen();
    List<Object> all = new ArrayList<>();
    ring.takeBatch(all, Integer.MAX_VALUE);
    if (!all.isEmpty()) {
      producers.wake();                             // room for every producer waiting on a full queue
    }
    for (Object m : all) {
      if (m instanceof SpillFiles.Spilled) {
        spills.discard((SpillFiles.Spilled) m);
      }
    }
  }

  // ------------------------------------------------------------------ counts, join

  @Override
  public int size() {
    checkOpen();
    return ring.size();
  }

  @Override
  public int capacity() {
    return ring.capacity();
  }

  @Override
  public void taskDone() {
    checkOpen();
    if (ring.taskDone()) {
      consumers.wake(); // a join() may be parked on the consumers' word
    }
  }

  /**
   * Waits until every message put is done ({@code done >= tail}: one look at every step of the wait) or done or
   * abandoned by a dead consumer ({@code done + abandonedTasks() >= tail}: a look through the task table at the
   * wait's liveness-probe interval, not on every step).
   */
  @Override
  public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
    checkOpen();
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (ring.allDone() || ring.allDoneOrAbandoned()) {
      return true;                                  // one full look first, also for a timeout of 0
    }
    // join() waits on the consumers' sleep word, which the taskDone() that finishes the last task rings
    int outcome = Waiter.await(new WhileOpen<RuntimeException>(this) {
      @Override
      public boolean ready() {
        return ring.allDone();
      }

      @Override
      public boolean probe() {
        return ring.allDoneOrAbandoned();
      }
    }, Waiter.Spec.interruptible(), consumers, null, Deadline.nanos(timeout, unit));
    if (outcome == Waiter.INTERRUPTED) {
      throw new InterruptedException();
    }
    return outcome == Waiter.READY;
  }

  /**
   * Tasks taken by processes that died before marking them done, read from the task table (see
   * {@link IpcQueue#abandonedTasks()}).
   */
  @Override
  public long abandonedTasks() {
    checkOpen();
    for (;;) {
      long n = ring.abandonedTasks();
      if (n >= 0) {
        return n;
      }
      Thread.yield();                               // a dead taker's record, repaired within microseconds
    }
  }

  // ------------------------------------------------------------------ handle

  /**
   * The messages, head first, as every {@link java.util.Collection} prints them ({@code [e1, e2]}): a snapshot, as
   * {@link #iterator()}. A closed queue prints as its handle does. {@link #describe()} gives where it lives.
   */
  @Override
  public String toString() {
    return isClosed() ? super.toString() : QueueViews.elements(this);
  }

  @Override
  public String describe() {
    return isClosed() ? super.toString() : QueueViews.describe(this, dir, codec);
  }

  /** The mapped file (header included), for tests that play a process dying at a chosen instant. */
  ByteBuffer buffer() {
    return buf;
  }

  /** The slot ring, for tests that play a process dying while it holds a lock word or is inside a put or take. */
  SlotRing ring() {
    return ring;
  }

  /** Recovery, run once per JVM at open: deletes side files left by dead processes. */
  void sweepOrphans() {
    spills.sweepOrphans(ring, Deadline.FOREVER);
  }

  /**
   * Recovery from outside the queue's users ({@code ipckit gc}): deletes the side files of the queue {@code name}
   * of {@code capacity} in {@code ns} that dead processes left, as the first open of the queue in a JVM does
   * ({@link SpillFiles#sweepOrphans}): spilled and never published, or claimed and never deleted; never one that a
   * message in the queue still names. No message is decoded (there is no codec) and no handle is made. A live
   * process holding the consumer lock is waited for at most {@code nanos}, never taken over: a live consumer's
   * hold is microseconds, so one that keeps it longer is stopped or stuck, and its queue is left to a later sweep.
   *
   * @return the side files deleted; -1 when a live process held the consumer lock all that time (none deleted)
   * @throws IpcException when there is no such queue file or it is not a queue of {@code capacity} slots
   * @throws IllegalArgumentException for a name no object can have, or a capacity no queue can have
   */
  public static int sweepOrphans(NamespaceView ns, String name, int capacity, long nanos) {
    dev.ipckit.Ipc.checkName(name);               // a name from outside: never a separator, "..", a dot file
    QueueViews.checkCapacity(capacity, QueueDescriptor.MAX_CAPACITY, name);
    Path path = ns.dir().resolve(name);
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      // never create: a sweep must not stand a fresh empty queue in for one removed meanwhile
      throw new IpcException("no queue \"" + name + "\" to sweep: " + path + " does not exist");
    }
    MappedFile file = ns.file(name, spec(capacity));
    SpillFiles spills = new SpillFiles(ns.dir(), name, ns.liveness());
    SlotRing ring = new SlotRing(file.buffer(), capacity, ns.liveness(), new SlotRing.Cache(), spills, name, ns.dir());
    return spills.sweepOrphans(ring, nanos);
  }
}
