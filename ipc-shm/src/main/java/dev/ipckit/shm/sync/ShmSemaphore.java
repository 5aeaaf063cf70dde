package dev.ipckit.shm.sync;

import dev.ipckit.IpcException;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.core.WhileOpen;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.liveness.Liveness;
import dev.ipckit.shm.liveness.OwnerWord;
import dev.ipckit.shm.wait.SleepWord;
import dev.ipckit.shm.wait.Waiter;
import dev.ipckit.spi.CheckedSemaphore;
import dev.ipckit.spi.ReclaimedPermits;
import java.nio.ByteBuffer;
import java.util.function.LongPredicate;

import static dev.ipckit.shm.sync.SemaphoreLog.countOf;
import static dev.ipckit.shm.sync.SyncDescriptor.COUNT_SHIFT;
import static dev.ipckit.shm.sync.SyncDescriptor.MAX_COUNT;
import static dev.ipckit.shm.sync.SyncDescriptor.MAX_FAST_HELD;
import static dev.ipckit.shm.sync.SyncDescriptor.UNREPORTED_FLAG;
import static dev.ipckit.spi.PermitSemaphore.checkPermits;

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
public final class ShmSemaphore extends ShmHandle implements CheckedSemaphore {
  private static final long serialVersionUID = 1L;
  /** Entries that hold permits. */
  private static final LongPredicate HOLDS = held -> held != 0L;

  private final transient ByteBuffer buf;
  private final transient boolean bounded;
  /** Most permits the count may reach: the bound of a bounded semaphore, else what the count word holds. */
  private final transient long ceiling;
  private final transient SleepWord sleep;
  private final transient SlotTable table;
  private final transient Liveness liveness;
  /** This process's token and slot: its entry in the table. */
  private final transient long me;
  private final transient int mySlot;
  private final transient Local local;
  private final transient SemaphoreLog log;

  private ShmSemaphore(NamespaceView ns, String name, MappedFile file, boolean bounded, int initial) {
    // the reference carries the permits opened with: the bound of a bounded one (its file's), a plain one's initial
    super(ns, name, bounded ? Kind.BOUNDED_SEMAPHORE : Kind.SEMAPHORE, initial, false, null);
    this.buf = file.buffer();
    this.bounded = bounded;
    this.ceiling = bounded ? Math.min(file.arg0(), MAX_COUNT) : MAX_COUNT;
    this.sleep = ns.sleepWord(buf, FileHeader.SLEEP_OFFSET);
    this.liveness = ns.liveness();
    this.table = new SlotTable(buf, SyncDescriptor.TABLE_OFFSET, SyncDescriptor.SEMAPHORE_IN_USE_OFFSET);
    this.me = liveness.token();
    this.mySlot = Liveness.slotOf(me);
    this.local = ns.shared(kind.name() + "/" + name, k -> new Local());
    this.log = new SemaphoreLog(buf, liveness, table, mySlot, kind.label() + " \"" + name + "\" in " + ns.dir());
  }

  public static IpcSemaphore open(NamespaceView ns, String name, int permits, boolean bounded) {
    Kind kind = bounded ? Kind.BOUNDED_SEMAPHORE : Kind.SEMAPHORE;
    MappedFile f = ns.file(name, MappedFile.spec(kind, bounded ? permits : 0, bounded ? 1 : 0,
        SyncDescriptor.TABLE_BODY_LENGTH, b -> b.putLong(SyncDescriptor.COUNT_OFFSET, (long) permits << COUNT_SHIFT),
        // a plain semaphore's initial permits are ignored when it exists, like a value's initial value
        (a0, a1) -> !bounded || a0 == permits ? null : "bound " + a0 + ", not " + permits));
    return new ShmSemaphore(ns, name, f, bounded, permits);
  }

  /**
   * What this JVM keeps of one semaphore, shared by all its handles here (as a lock's state is): this process's
   * entry, once it is its own, and which threads last acquired reclaimed permits ({@link #reclaimed()}). The entry
   * fields are read and written holding the lock word.
   */
  static final class Local extends ReclaimedPermits {
    /** Whether this process's entry is its own (its token stored, a predecessor's holdings reclaimed). */
    boolean ours;
    /** The permits this process holds: what its entry says, kept here to spare a read. */
    long held;
  }

  // ------------------------------------------------------------------ holdings

