package dev.ipckit.shm.lock;

import dev.ipckit.IpcException;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.SafeFiles;
import dev.ipckit.shm.liveness.Liveness;
import dev.ipckit.shm.wait.Waiter;
import dev.ipckit.spi.Deadline;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * {@link dev.ipckit.Ipc#fileLock}: a kernel file lock ({@code fcntl} through {@link java.nio.channels.FileChannel})
 * on one byte of the lock file. The simple, slow baseline: every acquisition is a system call.
 *
 * <p>Java's file locks belong to the whole JVM, so one channel per file per JVM is kept in {@link LockState}
 * and a JVM-local gate (a {@link java.util.concurrent.locks.ReentrantLock}) orders the threads of this JVM in
 * front of it: threads contend correctly and never see {@link java.nio.channels.OverlappingFileLockException}.
 * The kernel lock is taken with non-blocking {@code tryLock} in the one wait loop ({@link Waiter}): a blocking
 * {@code FileChannel.lock()} would close the channel - dropping every lock of this JVM on the file - if the
 * waiting thread were interrupted.
 *
 * <p><b>What drops the kernel lock.</b> It is a POSIX record lock: the kernel drops every record lock a process
 * holds on a file when that process closes any descriptor of the file. The library opens a lock's file once per
 * JVM (one mapping, one channel, both kept until the namespace's last instance in the JVM closes), so nothing it
 * does drops the lock; code of the holder's JVM that opens the file itself ({@code dir/name}) does.
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
public final class ShmFileLock extends LockHandle {
  private static final long serialVersionUID = 1L;
  private static final Waiter.Spec INTERRUPTIBLE = Waiter.Spec.interruptible();
  private static final Waiter.Spec UNINTERRUPTIBLE = INTERRUPTIBLE.uninterruptible();

  private final transient Liveness liveness;

  private ShmFileLock(NamespaceView ns, String name, LockState st) {
    super(ns, name, Kind.FILE_LOCK, st);
    this.liveness = ns.liveness();
  }

  /** The file lock {@code name}, created or opened; the JVM keeps one channel on its file. */
  public static ShmFileLock open(NamespaceView ns, String name) {
    LockState st = LockState.ofFile(ns, name);
    synchronized (st) {
      if (st.channel == null) {
        try {
          st.channel = SafeFiles.openOwnFile(st.file.path(), StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
          throw new IpcException("cannot open " + st.file.path() + ": " + e, e);
        }
        ns.closeWithNamespace(st.channel);
      }
    }
    return new ShmFileLock(ns, name, st);
  }

  @Override
  public void lock() {
    checkOpen();
    notHeld();
    st.gate.lock();
    kernelLock(UNINTERRUPTIBLE, Deadline.FOREVER);
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    checkOpen();
    notHeld();
    st.gate.lockInterruptibly();
    if (kernelLock(INTERRUPTIBLE, Deadline.FOREVER) == Waiter.INTERRUPTED) {
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
    long nanos = Deadline.nanos(time, unit);
    long deadline = Deadline.after(nanos);
    if (!st.gate.tryLock(nanos, TimeUnit.NANOSECONDS)) {
      return false;
    }
    long left = Deadline.isForever(nanos) ? Deadline.FOREVER : Deadline.remaining(deadline);
    int outcome = kernelLock(INTERRUPTIBLE, left);
    if (outcome == Waiter.INTERRUPTED) {
      throw new InterruptedException();
    }
    return outcome == Waiter.READY;
  }

  private void notHeld() {
    if (st.gate.isHeldByCurrentThread()) {
      throw new IllegalStateException("fileLock \"" + name + "\" in " + ns.dir() + " is already held by this thread ("
          + Thread.currentThread().getName() + "); it is not reentrant");
    }
  }

  /**
   * With the gate held: takes the kernel lock. {@link Waiter#READY}, or (gate released) {@link Waiter#INTERRUPTED}
   * (interruptible only) or {@link Waiter#TIMED_OUT}.
   */
  private int kernelLock(Waiter.Spec spec, long nanos) {
    FileLock[] taken = new FileLock[1];
    int outcome;
    try {
      outcome = Waiter.await(() -> (taken[0] = tryKernel()) != null, spec, st.sleep, null, nanos);
    } catch (RuntimeException | Error e) {
      st.gate.unlock();
      throw e;
    }
    if (outcome == Waiter.READY) {
      won(taken[0]);
    } else {
      st.gate.unlock();
    }
    return outcome;
  }

  private FileLock tryKernel() {
    try {
      return st.channel.tryLock(LockDescriptor.FILE_LOCK_BYTE, 1, false);
    } catch (IOException e) {
      throw new IpcException("cannot lock " + st.file.path() + ": " + e, e);
    }
  }

  private void won(FileLock l) {
    st.kernelLock = l;
    st.owner = Thread.currentThread();
    st.ownerDied = st.word.markOwned() != 0L;   // a token left behind: its holder died holding the lock
  }

  @Override
  public void unlock() {
    checkOpen();
    if (!st.gate.isHeldByCurrentThread()) {
      throw new IllegalMonitorStateException("fileLock \"" + name + "\" in " + ns.dir()
          + " is not held by this thread (" + Thread.currentThread().getName() + ")");
    }
    st.word.release(); // cleared before the kernel lock goes: a clean release
    st.owner = null;
    st.ownerDied = false;
    FileLock l = st.kernelLock;
    st.kernelLock = null;
    try {
      l.release();
    } catch (IOException e) {
      throw new IpcException("cannot unlock " + st.file.path() + ": " + e, e);
    } finally {
      st.gate.unlock();
    }
    st.sleep.wake();
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
    return st.gate.isLocked() || st.word.ownedByLive();
  }

  @Override
  public int releaseForAwait() {
    unlock();                                   // not held: IllegalMonitorStateException
    return 1;
  }

  @Override
  public void reacquireAfterAwait(int holds) {
    st.gate.lock();
    kernelLock(UNINTERRUPTIBLE, Deadline.FOREVER);
  }
}
