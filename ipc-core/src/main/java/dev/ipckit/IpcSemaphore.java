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
 * {@code java.util.concurrent.Semaphore}, permits have no owner: any thread of any process may release, whether or
 * not it acquired. A bounded semaphore refuses a release that would raise the count above its initial number of
 * permits (Python raises {@code ValueError}; this is an {@link IllegalStateException}). The initial number is given
 * when the semaphore is created: for a plain semaphore, the number passed when opening an existing one is ignored
 * (as a value's initial value is); for a bounded one it must be the same, else {@link IllegalArgumentException}.
 * Waiting is not fair: a thread that comes later may take a permit before one that has waited longer.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads in any number of processes (see the
 * <a href="package-summary.html#Handles">package summary</a>).
 *
 * <p><b>Memory consistency effects.</b> Actions in a thread prior to calling {@link #release()} happen-before
 * actions subsequent to a successful acquire ({@link #acquire()}, or {@code tryAcquire} returning {@code true}) in
 * another thread, in this process or in any other process that opens the same namespace. See the
 * <a href="package-summary.html#MemoryVisibility">package summary</a> for the general rule.
 *
 * <p><b>Peer death.</b> A permit has no owner, so a process that dies holding permits (see
 * <a href="package-summary.html#PeerDeath">peer death</a>) does not give them back, as in Python: the count stays
 * that much lower until some process calls {@link #release()} in its place, and a bounded semaphore simply has fewer
 * permits in circulation. A process killed while waiting in {@code acquire} has taken nothing. The count is one word
 * updated atomically, so no death corrupts it; waiters in other processes are not disturbed, and keep honouring
 * their timeouts and interrupts: use {@link #tryAcquire(long, TimeUnit)} where a holder may die.
 */
public interface IpcSemaphore extends Serializable, AutoCloseable {
  /**
   * Takes a permit, waiting until one is available (Python's {@code acquire()}).
   *
   * @throws InterruptedException if the current thread is interrupted on entry or while waiting; no permit is
   *     taken then
   * @throws IllegalStateException if this handle is closed
   */
  void acquire() throws InterruptedException;

  /**
   * Takes a permit if one is available now, without waiting (Python's {@code acquire(block=False)}).
   *
   * @return {@code true} if a permit was taken, {@code false} if none was available
   * @throws IllegalStateException if this handle is closed
   */
  boolean tryAcquire();

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
  boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException;

  /**
   * Returns a permit: adds one to the count, and lets a waiting thread of any process take it (Python's
   * {@code release()}). Any thread may call this, whether or not it acquired a permit.
   *
   * @throws IllegalStateException if this is a bounded semaphore whose count is already at its bound (the count is
   *     left unchanged), or if this handle is closed
   */
  void release();

  /**
   * Returns the number of permits available now: a snapshot, for monitoring, that other threads and processes may
   * change at once.
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
   * returned; the semaphore and its count stay in the namespace. Closing twice is harmless.
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
   * Returns {@code permits} permits at once (as {@link java.util.concurrent.Semaphore#release(int)}).
   *
   * @param permits how many, 0 or more
   * @throws IllegalArgumentException if {@code permits} is negative
   * @throws IllegalStateException if this is a bounded semaphore that they would take past its bound (nothing is
   *     returned), or if this handle is closed
   */
  void release(int permits);

  /**
   * Takes every permit available now and returns how many (as {@link java.util.concurrent.Semaphore#drainPermits()}).
   *
   * @return the permits taken, 0 if none was available
   * @throws IllegalStateException if this handle is closed
   */
  int drainPermits();
}
