package dev.ipckit;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;

/**
 * A flag shared across processes that waiters can block on, as Python's {@code multiprocessing.Event}.
 *
 * <p>An event is created clear ({@link Ipc#event}) and shared by every process that opens the same name in the
 * same namespace. {@link #set()} sets the flag and wakes every waiting thread of every process; {@link #clear()}
 * clears it; {@link #await()} (Python's {@code wait()}) returns at once while the flag is set, and otherwise waits
 * until it is set. A waiter returns when it finds the flag set: an event that is set and cleared again before a
 * waiter looks may leave that waiter waiting. To signal once, set the event and leave it set.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads in any number of processes (see the
 * <a href="package-summary.html#Handles">package summary</a>).
 *
 * <p><b>Memory consistency effects.</b> Actions in a thread prior to calling {@link #set()} happen-before actions
 * subsequent to an {@link #await()} that returns because it saw the flag set by that call, or an {@link #isSet()}
 * that returns {@code true} because of it, in another thread of this or any other process that opens the same
 * namespace. See the <a href="package-summary.html#MemoryVisibility">package summary</a> for the general rule.
 *
 * <p><b>Peer death.</b> Nothing is held. {@code set()} and {@code clear()} are single stores, so a process killed
 * at any instant (see <a href="package-summary.html#PeerDeath">peer death</a>) has either changed the flag or not.
 * A process that dies before setting the event leaves it clear, and its waiters keep waiting: use the timed
 * {@link #await(long, TimeUnit)} when the setter may die. A waiter killed while waiting leaves nothing behind.
 */
public interface IpcEvent extends Serializable, AutoCloseable {
  /**
   * Sets the flag and wakes every thread, in any process, waiting for it (Python's {@code set()}). Setting an event
   * that is already set changes nothing.
   *
   * @throws IllegalStateException if this handle is closed
   */
  void set();

  /**
   * Clears the flag (Python's {@code clear()}): later calls of {@link #await()} wait for the next {@link #set()}.
   *
   * @throws IllegalStateException if this handle is closed
   */
  void clear();

  /**
   * Returns whether the flag is set now (Python's {@code is_set()}): a snapshot that other threads and processes
   * may change at once.
   *
   * @return {@code true} if the event is set
   * @throws IllegalStateException if this handle is closed
   */
  boolean isSet();

  /**
   * Waits until the flag is set; returns at once if it is set (Python's {@code wait()}).
   *
   * @throws InterruptedException if the current thread is interrupted on entry or while waiting
   * @throws IllegalStateException if this handle is closed
   */
  void await() throws InterruptedException;

  /**
   * Waits at most {@code timeout} until the flag is set; returns at once if it is set (Python's
   * {@code wait(timeout)}).
   *
   * @param timeout the longest time to wait; zero or negative only looks
   * @param unit the unit of {@code timeout}
   * @return {@code true} if the flag was seen set, {@code false} if the timeout elapsed first
   * @throws InterruptedException if the current thread is interrupted on entry or while waiting
   * @throws IllegalStateException if this handle is closed
   */
  boolean await(long timeout, TimeUnit unit) throws InterruptedException;

  /**
   * Returns the name of this event in its namespace.
   *
   * @return the name given to {@link Ipc#event}
   */
  String name();

  /**
   * Closes this handle: using it afterwards is an {@link IllegalStateException}. The event and its flag stay in the
   * namespace. Closing twice is harmless.
   */
  @Override void close();
}
