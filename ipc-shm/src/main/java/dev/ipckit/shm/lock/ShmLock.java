package dev.ipckit.shm.lock;

import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.liveness.OwnerWord;
import dev.ipckit.shm.wait.SleepWord;
import dev.ipckit.shm.wait.Tuning;
import dev.ipckit.shm.wait.Waiter;
import dev.ipckit.spi.Deadline;
import java.util.concurrent.TimeUnit;

/**
 * {@link dev.ipckit.Ipc#lock} and {@link dev.ipckit.Ipc#rlock}: a compare-and-set word in shared memory holding
 * the owner's registry token.
 *
 * <p>Uncontended, {@code lock()} is one compareAndSet and {@code unlock()} another: no system call. A contended
 * waiter polls the word (getOpaque) while spinning, then yields, then parks (the one wait loop,
 * {@link Waiter}); once past spinning it asks whether the owner is alive, and if not takes the word over
 * ({@link OwnerWord}) and reports {@link #ownerDied()}.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads and processes. Threads of one JVM share the
 * process's token in the word and are told apart by {@link LockState}.
 *
 * <p><b>Memory consistency.</b> The releasing compareAndSet and the acquiring compareAndSet are volatile:
 * everything before {@code unlock()} in one process happens-before everything after the next acquisition in
 * any process.
 *
 * <p><b>Peer death.</b> A holder killed at any instant leaves its token in the word; the next waiter sees the
 * token's process gone (kernel lock on its registry slot released) and takes over: a few milliseconds after the
 * kill (measured: 3-12 ms, most of it the kernel tearing the dead JVM down), at most one park of the waiter
 * (20 ms once it has waited long) after the kernel released the slot.
 */
public final class ShmLock extends LockHandle {
  private static final long serialVersionUID = 1L;
  private static final Waiter.Spec INTERRUPTIBLE = Waiter.Spec.interruptible().pollPause(Tuning.LOCK_MAX_SPIN_PAUSE);
  private static final Waiter.Spec UNINTERRUPTIBLE = INTERRUPTIBLE.uninterruptible();

  private final transient boolean reentrant;
  private final transient OwnerWord word;
  private final transient SleepWord sleep;
  private final transient Runnable checkOpen = this::checkOpen;

  /** The lock {@code name} ({@code reentrant}: an rlock), created or opened. */
  public static ShmLock open(NamespaceView ns, String name, boolean reentrant) {
    for (;;) {
      LockState st = LockState.of(ns, name, reentrant ? Kind.RLOCK : Kind.LOCK);
      ShmLock l = new ShmLock(ns, name, st, reentrant);
      if (ns.current(st.cell)) {
        return l;
      }
      l.close();                                   // removed since the state was made: the removal forgets it
    }
  }

  private ShmLock(NamespaceView ns, String name, LockState st, boolean reentrant) {
    super(ns, name, reentrant ? Kind.RLOCK : Kind.LOCK, st);
    this.reentrant = reentrant;
    this.word = st.word;
    this.sleep = st.sleep;
  }

  @Override
  public void lock() {
    acquire(UNINTERRUPTIBLE, Deadline.FOREVER);
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (acquire(INTERRUPTIBLE, Deadline.FOREVER) == OwnerWord.INTERRUPTED) {
      throw new InterruptedException();
    }
  }

  @Override
  public boolean tryLock() {
    checkOpen();
    Thread me = Thread.currentThread();
    if (st.owner == me) {
      return reenter(me);
    }
    return won(me, word.tryAcquire());
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    int outcome = acquire(INTERRUPTIBLE, Deadline.nanos(time, unit));
    if (outcome == OwnerWord.INTERRUPTED) {
      throw new InterruptedException();
    }
    return outcome != OwnerWord.FAILED;
  }

  /** Acquires (or re-enters): an outcome of {@link OwnerWord#acquire}. */
  private int acquire(Waiter.Spec spec, long nanos) {
    checkOpen();
    Thread me = Thread.currentThread();
    if (st.owner == me) {
      reenter(me);
      return OwnerWord.ACQUIRED;
    }
    int outcome = word.acquire(spec, sleep, nanos, checkOpen);
    won(me, outcome);
    return outcome;
  }

  private boolean reenter(Thread me) {
    if (!reentrant) {
      throw new IllegalStateException("lock \"" + name + "\" in " + ns.dir() + " is already held by this thread ("
          + me.getName() + "); lock() is not reentrant, use rlock() for a reentrant lock");
    }
    if (st.holds == Integer.MAX_VALUE) {
      throw new Error("maximum lock count exceeded for rlock \"" + name + "\"");
    }
    st.holds++;
    return true;
  }

  /** Records an acquisition by {@code me} if {@code outcome} is one; true then. */
  private boolean won(Thread me, int outcome) {
    if (outcome != OwnerWord.ACQUIRED && outcome != OwnerWord.TOOK_OVER) {
      return false;
    }
    st.owner = me;
    st.holds = 1;
    st.ownerDied = outcome == OwnerWord.TOOK_OVER;
    return true;
  }

  @Override
  public void unlock() {
    checkOpen();
    Thread me = Thread.currentThread();
    if (st.owner != me) {
      throw notHeldHere();
    }
    if (--st.holds > 0) {
      return;
    }
    st.owner = null;
    st.ownerDied = false;
    if (!word.releaseChecked()) { // volatile: publishes the guarded state
      throw new IllegalMonitorStateException(kind.label() + " \"" + name + "\" in " + ns.dir()
          + " was taken from this process while held (owner word 0x" + Long.toHexString(word.owner())
          + ", expected 0x" + Long.toHexString(ns.liveness().token()) + "): was the namespace closed meanwhile?");
    }
    sleep.wake();
  }

  @Override
  public boolean ownerDied() {
    return st.owner == Thread.currentThread() && st.ownerDied;
  }

  @Override
  public boolean isHeldByCurrentThread() {
    return st.owner == Thread.currentThread();
  }

  /** Hold count of the current thread (0 if it does not hold the lock). */
  int holdCount() {
    return st.owner == Thread.currentThread() ? st.holds : 0;
  }

  @Override
  public boolean isLocked() {
    checkOpen();
    return word.ownedByLive();
  }

  /** Times this lock has been taken over from a dead holder, ever. */
  long takeovers() {
    return word.takeovers();
  }

  @Override
  public int releaseForAwait() {
    if (st.owner != Thread.currentThread()) {
      throw notHeldHere();
    }
    int holds = st.holds;
    st.holds = 1;
    unlock();
    return holds;
  }

  private IllegalMonitorStateException notHeldHere() {
    return new IllegalMonitorStateException(kind.label() + " \"" + name + "\" in " + ns.dir()
        + " is not held by this thread (" + Thread.currentThread().getName() + ")");
  }

  @Override
  public void reacquireAfterAwait(int holds) {
    acquire(UNINTERRUPTIBLE, Deadline.FOREVER);
    st.holds = holds;
  }
}
