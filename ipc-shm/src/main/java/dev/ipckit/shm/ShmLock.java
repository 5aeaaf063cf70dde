package dev.ipckit.shm;

import dev.ipckit.IpcLock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * {@link dev.ipckit.Ipc#lock} and {@link dev.ipckit.Ipc#rlock}: a compare-and-set word in shared memory holding
 * the owner's registry token.
 *
 * <p>Uncontended, {@code lock()} is one compareAndSet and {@code unlock()} another: no system call. A contended
 * waiter polls the word (getOpaque) while spinning, then yields, then parks ({@link Backoff}); once past
 * spinning it asks the {@link Registry} whether the owner is alive, and if not takes the word over with
 * compareAndSet(deadOwner, me) and reports {@link #ownerDied()}.
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
 * kill (measured: 3-12 ms, most of it the kernel tearing the dead JVM down), at most one park of the waiter's
 * {@link Backoff} (20 ms once it has waited long) after the kernel released the slot.
 */
final class ShmLock extends ShmHandle implements IpcLock, ShmCondition.Owner {
  private static final long serialVersionUID = 1L;
  private static final int OWNER = LockDescriptor.OWNER_OFFSET;
  /** Longest pause, in spin steps, between two polls of a held lock while spinning. */
  private static final int MAX_SPIN_PAUSE = Integer.getInteger("ipckit.lock.maxSpinPause", 64);

  private final transient LockState st;
  private final transient boolean reentrant;
  private final transient Registry registry;

  ShmLock(ShmNamespace ns, String name, LockState st, boolean reentrant) {
    super(ns, name, reentrant ? Kind.RLOCK : Kind.LOCK);
    this.st = st;
    this.reentrant = reentrant;
    this.registry = ns.registry();
  }

  /** Outcomes of {@link #acquire}. */
  private static final int ACQUIRED = 1;
  private static final int TIMED_OUT = 0;
  private static final int INTERRUPTED = -1;

  @Override
  public void lock() {
    acquire(false, false, 0L);
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (acquire(true, false, 0L) == INTERRUPTED) {
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
    long token = registry.token();
    if (Mem.LONG.compareAndSet(st.buf, OWNER, 0L, token)) {
      won(me, false);
      return true;
    }
    long cur = (long) Mem.LONG.getOpaque(st.buf, OWNER);
    return cur != token && cur != 0L && !registry.isAlive(cur) && takeOver(me, cur);
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    long deadline = System.nanoTime() + Math.max(0L, unit.toNanos(time));
    int outcome = acquire(true, true, deadline);
    if (outcome == INTERRUPTED) {
      throw new InterruptedException();
    }
    return outcome == ACQUIRED;
  }

  /** Acquires: {@link #ACQUIRED}, or {@link #INTERRUPTED} (interruptible only), or {@link #TIMED_OUT} (timed only). */
  private int acquire(boolean interruptible, boolean timed, long deadline) {
    checkOpen();
    Thread me = Thread.currentThread();
    if (st.owner == me) {
      reenter(me);
      return ACQUIRED;
    }
    long token = registry.token();
    if (Mem.LONG.compareAndSet(st.buf, OWNER, 0L, token)) { // fast path: free
      won(me, false);
      return ACQUIRED;
    }
    Backoff backoff = new Backoff().sleepWord(ns, st.buf, FileHeader.SLEEP_OFFSET);
    int pause = 1;
    boolean interrupted = false;
    try {
      for (;;) {
        long cur = (long) Mem.LONG.getOpaque(st.buf, OWNER);
        if (cur == 0L) {
          if (Mem.LONG.compareAndSet(st.buf, OWNER, 0L, token)) {
            won(me, false);
            return ACQUIRED;
          }
        } else if (cur != token && backoff.dueForProbe()
            && !registry.isAlive(cur) && takeOver(me, cur)) {
          return ACQUIRED;
        }
        if (backoff.pastSpinning()) {
          if (Thread.interrupted()) {
            if (interruptible) {
              return INTERRUPTED;
            }
            interrupted = true;
          }
          if (timed && System.nanoTime() - deadline >= 0) {
            return TIMED_OUT;
          }
          checkOpen();
        } else if (timed && (backoff.step() & 63) == 0 && System.nanoTime() - deadline >= 0) {
          return TIMED_OUT; // a zero or tiny timeout does not sit out the whole spin phase
        }
        if (!backoff.pastSpinning()) {
          // exponential pause between polls while spinning: the holder (often about to re-acquire) keeps the
          // lock's cache line instead of both processes bouncing it on every release; the pauses count as
          // steps of the spin phase, so its length in time is unchanged
          for (int i = 1; i < pause && !backoff.pastSpinning(); i++) {
            backoff.idle();
          }
          pause = Math.min(pause << 1, MAX_SPIN_PAUSE);
        }
        if (timed) {
          backoff.idle(deadline);
        } else {
          backoff.idle();
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
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

  private boolean takeOver(Thread me, long dead) {
    if (Mem.LONG.compareAndSet(st.buf, OWNER, dead, registry.token())) {
      Mem.LONG.getAndAdd(st.buf, LockDescriptor.TAKEOVERS_OFFSET, 1L);
      won(me, true);
      return true;
    }
    return false;
  }

  private void won(Thread me, boolean died) {
    st.owner = me;
    st.holds = 1;
    st.ownerDied = died;
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
    long token = registry.token();
    if (!Mem.LONG.compareAndSet(st.buf, OWNER, token, 0L)) { // volatile: publishes the guarded state
      long cur = (long) Mem.LONG.getOpaque(st.buf, OWNER);
      throw new IllegalMonitorStateException(kind.label() + " \"" + name + "\" in " + ns.dir()
          + " was taken from this process while held (owner word 0x" + Long.toHexString(cur)
          + ", expected 0x" + Long.toHexString(token) + "): was the namespace closed meanwhile?");
    }
    ns.wakeSleepers(st.buf, FileHeader.SLEEP_OFFSET);
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
    long cur = (long) Mem.LONG.getAcquire(st.buf, OWNER);
    return cur != 0L && registry.isAlive(cur);
  }

  /** Times this lock has been taken over from a dead holder, ever. */
  long takeovers() {
    return (long) Mem.LONG.getAcquire(st.buf, LockDescriptor.TAKEOVERS_OFFSET);
  }

  /** A condition shared with every process that opens this lock; see {@link ShmCondition}. */
  @Override
  public Condition newCondition() {
    checkOpen();
    return new ShmCondition(this, st.buf);
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

  @Override
  java.nio.ByteBuffer sleepBuffer() {
    return st.buf;                              // condition waiters (awaitCondition) share the lock's sleep word
  }

  private IllegalMonitorStateException notHeldHere() {
    return new IllegalMonitorStateException(kind.label() + " \"" + name + "\" in " + ns.dir()
        + " is not held by this thread (" + Thread.currentThread().getName() + ")");
  }

  @Override
  public void reacquireAfterAwait(int holds) {
    acquire(false, false, 0L);
    st.holds = holds;
  }
}
