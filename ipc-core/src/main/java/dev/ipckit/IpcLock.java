package dev.ipckit;

import java.io.Serializable;
import java.util.concurrent.locks.Lock;

/**
 * A named lock shared by every process that opens the namespace, with the {@link Lock} vocabulary: Python's
 * {@code multiprocessing.Lock} ({@link Ipc#lock}, a compare-and-set word in shared memory) and
 * {@code multiprocessing.RLock} ({@link Ipc#rlock}, the same, reentrant); {@link Ipc#fileLock} is a plain kernel
 * file lock, the simple, slow baseline. All three support interruptible and timed acquisition and conditions.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads in any number of processes. The lock is held by one
 * thread of one process at a time. {@link Ipc#lock} and {@link Ipc#fileLock} are not reentrant: the holding thread
 * locking again is an {@link IllegalStateException}, not a silent deadlock. {@link Ipc#rlock} is reentrant. As with
 * {@code java.util.concurrent} locks (and unlike Python's {@code Lock}), only the holding thread may unlock:
 * unlocking a lock the current thread does not hold is an {@link IllegalMonitorStateException}.
 *
 * <p><b>Memory consistency effects.</b> Actions in a thread prior to {@link #unlock()} happen-before actions
 * subsequent to a later successful {@link #lock()}, {@link #lockInterruptibly()} or {@code tryLock} of the same
 * lock in another thread, in this process or in any other process that opens the same namespace; a condition's
 * {@code await} releases the lock and takes it again with the same effects. See the
 * <a href="package-summary.html#MemoryVisibility">package summary</a> for the general rule.
 *
 * <p><b>Peer death.</b> If the holding process dies, however it dies (see
 * <a href="package-summary.html#PeerDeath">peer death</a>; a process that exits while holding the lock counts),
 * a waiter takes the lock over, a few milliseconds after the death (2 to 12 ms measured; 100 ms at most by design),
 * and {@link #ownerDied()} reports it for that acquisition: the state the lock guards may be half-updated and should
 * be checked or repaired. A waiter killed while waiting leaves nothing behind. No timeout is involved: a holder
 * that is merely slow keeps the lock.
 *
 * <p><b>Conditions.</b> {@link #newCondition()} returns a condition shared with every process that opens the
 * same lock (like Python's {@code multiprocessing.Condition}). {@code await} releases the lock (every hold of a
 * reentrant lock), waits for a signal and takes the lock again; {@code signal} and {@code signalAll} require the
 * lock. All conditions of one lock share one signal: {@code signal()} may wake every waiter of the lock, so wait in
 * a loop that re-checks the predicate, as {@link java.util.concurrent.locks.Condition} asks anyway. A waiter that
 * takes the lock back from a holder that died meanwhile sees {@link #ownerDied()} {@code true}. An {@link
 * IpcCondition} also waits for a predicate ({@link IpcCondition#waitFor}, Python's {@code wait_for}).
 */
public interface IpcLock extends Lock, Serializable, AutoCloseable {
  /**
   * Returns a condition of this lock, shared with every process that opens the same lock (see the class comment).
   *
   * @return a new condition handle; all of them share the lock's one signal
   * @throws IllegalStateException if this handle is closed
   */
  @Override IpcCondition newCondition();

  /**
   * Returns whether the current thread's acquisition of this lock took it over from a process that died while
   * holding it. It stays {@code true} until the current thread unlocks (for a reentrant lock, releases its last
   * hold); the next acquisition, by any thread, starts with {@code false} unless its holder died too.
   *
   * @return {@code true} when the current thread holds this lock and its acquisition took the lock over from a
   *     process that died while holding it; {@code false} otherwise, also when the current thread does not hold it
   */
  boolean ownerDied();

  /**
   * Returns whether the current thread holds this lock.
   *
   * @return {@code true} when the current thread holds this lock
   */
  boolean isHeldByCurrentThread();

  /**
   * Returns whether some thread of some live process holds this lock: a snapshot, for monitoring, that may change
   * at once. A lock left by a dead holder and not yet taken over does not count as locked.
   *
   * @return {@code true} when some thread of some live process holds this lock
   * @throws IllegalStateException if this handle is closed
   */
  boolean isLocked();

  /**
   * Returns the name of this lock in its namespace.
   *
   * @return the name given to {@link Ipc#lock}, {@link Ipc#rlock} or {@link Ipc#fileLock}
   */
  String name();

  /**
   * Closes this handle: using it afterwards is an {@link IllegalStateException}. The lock stays in the namespace
   * for every other handle and process. Closing twice is harmless.
   */
  @Override void close();
}