  /** The permits entry {@code s} records; never negative (a damaged entry is an IpcException). */
  private long held(int s) {
    long h = table.value(s);
    if (h < 0) {
      throw log.damaged("slot" + s + ".held", h, "0 or more");
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

  /** Takes the lock word and, the first time, makes this process's entry its own (giving the word back if it fails). */
  private void lockAsOwner() {
    log.lock();
    if (!local.ours) {
      try {
        makeOwn();
      } catch (Throwable t) {
        log.unlock();
        throw t;
      }
    }
  }

  /**
   * Under the lock: gives the permits of entry {@code s}, whose process is gone, back to the count (never past the
   * ceiling) as unreported permits, and empties the entry. Returns the permits given back.
   */
  private long reclaim(int s) {
    long held = held(s);
    long w = log.state();
    long c = countOf(w);
    long back = Math.max(0L, Math.min(held, ceiling - c));
    log.commit(w, c + back, log.unreported(w) + back, s, 0L);
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
      log.lock();
      try {
        if (table.token(s) == tok && table.value(s) != 0L) { // nobody reclaimed it meanwhile
          any |= reclaim(s) > 0;
        }
      } finally {
        log.unlock();
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
    lockAsOwner();
    try {
      long w = log.state();
      long c = countOf(w);
      if (c < n) {
        return false;
      }
      long held = plus(local.held, n);
      if ((w & UNREPORTED_FLAG) == 0 && held <= MAX_FAST_HELD) {
        log.commitFast(w, c - n, held);
        fromDead = false;
      } else {
        long u = log.unreported(w);
        long taken = Math.min(u, n);
        log.commit(w, c - n, u - taken, mySlot, held);
        fromDead = taken > 0;
      }
      local.held = held;
    } finally {
      log.unlock();
    }
    local.acquired(fromDead);
    return true;
  }

  /** Takes {@code n} permits without waiting; when too few are there, reclaims the dead's and looks again. */
  @Override
  public boolean tryTakePermits(int n) {
    return take(n) || reclaimDead() && take(n);
  }

  /**
   * Waits for {@code n} permits; false on timeout; InterruptedException on interrupt. Once past spinning, the wait
   * reclaims the permits of holders that are gone, at the waiter's probe interval.
   */
  @Override
  public boolean awaitPermits(int n, long nanos) throws InterruptedException {
    checkOpen();
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (n == 0 || take(n)) {
      return true;
    }
    int outcome = Waiter.await(new WhileOpen<RuntimeException>(this) {
      @Override
      public boolean ready() {
        return countOf(log.state()) >= n && take(n);    // no lock while there is nothing to take
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
  public void releasePermits(int permits) {
    lockAsOwner();
    try {
      long w = log.state();
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
        log.commitCount(w, c + permits);                // an anonymous release
      } else {
        log.commitFast(w, c + permits, local.held - own);
        local.held -= own;
      }
    } finally {
      log.unlock();
    }
    sleep.wake();
  }

  @Override
  public int drainPermits() {
    checkOpen();
    long c;
    boolean fromDead;
    lockAsOwner();
    try {
      long w = log.state();
      c = countOf(w);
      if (c == 0) {
        return 0;
      }
      long held = plus(local.held, c);
      fromDead = (w & UNREPORTED_FLAG) != 0 && log.unreported(w) > 0;
      if (!fromDead && (w & UNREPORTED_FLAG) == 0 && held <= MAX_FAST_HELD) {
        log.commitFast(w, 0L, held);
      } else {
        log.commit(w, 0L, 0L, mySlot, held);
      }
      local.held = held;
    } finally {
      log.unlock();
    }
    local.acquired(fromDead);
    return (int) Math.min(Integer.MAX_VALUE, c);
  }

  @Override
  public int disown(int permits) {
    checkPermits(permits);
    checkOpen();
    lockAsOwner();
    try {
      long given = Math.min(permits, local.held);
      if (given > 0) {
        long w = log.state();
        log.commitFast(w, countOf(w), local.held - given);
        local.held -= given;
      }
      return (int) given;
    } finally {
      log.unlock();
    }
  }

  @Override
  public int availablePermits() {
    checkOpen();
    return (int) Math.min(Integer.MAX_VALUE, countOf(log.state()));
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
    return log.takeovers();
  }
}
