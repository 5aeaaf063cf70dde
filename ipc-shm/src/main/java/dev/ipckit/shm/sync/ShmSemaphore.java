package dev.ipckit.shm.sync;

import static dev.ipckit.shm.sync.SyncDescriptor.COUNT_SHIFT;
import static dev.ipckit.shm.sync.SyncDescriptor.FAST_HELD_SHIFT;
import static dev.ipckit.shm.sync.SyncDescriptor.MAX_COUNT;
import static dev.ipckit.shm.sync.SyncDescriptor.MAX_FAST_HELD;
import static dev.ipckit.shm.sync.SyncDescriptor.SLOT_MASK;
import static dev.ipckit.shm.sync.SyncDescriptor.SLOT_SHIFT;
import static dev.ipckit.shm.sync.SyncDescriptor.TAG_MASK;
import static dev.ipckit.shm.sync.SyncDescriptor.UNREPORTED_FLAG;

import dev.ipckit.IpcException;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.liveness.Liveness;
import dev.ipckit.shm.liveness.OwnerWord;
import dev.ipckit.shm.wait.SleepWord;
import dev.ipckit.shm.wait.Waiter;
import dev.ipckit.spi.Deadline;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

/**
 * {@link dev.ipckit.Ipc#semaphore} and {@link dev.ipckit.Ipc#boundedSemaphore}: a permit count in shared memory,
 * and beside it what each process holds, so that the permits of a process that is gone come back.
 *
 * <p>Every update holds the semaphore's lock word ({@link OwnerWord}: one compareAndSet, held for a few stores) and
 * commits with one store of the count word, which carries a new tag. An update that changes a process's holdings
 * (its entry in the {@link SlotTable}) first writes the entry's new value to a journal with that tag, then commits,
 * then stores the entry: an acquire or a release writes the fast journal (one word: permits, slot, tag), a reclaim
 * or an update of the unreported permits the journal (slot and tag, permits, unreported). A process that takes the
 * lock word over from one killed inside an update redoes the journal whose tag the count word carries, if any: the
 * update happens entirely or not at all (the crash table is in the package summary). An anonymous release changes
 * the count word alone.
 *
 * <p>A waiter that is past spinning, and a {@code tryAcquire} that finds too few permits, look at the table: the
 * permits of every entry whose process is not alive ({@link Liveness#isAlive}) go back to the count (never past the
 * bound of a bounded semaphore) and count as unreported; the acquisitions that take them report
 * {@link #reclaimed()}.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads and processes. The threads of one process share its
 * entry, and a copy of it in this JVM ({@link Local}), both written holding the lock word.
 *
 * <p><b>Memory consistency.</b> Every update holds the lock word (a volatile compareAndSet to take it, a setRelease
 * to give it back): actions before {@link #release()} happen-before actions after an {@link #acquire()} that takes
 * that permit, in any process.
 *
 * <p><b>Peer death.</b> A process killed at any instant leaves the words as they were before or after its update, and
 * its holdings in its entry; the lock word it may have held is taken over within milliseconds. Its holdings come back
 * when a waiter or a failing {@code tryAcquire} next looks at the table: within the waiter's probe interval of the
 * kernel's release of the dead process's liveness lock.
 */
public final class ShmSemaphore extends ShmHandle implements IpcSemaphore {
  private static final long serialVersionUID = 1L;
  private static final int COUNT = SyncDescriptor.COUNT_OFFSET;
  private static final int FAST_JOURNAL = SyncDescriptor.FAST_JOURNAL_OFFSET;
  private static final int JOURNAL = SyncDescriptor.JOURNAL_OFFSET;
  private static final int JOURNAL_HELD = SyncDescriptor.JOURNAL_HELD_OFFSET;
  private static final int JOURNAL_UNREPORTED = SyncDescriptor.JOURNAL_UNREPORTED_OFFSET;
  private static final int UNREPORTED = SyncDescriptor.UNREPORTED_OFFSET;
  /** Entries that hold permits. */
  private static final LongPredicate HOLDS = held -> held != 0L;

  private final transient ByteBuffer buf;
  private final transient boolean bounded;
  /** Most permits the count may reach: the bound of a bounded semaphore, else what the count word holds. */
  private final transient long ceiling;
  private final transient int initial;
  private final transient SleepWord sleep;
  private final transient OwnerWord word;
  private final transient SlotTable table;
  private final transient Liveness liveness;
  /** This process's token and slot: its entry in the table. */
  private final transient long me;
  private final transient int mySlot;
  private final transient Local local;

