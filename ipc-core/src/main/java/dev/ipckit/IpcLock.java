package dev.ipckit;

import java.io.Serializable;
import java.util.concurrent.locks.Lock;

/**
 * A named lock shared by every process that opens the namespace.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads in any number of processes. The lock is held by one
 * thread of one process at a time. {@link Ipc#lock} is not reentrant: the holding thread locking again is an
 * {@link IllegalStateException}, not a silent deadlock. {@link Ipc#rlock} is reentrant. Unlocking a lock the
 * current thread does not hold is an {@link IllegalMonitorStateException}.
 *
 * <p><b>Memory consistency.</b> Actions in one process before {@link #unlock()} happen-before actions in any
 * process after a later successful {@link #lock()} or {@link #tryLock()}.
 *
 * <p><b>Peer death.</b> If the holding process dies, however it dies, a waiter takes the lock over (within
 * about 100 ms) and {@link #ownerDied()} reports it for that acquisition: the state the lock guards may be
 * half-updated and should be checked or repaired.
 *
 * <p><b>Conditions.</b> {@link #newCondition()} returns a condition shared with every process that opens the
 * same lock (like Python's {@code multiprocessing.Condition}). {@code await} releases the lock, waits for a
 * signal and takes the lock again; {@code signal} and {@code signalAll} require the lock. All conditions of one
 * lock share one signal: {@code signal()} may wake every waiter of the lock, so wait in a loop that re-checks
 * the predicate, as {@link java.util.concurrent.locks.Condition} asks anyway.
 */
public interface IpcLock extends Lock, Serializable, AutoCloseable {
  /**
   * True when the current thread holds this lock and its acquisition took the lock over from a process that
   * died while holding it.
   */
  boolean ownerDied();

  /** True when the current thread holds this lock. */
  boolean isHeldByCurrentThread();

  /** True when some thread of some live process holds this lock (a snapshot, for monitoring). */
  boolean isLocked();

  String name();

  @Override void close();
}
