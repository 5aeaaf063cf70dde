package dev.ipckit;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore shared across processes, with {@link java.util.concurrent.Semaphore}'s verbs: Python's
 * {@code multiprocessing.Semaphore} ({@link Ipc#semaphore}) and {@code multiprocessing.BoundedSemaphore}
 * ({@link Ipc#boundedSemaphore}).
 *
 * <p>A semaphore holds a count of permits, shared by every process that opens the same name in the same namespace.
 * {@link #acquire()} takes one, waiting until one is available; {@link #release()} adds one. As with
 * {@code java.util.concurrent.Semaphore}, any thread of any process may release, whether or not it acquired. A
 * bounded semaphore refuses a release that would raise the count above its initial number of permits (Python raises
 * {@code ValueError}; this is an {@link IllegalStateException}). The initial number is given when the semaphore is
 * created: for a plain semaphore, the number passed when opening an existing one is ignored (as a value's initial
 * value is); for a bounded one it must be the same, else {@link IllegalArgumentException}. Waiting is not fair: a
 * thread that comes later may take a permit before one that has waited longer.
 *
 * <h2 id="Holdings">Holdings: the permits of a process that is gone come back</h2>
 *
 * <p>Beside the count, the semaphore records how many permits each process holds, and gives back those of a process
 * that is gone. The rules, in full:
 * <ol>
 *   <li><b>Acquiring</b> ({@code acquire}, a {@code tryAcquire} that returns {@code true}, {@link #drainPermits()})
 *   adds the permits taken to the holdings of the calling process. The threads of one process share its holdings.
 *   <li><b>Releasing</b> {@code n} permits takes them first from the releasing process's own holdings; what it
 *   releases beyond them is an <em>anonymous</em> release, which only adds to the count, as {@code Semaphore}
 *   allows: releasing without having acquired keeps working, and raises the count above its initial number (except
 *   for a bounded semaphore, which refuses that).
 *   <li><b>A process is gone</b> when it is killed at any instant (even by {@code SIGKILL}), crashes, exits without
 *   releasing, or closes its {@link Ipc} (see <a href="package-summary.html#PeerDeath">peer death</a>); closing
 *   only this handle is not leaving. Its holdings are then <em>reclaimed</em>: given back to the count. A thread
 *   waiting in {@code acquire} or in a timed {@code tryAcquire} reclaims them once it is past spinning and then at
 *   its liveness probe interval, within 100 ms of the death by design (5 to 45 ms measured: the kernel tearing
 *   the dead JVM down, then at most one park of the waiter); a {@code tryAcquire()} that finds too few permits
 *   reclaims them before it answers. Nothing else reclaims: until a waiter or a {@code tryAcquire} does, {@link #availablePermits()}
 *   does not count them and {@link #drainPermits()} does not take them. A process that is merely slow, stopped or
 *   paused keeps its permits: liveness comes from the kernel, not from a timeout.
 *   <li><b>The acquisition that takes reclaimed permits says so</b>: {@link #reclaimed()} is {@code true} for it, as
 *   {@link IpcLock#ownerDied()} is for a lock taken over from a dead holder: what the permits guard may have been
 *   left half-updated.
 *   <li><b>A bounded semaphore never goes past its bound by a reclaim</b>: a reclaim gives back at most what brings
 *   the count to the bound, so permits that an anonymous release already made up for are not given back twice.
 *   <li><b>No kill loses or makes a permit.</b> Each update of the count and of a process's holdings happens entirely
 *   or not at all, whatever instant the updating process is killed at: once every process that held permits is
 *   gone and reclaimed, the count is the initial count plus the anonymous releases minus the permits disowned.
 *   <li><b>Limit.</b> The table has one entry per slot of the namespace's registry: 4096, as many as processes
 *   that can have a namespace open at once. Every process therefore has an entry; a process beyond the 4096th
 *   cannot open the namespace at all ({@link IpcException}).
 * </ol>
 *
 * <p><b>Permits that are not borrowed.</b> Holdings assume that the process that acquires a permit gives it back.
 * Where it does not, it calls {@link #disown(int)} for the permits, which then stay taken for good:
 * <ul>
 *   <li>a permit acquired in one process and released by another (a job handed over with its permit): the release
 *   is anonymous in the releasing process, and the acquirer would otherwise still hold the permit, which would come
 *   back a second time once the acquirer is gone; the acquirer disowns it when it hands the job over;
 *   <li>a semaphore that counts items (a producer releases a permit per item, a consumer acquires one per item and
 *   never releases it): the consumer disowns what it acquires, else its permits would come back as items once it
 *   is gone.
 * </ul>
 *
 * <p><b>Thread safety.</b> Safe for any number of threads in any number of processes (see the
 * <a href="package-summary.html#Handles">package summary</a>).
 *
 * <p><b>Memory consistency effects.</b> Actions in a thread prior to calling {@link #release()} happen-before
 * actions subsequent to a successful acquire ({@link #acquire()}, or {@code tryAcquire} returning {@code true}) in
 * another thread, in this process or in any other process that opens the same namespace. See the
 * <a href="package-summary.html#MemoryVisibility">package summary</a> for the general rule.
 *
 * <p><b>Peer death.</b> As the rules above say: the permits of a process that is gone come back to the others
 * (reclaimed within 100 ms of its death by a waiter), and {@link #reclaimed()} tells the acquisition that takes them.
 * A process killed while waiting in {@code acquire} has taken nothing. No death corrupts the count or the holdings;
 * waiters in other processes keep honouring their timeouts and interrupts. Each update is made under a short
 * internal lock held for a few stores: a process stopped (not killed) in the middle of one holds up the others'
 * calls until it resumes, and one killed in the middle of one is taken over from within milliseconds.
 */
public interface IpcSemaphore extends Serializable, AutoCloseable {
  /**
   * Takes a permit, waiting until one is available (Python's {@code acquire()}), and adds it to this process's
   * holdings. While it waits it reclaims the permits of holders that are gone (see <a href="#Holdings">holdings</a>).
   *
   * @throws InterruptedException if the current thread is interrupted on entry or while waiting; no permit is
   *     taken then
   * @throws IllegalStateException if this handle is closed
   */
  default void acquire() throws InterruptedException {
    acquire(1);
  }

  /**
   * Takes a permit if one is available now, without waiting (Python's {@code acquire(block=False)}). When none is,
   * it first reclaims the permits of holders that are gone (one liveness question to the kernel per process that
   * holds permits: microseconds) and looks again.
   *
   * @return {@code true} if a permit was taken, {@code false} if none was available
   * @throws IllegalStateException if this handle is closed
   */
  default boolean tryAcquire() {
    return tryAcquire(1);
  }

  /**
   * Takes a permit, waiting at most {@code timeout} for one (Python's {@code acquire(timeout=...)}).
   *
   * @param timeout the longest time to wait; zero or negative does not wait
   * @param unit the unit of {@code timeout}
   * @return {@code true} if a permit was taken, {@code false} if the timeout elapsed first
   * @throws InterruptedException if the current thread is interrupted on entry or while waiting; no permit is
   *     taken then
   * @throws IllegalStateException if this handle is closed
   */
  default boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
    return tryAcquire(1, timeout, unit);
  }

  /**
   * Returns a permit: adds one to the count, and lets a waiting thread of any process take it (Python's
   * {@code release()}). Any thread may call this, whether or not it acquired a permit: the permit comes out of this
   * process's holdings if it has any, else the release is anonymous.
   *
   * @throws IllegalStateException if this is a bounded semaphore whose count is already at its bound (the count is
   *     left unchanged), or if this handle is closed
   */
  default void release() {
    release(1);
  }

  /**
   * Returns the number of permits available now: a snapshot, for monitoring, that other threads and processes may
   * change at once. Permits of a process that is gone count once they are reclaimed, not before.
   *
   * @return the permits available, at most {@link Integer#MAX_VALUE}
   * @throws IllegalStateException if this handle is closed
   */
  int availablePermits();

  /**
   * Returns the name of this semaphore in its namespace.
   *
   * @return the name given to {@link Ipc#semaphore} or {@link Ipc#boundedSemaphore}
   */
  String name();

  /**
   * Closes this handle: using it afterwards is an {@link IllegalStateException}. Permits taken through it are not
   * returned: this process still holds them, until it releases them through another handle or is gone. The semaphore
   * and its count stay in the namespace. Closing twice is harmless.
   */
  @Override void close();

  /**
   * Takes {@code permits} permits at once, waiting until that many are available (as
   * {@link java.util.concurrent.Semaphore#acquire(int)}): all of them or none, never some while others wait.
   *
   * @param permits how many, 0 or more (0 returns at once)
   * @throws IllegalArgumentException if {@code permits} is negative
   * @throws InterruptedException if interrupted while waiting (nothing is taken)
   * @throws IllegalStateException if this handle is closed
   */
  void acquire(int permits) throws InterruptedException;

  /**
   * Takes {@code permits} permits at once if that many are available now.
   *
   * @param permits how many, 0 or more
   * @return true if they were taken
   * @throws IllegalArgumentException if {@code permits} is negative
   * @throws IllegalStateException if this handle is closed
   */
  boolean tryAcquire(int permits);

  /**
   * Takes {@code permits} permits at once, waiting at most {@code timeout} (at most 0: not at all; timeouts
   * saturate, so {@code Long.MAX_VALUE} of any unit waits as long as it takes).
   *
   * @param permits how many, 0 or more
   * @param timeout how long to wait, in {@code unit}
   * @param unit the unit of {@code timeout}
   * @return true if they were taken, false if the time ran out first (nothing is taken)
   * @throws IllegalArgumentException if {@code permits} is negative
   * @throws InterruptedException if interrupted while waiting (nothing is taken)
   * @throws IllegalStateException if this handle is closed
   */
  boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException;

  /**
   * Returns {@code permits} permits at once (as {@link java.util.concurrent.Semaphore#release(int)}): as many as it
   * can out of this process's holdings, the rest anonymously.
   *
   * @param permits how many, 0 or more
   * @throws IllegalArgumentException if {@code permits} is negative
   * @throws IllegalStateException if this is a bounded semaphore that they would take past its bound (nothing is
   *     returned), or if this handle is closed
   */
  void release(int permits);

  /**
   * Takes every permit available now and returns how many (as {@link java.util.concurrent.Semaphore#drainPermits()}),
   * and adds them to this process's holdings. It does not reclaim the permits of holders that are gone.
   *
   * @return the permits taken, 0 if none was available
   * @throws IllegalStateException if this handle is closed
   */
  int drainPermits();

  /**
   * Returns whether the current thread's last acquisition from this semaphore took permits that a reclaim had given
   * back from a process that was gone (see <a href="#Holdings">holdings</a>): the state the permits guard may have
   * been left half-updated, as after {@link IpcLock#ownerDied()}.
   *
   * <p>An acquisition is a call that takes at least one permit: {@code acquire}, a {@code tryAcquire} that returns
   * {@code true}, a {@code drainPermits()} that returns more than 0, through any handle of this semaphore in this
   * process. Calls that take nothing leave the answer as it was. Reclaimed permits are handed out first: after a
   * reclaim gives back {@code k} permits, the acquisitions that take the next {@code k} permits, whichever thread or
   * process makes them and whichever call reclaimed them, report {@code true}.
   *
   * @return {@code true} when the current thread's last acquisition took reclaimed permits; {@code false} otherwise,
   *     also when the current thread has never acquired from this semaphore
   */
  boolean reclaimed();

  /**
   * Takes up to {@code permits} of the permits this process holds out of its holdings, without returning them: they
   * stay taken for good, and do not come back when this process is gone. For permits that are not borrowed: one
   * that another process will release, or one that counts a consumed item (see <a href="#Holdings">holdings</a>).
   *
   * @param permits how many, 0 or more
   * @return how many were disowned: {@code permits}, or fewer if this process held fewer
   * @throws IllegalArgumentException if {@code permits} is negative
   * @throws IllegalStateException if this handle is closed
   */
  int disown(int permits);
}