  private ShmSemaphore(NamespaceView ns, String name, MappedFile file, boolean bounded, int initial) {
    super(ns, name, bounded ? Kind.BOUNDED_SEMAPHORE : Kind.SEMAPHORE);
    this.buf = file.buffer;
    this.bounded = bounded;
    this.ceiling = bounded ? Math.min(file.arg0, MAX_COUNT) : MAX_COUNT;
    this.initial = initial;
    this.sleep = ns.sleepWord(buf, FileHeader.SLEEP_OFFSET);
    this.liveness = ns.liveness();
    this.word = new OwnerWord(buf, SyncDescriptor.LOCK_OFFSET, SyncDescriptor.LOCK_TAKEOVERS_OFFSET, liveness);
    this.table = new SlotTable(buf, SyncDescriptor.TABLE_OFFSET, SyncDescriptor.SEMAPHORE_IN_USE_OFFSET);
    this.me = liveness.token();
    this.mySlot = Liveness.slotOf(me);
    this.local = ns.shared(kind.name() + "/" + name, k -> new Local());
  }

  public static IpcSemaphore open(NamespaceView ns, String name, int permits, boolean bounded) {
    Kind kind = bounded ? Kind.BOUNDED_SEMAPHORE : Kind.SEMAPHORE;
    MappedFile f = ns.file(name, MappedFile.spec(kind, bounded ? permits : 0, bounded ? 1 : 0,
        SyncDescriptor.TABLE_BODY_LENGTH, b -> b.putLong(COUNT, (long) permits << COUNT_SHIFT),
        // a plain semaphore's initial permits are ignored when it exists, like a value's initial value
        (a0, a1) -> !bounded || a0 == permits ? null : "bound " + a0 + ", not " + permits));
    return new ShmSemaphore(ns, name, f, bounded, permits);
  }

  @Override protected long refArg() {
    return bounded ? ceiling : initial;
  }

  /**
   * What this JVM keeps of one semaphore, shared by all its handles here (as a lock's state is): this process's
   * entry, once it is its own, and which threads last acquired reclaimed permits ({@link #reclaimed()}). The entry
   * fields are read and written holding the lock word.
   */
  static final class Local {
    /** Whether this process's entry is its own (its token stored, a predecessor's holdings reclaimed). */
    boolean ours;
    /** The permits this process holds: what its entry says, kept here to spare a read. */
    long held;
    private final ThreadLocal<Boolean> reclaimed = new ThreadLocal<>();
    /** False until an acquisition in this JVM took reclaimed permits: until then no acquisition looks anything up. */
    private volatile boolean any;

    /** The current thread has acquired permits; {@code fromDead}: some of them had been reclaimed. */
    void acquired(boolean fromDead) {
      if (fromDead) {
        any = true;
        reclaimed.set(Boolean.TRUE);
      } else if (any) {
        reclaimed.remove();
      }
    }

    boolean reclaimed() {
      return any && reclaimed.get() != null;
    }
  }

  // ------------------------------------------------------------------ the lock word, commits and the journals

  /** Takes the lock word; taken over from a process killed inside an update, it first finishes that update. */
  private void lock() {
    if (!word.tryAcquireFree() && word.acquireBriefly()) {
      try {
        redo();
      } catch (RuntimeException e) {
        word.release();
        throw e;
      }
    }
  }

  private void unlock() {
    word.release();
  }

  /** The count word (getAcquire). */
  private long state() {
    return (long) Mem.LONG.getAcquire(buf, COUNT);
  }

  private static long countOf(long w) {
    return w >>> COUNT_SHIFT;
  }

  /** The count word after a commit on {@code w}: {@code count}, {@code flag}, and the next tag. */
  private static long next(long w, long count, long flag) {
    return count << COUNT_SHIFT | flag | (w + 1 & TAG_MASK);
  }

  /** Under the lock: the count alone changes, one store (an anonymous release). */
  private void commitCount(long w, long count) {
    Mem.LONG.setRelease(buf, COUNT, next(w, count, w & UNREPORTED_FLAG));
  }

