package dev.ipckit;

import java.io.Serializable;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cyclic barrier shared across processes, with {@link java.util.concurrent.CyclicBarrier}'s verbs: Python's
 * {@code multiprocessing.Barrier(parties, action)}.
 *
 * <p><b>Barrier action.</b> {@link Ipc#barrier(String, int, Runnable)} gives a handle an action that its thread
 * runs when it arrives last, before any party leaves (the others wait meanwhile), as {@code CyclicBarrier(parties,
 * action)}. The action is the handle's own and does not travel: each process runs the action of the handle it
 * arrived through, or none. An action that throws breaks the barrier; its exception reaches that party's
 * {@code await}.
 *
 * <p>A barrier is created with a fixed number of {@link #parties()} ({@link Ipc#barrier}; opening the same name
 * with another number is an {@link IllegalArgumentException}) and shared by every process that opens the same name
 * in the same namespace. Each party calls {@link #await()}; the last to arrive trips the barrier, which lets every
 * waiting party go and starts the next generation, so the barrier can be used again. As with {@code CyclicBarrier},
 * a waiter that times out or is interrupted <em>breaks</em> the barrier: every party waiting in that generation,
 * and every later {@code await}, throws {@link BrokenBarrierException} until {@link #reset()} is called.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads in any number of processes (see the
 * <a href="package-summary.html#Handles">package summary</a>).
 *
 * <p><b>Memory consistency effects.</b> Actions in each party prior to calling {@link #await()} happen-before
 * actions subsequent to the successful return of the corresponding {@code await()} in every other party of the
 * same generation, in this or any other process that opens the same namespace. See the
 * <a href="package-summary.html#MemoryVisibility">package summary</a> for the general rule.
 *
 * <p><b>Peer death.</b> The barrier's state is one word updated atomically, so a party killed at any instant (see
 * <a href="package-summary.html#PeerDeath">peer death</a>) has either arrived or not, and never corrupts it. What
 * the others see:
 * <ul>
 *   <li>A party that dies <em>while it waits</em> in {@code await} (killed, crashed, or its process exits or closes
 *   its {@link Ipc}) breaks the barrier: every party waiting in that generation, in the timed and in the untimed
 *   {@link #await()} alike, throws {@link BrokenBarrierException}, as if the dead party had timed out. Each party
 *   records its process and generation in the barrier before it counts as arrived, and the waiters ask the kernel
 *   whether the processes recorded in their generation are alive at their liveness probe interval: within 100 ms of
 *   the death by design (5 to 45 ms measured: the kernel tearing the dead JVM down, then at most one park of the
 *   waiter). If the last party arrives before the death is noticed, the
 *   generation trips as usual and the survivors go on.
 *   <li>The last party killed <em>while it runs the barrier action</em> breaks the barrier the same way: the waiting
 *   parties, and those arriving beyond {@link #parties()} while the action runs, throw
 *   {@link BrokenBarrierException}.
 *   <li>A party that dies <em>before it arrives</em> cannot be told from a slow one: it never comes, exactly like a
 *   thread that never calls {@code await()}, and parties waiting in the untimed {@link #await()} wait for ever. This
 *   is a choice: nothing in the barrier says that a process means to arrive, and a process that merely has not
 *   arrived yet must not break it. Use {@link #await(long, TimeUnit)} when a party may die before it arrives: its
 *   timeout breaks the barrier and frees the others with {@link BrokenBarrierException}.
 *   <li>After a break, {@link #reset()} makes the barrier usable again. A party that died is missing from later
 *   generations too: they trip only if enough parties are left.
 * </ul>
 */
public interface IpcBarrier extends Serializable, AutoCloseable {
  /**
   * Waits until all {@link #parties()} have called {@code await} in this generation (Python's {@code wait()}).
   *
   * @return the arrival index of the current thread: {@code parties() - 1} for the first to arrive, {@code 0} for
   *     the last, which trips the barrier
   * @throws InterruptedException if the current thread is interrupted on entry or while waiting; the barrier is
   *     then broken for the other parties
   * @throws BrokenBarrierException if the barrier is broken when this is called, or becomes broken while this
   *     waits: another party timed out, was interrupted or died while waiting, or {@link #reset()} was called
   * @throws IllegalStateException if this handle is closed
   */
  int await() throws InterruptedException, BrokenBarrierException;

  /**
   * Waits at most {@code timeout} until all {@link #parties()} have called {@code await} in this generation
   * (Python's {@code wait(timeout)}).
   *
   * @param timeout the longest time to wait; zero or negative waits at most briefly
   * @param unit the unit of {@code timeout}
   * @return the arrival index of the current thread: {@code parties() - 1} for the first to arrive, {@code 0} for
   *     the last, which trips the barrier
   * @throws InterruptedException if the current thread is interrupted on entry or while waiting; the barrier is
   *     then broken for the other parties
   * @throws BrokenBarrierException if the barrier is broken when this is called, or becomes broken while this
   *     waits: another party timed out, was interrupted or died while waiting, or {@link #reset()} was called
   * @throws TimeoutException if the timeout elapses before all parties arrive; the barrier is then broken for the
   *     other parties
   * @throws IllegalStateException if this handle is closed
   */
  int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException, TimeoutException;

  /**
   * Breaks the current generation, so that the parties waiting in it throw {@link BrokenBarrierException}, and
   * starts a new generation that is not broken (Python's {@code reset()}). Call it to reuse a broken barrier once
   * its parties know.
   *
   * @throws IllegalStateException if this handle is closed
   */
  void reset();

  /**
   * Returns whether the current generation is broken (Python's {@code broken}): a party timed out, was
   * interrupted or died while waiting, or {@link #abort()} was called, and {@link #reset()} has not been called
   * since.
   *
   * @return {@code true} if the barrier is broken
   * @throws IllegalStateException if this handle is closed
   */
  boolean isBroken();

  /**
   * Returns the number of parties needed to trip the barrier (Python's {@code parties}).
   *
   * @return the parties, fixed when the barrier was created
   */
  int parties();

  /**
   * The number of parties waiting at the barrier now (as {@link java.util.concurrent.CyclicBarrier#getNumberWaiting()}):
   * a snapshot, for monitoring.
   *
   * @return parties that have arrived in the current generation and not yet left
   * @throws IllegalStateException if this handle is closed
   */
  int getNumberWaiting();

  /**
   * Breaks the barrier (Python's {@code Barrier.abort()}): every party waiting now, in any process, gets a
   * {@link java.util.concurrent.BrokenBarrierException}, and so does every later {@code await} until
   * {@link #reset()}.
   *
   * @throws IllegalStateException if this handle is closed
   */
  void abort();

  /**
   * Returns the name of this barrier in its namespace.
   *
   * @return the name given to {@link Ipc#barrier}
   */
  String name();

  /**
   * Closes this handle: using it afterwards is an {@link IllegalStateException}. The barrier stays in the namespace
   * for the other parties. Closing twice is harmless.
   */
  @Override void close();
}
