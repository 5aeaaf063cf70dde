package dev.ipckit.shm;

import dev.ipckit.IpcException;
import dev.ipckit.IpcLock;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * {@link dev.ipckit.Ipc#fileLock}: a kernel file lock ({@code fcntl} through {@link java.nio.channels.FileChannel})
 * on one byte of the lock file. The simple, slow baseline: every acquisition is a system call.
 *
 * <p>Java's file locks belong to the whole JVM, so one channel per file per JVM is kept in {@link LockState}
 * and a JVM-local gate (a {@link java.util.concurrent.locks.ReentrantLock}) orders the threads of this JVM in
 * front of it: threads contend correctly and never see {@link java.nio.channels.OverlappingFileLockException}.
 * The kernel lock is taken with non-blocking {@code tryLock} and the shared {@link Backoff}: a blocking
 * {@code FileChannel.lock()} would close the channel - dropping every lock of this JVM on the file - if the
 * waiting thread were interrupted.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads and processes. Not reentrant.
 *
 * <p><b>Memory consistency.</b> Kernel lock and unlock are system calls (full fences); the owner word is
 * written with setRelease and read with getAcquire.
 *
 * <p><b>Peer death.</b> The kernel drops a dead holder's lock at once. The holder writes its token into the
 * lock file's owner word and clears it before releasing, so the next holder finds a non-zero word exactly when
 * its predecessor died holding the lock, and {@link #ownerDied()} says so.
 */
final class ShmFileLock extends ShmHandle implements IpcLock, ShmCondition.Owner {
  private static final long serialVersionUID = 1L;
  private static final int OWNER = LockDescriptor.OWNER_OFFSET;

  private final transient LockState st;
  private final transient Registry registry;

  ShmFileLock(ShmNamespace ns, String name, LockState st) {
    super(ns, name, Kind.FILE_LOCK);
    this.st = st;
    this.registry = ns.registry();
  }

  @Override
  public void lock() {
    checkOpen();
    notHeld();
    st.gate.lock();
    kernelLock(false, false, 0L);
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    checkOpen();
    notHeld();
    st.gate.lockInterruptibly();
    if (kernelLock(true, false, 0L) == INTERRUPTED) {
      throw new InterruptedException();
    }
  }

  @Override
  public boolean tryLock() {
    checkOpen();
    notHeld();
    if (!st.gate.tryLock()) {
      return false;
    }
    FileLock l = tryKernel();
    if (l == null) {
      st.gate.unlock();
      return false;
    }
    won(l);
    return true;
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    checkOpen();
    notHeld();
    long deadline = System.nanoTime() + Math.max(0L, unit.toNanos(time));
    if (!st.gate.tryLock(time, unit)) {
      return false;
    }
    int outcome = kernelLock(true, true, deadline);
    if (outcome == INTERRUPTED) {
      throw new InterruptedException();
    }
    return outcome == ACQUIRED;
  }

  private void notHeld() {
    if (st.gate.isHeldByCurrentThread()) {
      throw new IllegalStateException("fileLock \"" + name + "\" in " + ns.dir() + " is already held by this thread ("
          + Thread.currentThread().getName() + "); it is not reentrant");
    }
  }

  /** Outcomes of {@link #kernelLock}. */
  private static final int ACQUIRED = 1;
  private static final int TIMED_OUT = 0;
  private static final int INTERRUPTED = -1;

  /**
   * With the gate held: takes the kernel lock. {@link #ACQUIRED}, or (gate released) {@link #INTERRUPTED}
   * (interruptible only) or {@link #TIMED_OUT} (timed only).
   */
  private int kernelLock(boolean interruptible, boolean timed, long deadline) {
    Backoff backoff = new Backoff().sleepWord(ns, st.buf, FileHeader.SLEEP_OFFSET);
    boolean interrupted = false;
    try {
      for (;;) {
        FileLock l = tryKernel();
        if (l != null) {
          won(l);
          return ACQUIRED;
        }
        if (backoff.pastSpinning()) {
          if (Thread.interrupted()) {
            if (interruptible) {
              st.gate.unlock();
              return INTERRUPTED;
            }
            interrupted = true;
          }
          if (timed && System.nanoTime() - deadline >= 0) {
            st.gate.unlock();
            return TIMED_OUT;
          }
        } else if (timed && (backoff.step() & 7) == 0 && System.nanoTime() - deadline >= 0) {
          st.gate.unlock(); // a zero or tiny timeout does not sit out the whole spin phase (a system call a step)
          return TIMED_OUT;
        }
        if (timed) {
          backoff.idle(deadline);
        } else {
          backoff.idle();
        }
      }
    } catch (RuntimeException | Error e) {
      st.gate.unlock();
      throw e;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private FileLock tryKernel() {
    try {
      return st.channel.tryLock(LockDescriptor.FILE_LOCK_BYTE, 1, false);
    } catch (IOException e) {
      throw new IpcException("cannot lock " + st.file.path + ": " + e, e);
    }
  }

  private void won(FileLock l) {
    long prev = (long) Mem.LONG.getAcquire(st.buf, OWNER);
    st.kernelLock = l;
    st.owner = Thread.currentThread();
    st.ownerDied = prev != 0L;
    if (prev != 0L) {
      Mem.LONG.getAndAdd(st.buf, LockDescriptor.TAKEOVERS_OFFSET, 1L);
    }
    Mem.LONG.setRelease(st.buf, OWNER, registry.token());
  }

  @Override
  public void unlock() {
    checkOpen();
    if (!st.gate.isHeldByCurrentThread()) {
      throw new IllegalMonitorStateException("fileLock \"" + name + "\" in " + ns.dir()
          + " is not held by this thread (" + Thread.currentThread().getName() + ")");
    }
    Mem.LONG.setRelease(st.buf, OWNER, 0L); // cleared before the kernel lock goes: a clean release
    st.owner = null;
    st.ownerDied = false;
    FileLock l = st.kernelLock;
    st.kernelLock = null;
    try {
      l.release();
    } catch (IOException e) {
      throw new IpcException("cannot unlock " + st.file.path + ": " + e, e);
    } finally {
      st.gate.unlock();
    }
    ns.wakeSleepers(st.buf, FileHeader.SLEEP_OFFSET);
  }

  @Override
  public boolean ownerDied() {
    return st.gate.isHeldByCurrentThread() && st.ownerDied;
  }

  @Override
  public boolean isHeldByCurrentThread() {
    return st.gate.isHeldByCurrentThread();
  }

  @Override
  public boolean isLocked() {
    checkOpen();
    if (st.gate.isLocked()) {
      return true;
    }
    long cur = (long) Mem.LONG.getAcquire(st.buf, OWNER);
    return cur != 0L && registry.isAlive(cur);
  }

  @Override
  java.nio.ByteBuffer sleepBuffer() {
    return st.buf;                              // condition waiters (awaitCondition) share the lock's sleep word
  }

  /** A condition shared with every process that opens this lock; see {@link ShmCondition}. */
  @Override
  public Condition newCondition() {
    checkOpen();
    return new ShmCondition(this, st.buf);
  }

  @Override
  public int releaseForAwait() {
    unlock();                                   // not held: IllegalMonitorStateException
    return 1;
  }

  @Override
  public void reacquireAfterAwait(int holds) {
    st.gate.lock();
    kernelLock(false, false, 0L);
  }
}