  /**
   * Under the lock: the count and this process's permits change. The fast journal, with the commit's tag, then the
   * count word (the commit), then the entry.
   */
  private void commitFast(long w, long count, long held) {
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
  private void commit(long w, long count, long unreported, int s, long held) {
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

  private IpcException damaged(String field, long value, String range) {
    return new IpcException(kind.label() + " \"" + name + "\" in " + ns.dir() + " is damaged: " + field + " = " + value
        + ", expected " + range);
  }

  // ------------------------------------------------------------------ holdings

  /** The unreported permits of count word {@code w}: 0 unless flagged, else the word kept within 0 .. the count. */
  private long unreported(long w) {
    if ((w & UNREPORTED_FLAG) == 0) {
      return 0L;
    }
    long u = (long) Mem.LONG.getAcquire(buf, UNREPORTED);
    return Math.max(0L, Math.min(u, countOf(w)));
  }

  /** The permits entry {@code s} records; never negative (a damaged entry is an IpcException). */
  private long held(int s) {
    long h = table.value(s);
    if (h < 0) {
      throw damaged("slot" + s + ".held", h, "0 or more");
    }
    return h;
  }

  /** {@code a + b}, for {@code b >= 0}, at most {@code Long.MAX_VALUE}. */
  private static long plus(long a, long b) {
    return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
  }

  /**
   * Under the lock, once per process: makes this process's entry its own. What a dead predecessor in the slot left
   * is reclaimed first, then the token is stored (a kill between leaves an entry holding nothing).
   */
  private void makeOwn() {
    table.use(mySlot);
    if (table.token(mySlot) != me) {
      if (table.value(mySlot) != 0L) {
        reclaim(mySlot);
      }
      table.setToken(mySlot, me);
    }
    local.held = held(mySlot);
    local.ours = true;
  }

  /**
   * Under the lock: gives the permits of entry {@code s}, whose process is gone, back to the count (never past the
   * ceiling) as unreported permits, and empties the entry. Returns the permits given back.
   */
  private long reclaim(int s) {
    long held = held(s);
    long w = state();
    long c = countOf(w);
    long back = Math.max(0L, Math.min(held, ceiling - c));
    commit(w, c + back, unreported(w) + back, s, 0L);
    Mem.LONG.getAndAdd(buf, SyncDescriptor.RECLAIMS_OFFSET, 1L);
    return back;
  }

  /**
   * Gives back the permits of every holder that is gone: killed, exited, or its namespace closed. One liveness
   * question per entry that holds permits (but this process's own); true if any permit came back.
   */
  private boolean reclaimDead() {
    boolean any = false;
    for (int s = 0, n = table.limit(); s < n; s++) {
      long tok = table.goneToken(s, HOLDS, liveness, me);
      if (tok == 0L) {
        continue;
      }
      lock();
      try {
        if (table.token(s) == tok && table.value(s) != 0L) { // nobody reclaimed it meanwhile
          any |= reclaim(s) > 0;
        }
      } finally {
        unlock();
      }
    }
    if (any) {
      sleep.wake();
    }
    return any;
  }

  // ------------------------------------------------------------------ acquiring

  /** One attempt to take {@code n > 0} permits at once for this process: true if taken. */
  private boolean take(int n) {
    boolean fromDead;
    lock();
    try {
      if (!local.ours) {
        makeOwn();
      }
      long w = state();
      long c = countOf(w);
      if (c < n) {
        return false;
      }
      long held = plus(local.held, n);
      if ((w & UNREPORTED_FLAG) == 0 && held <= MAX_FAST_HELD) {
        commitFast(w, c - n, held);
        fromDead = false;
      } else {
        long u = unreported(w);
        long taken = Math.min(u, n);
        commit(w, c - n, u - taken, mySlot, held);
        fromDead = taken > 0;
      }
      local.held = held;
    } finally {
      unlock();
    }
    local.acquired(fromDead);
    return true;
  }

  private static int checkPermits(int permits) {
    if (permits < 0) {
      throw new IllegalArgumentException("permits must not be negative: permits=" + permits);
    }
    return permits;
  }

  @Override
  public void acquire(int permits) throws InterruptedException {
    await(checkPermits(permits), Deadline.FOREVER);
  }

  @Override
  public boolean tryAcquire(int permits) {
    checkPermits(permits);
    checkOpen();
    return tryTake(permits);
  }

  /** Takes {@code n} permits without waiting; when too few are there, reclaims the dead's and looks again. */
  private boolean tryTake(int n) {
    return n == 0 || take(n) || reclaimDead() && take(n);
  }

  @Override
  public boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException {
    return await(checkPermits(permits), Deadline.nanos(timeout, unit));
  }

  /**
   * Waits for {@code n} permits; false on timeout; InterruptedException on interrupt. Once past spinning, the wait
   * reclaims the permits of holders that are gone, at the waiter's probe interval.
   */
  private boolean await(int n, long nanos) throws InterruptedException {
    checkOpen();
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (n == 0 || take(n)) {
      return true;
    }
    int outcome = Waiter.await(new Waiter.Until<RuntimeException>() {
      @Override
      public boolean ready() {
        return countOf(state()) >= n && take(n);    // no lock while there is nothing to take
      }

      @Override
      public boolean check() {
        checkOpen();
        return false;
      }

      @Override
      public boolean probe() {
        return reclaimDead() && take(n);
      }
    }, Waiter.Spec.interruptible(), sleep, null, nanos);
    if (outcome == Waiter.INTERRUPTED) {
      throw new InterruptedException();
    }
    return outcome == Waiter.READY;
  }

  @Override
  public boolean reclaimed() {
    return local.reclaimed();
  }

  // ------------------------------------------------------------------ releasing

  @Override
  public void release(int permits) {
    checkPermits(permits);
    checkOpen();
    if (permits == 0) {
      return;
    }
    lock();
    try {
      if (!local.ours) {
        makeOwn();
      }
      long w = state();
      long c = countOf(w);
      if (c > ceiling - permits) {
        if (bounded) {
          throw new IllegalStateException("boundedSemaphore \"" + name + "\" in " + ns.dir()
              + " released too many times: permits=" + c + ", releasing " + permits + ", bound=" + ceiling);
        }
        c = ceiling - permits;                      // a count at the most the word holds stays there
      }
      long own = Math.min(permits, local.held);
      if (own == 0L) {
        commitCount(w, c + permits);                // an anonymous release
      } else {
        commitFast(w, c + permits, local.held - own);
        local.held -= own;
      }
    } finally {
      unlock();
    }
    sleep.wake();
  }

  @Override
  public int drainPermits() {
    checkOpen();
    long c;
    boolean fromDead;
    lock();
    try {
      if (!local.ours) {
        makeOwn();
      }
      long w = state();
      c = countOf(w);
      if (c == 0) {
        return 0;
      }
      long held = plus(local.held, c);
      fromDead = (w & UNREPORTED_FLAG) != 0 && unreported(w) > 0;
      if (!fromDead && (w & UNREPORTED_FLAG) == 0 && held <= MAX_FAST_HELD) {
        commitFast(w, 0L, held);
      } else {
        commit(w, 0L, 0L, mySlot, held);
      }
      local.held = held;
    } finally {
      unlock();
    }
    local.acquired(fromDead);
    return (int) Math.min(Integer.MAX_VALUE, c);
  }

  @Override
  public int disown(int permits) {
    checkPermits(permits);
    checkOpen();
    lock();
    try {
      if (!local.ours) {
        makeOwn();
      }
      long given = Math.min(permits, local.held);
      if (given > 0) {
        long w = state();
        commitFast(w, countOf(w), local.held - given);
        local.held -= given;
      }
      return (int) given;
    } finally {
      unlock();
    }
  }

  @Override
  public int availablePermits() {
    checkOpen();
    return (int) Math.min(Integer.MAX_VALUE, countOf(state()));
  }

  /** The permits this process holds now, as its entry in the file says, for tests. */
  long heldByThisProcess() {
    return table.token(mySlot) == me ? table.value(mySlot) : 0L;
  }

  /** The mapped file (header included), for tests that play a process killed inside an update. */
  ByteBuffer buffer() {
    return buf;
  }

  /** Dead holders' entries reclaimed, ever, for tests. */
  long reclaims() {
    return (long) Mem.LONG.getAcquire(buf, SyncDescriptor.RECLAIMS_OFFSET);
  }

  /** Times the lock word was taken over from a process killed inside an update, ever, for tests. */
  long lockTakeovers() {
    return word.takeovers();
  }
}
