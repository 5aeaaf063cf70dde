package dev.ipckit;

import java.io.Serializable;
import java.util.function.LongUnaryOperator;

/**
 * A {@code long} in shared memory, with the {@link java.util.concurrent.atomic.AtomicLong} vocabulary, visible
 * to every process that opens the same namespace: Python's {@code multiprocessing.Value('q')}. It is created by
 * {@link Ipc#sharedLong(String, long)}; opening an existing one keeps its value. Arithmetic wraps on overflow, as
 * with {@code AtomicLong}.
 *
 * <p><b>Thread safety.</b> Every method is atomic and safe to call from any thread of any process. A
 * {@link #get()} followed by a {@link #set(long)} is two atomic steps, not one: other processes may update the
 * value in between (that is the lost-update race; use {@link #incrementAndGet()} or {@link #getLock()}).
 *
 * <p><b>Memory consistency effects.</b> {@link #set(long)} is a release store and {@link #get()} an acquire load:
 * actions in a thread prior to a {@code set} happen-before actions subsequent to a {@code get} that sees the value
 * stored, in another thread of this or any other process that opens the same namespace. The read-modify-write
 * methods are volatile (sequentially consistent) updates. As {@code set} and {@code get} are not volatile, two
 * threads that each set one value and then get another may both read the old values; see the
 * <a href="package-summary.html#MemoryVisibility">package summary</a>.
 *
 * <p><b>Peer death.</b> The value lives in a file; a process that dies (see
 * <a href="package-summary.html#PeerDeath">peer death</a>) leaves the last value it stored, and an update is never
 * half done. Nothing is held, so nothing needs recovery.
 */
public interface SharedLong extends Serializable, AutoCloseable {
  /**
   * Returns the current value, with acquire ordering.
   *
   * @return the current value
   */
  long get();

  /**
   * Sets the value, with release ordering.
   *
   * @param v the new value
   */
  void set(long v);

  /**
   * Atomically adds {@code delta} to the value.
   *
   * @param delta the value to add
   * @return the previous value
   */
  long getAndAdd(long delta);

  /**
   * Atomically adds {@code delta} to the value.
   *
   * @param delta the value to add
   * @return the updated value
   */
  default long addAndGet(long delta) {
    return getAndAdd(delta) + delta;
  }

  /**
   * Atomically adds one to the value.
   *
   * @return the updated value
   */
  default long incrementAndGet() {
    return getAndAdd(1) + 1;
  }

  /**
   * Atomically adds one to the value.
   *
   * @return the previous value
   */
  default long getAndIncrement() {
    return getAndAdd(1);
  }

  /**
   * Atomically subtracts one from the value.
   *
   * @return the updated value
   */
  default long decrementAndGet() {
    return getAndAdd(-1) - 1;
  }

  /**
   * Atomically subtracts one from the value.
   *
   * @return the previous value
   */
  default long getAndDecrement() {
    return getAndAdd(-1);
  }

  /**
   * Atomically sets the value to {@code update} if it is {@code expect}.
   *
   * @param expect the expected value
   * @param update the new value
   * @return {@code true} if the value was {@code expect} and is now {@code update}; {@code false} if it was
   *     something else, and is unchanged
   */
  boolean compareAndSet(long expect, long update);

  /**
   * Atomically replaces the value with the result of {@code f} applied to it, by a compare-and-set loop. {@code f}
   * should be free of side effects: it is applied again when another thread or process updated the value meanwhile.
   *
   * @param f the function that computes the new value from the current one
   * @return the updated value
   */
  long updateAndGet(LongUnaryOperator f);

  /**
   * Atomically replaces the value with the result of {@code f} applied to it, by a compare-and-set loop. {@code f}
   * should be free of side effects: it is applied again when another thread or process updated the value meanwhile.
   *
   * @param f the function that computes the new value from the current one
   * @return the previous value
   */
  long getAndUpdate(LongUnaryOperator f);

  /**
   * Atomically sets the value to {@code v}.
   *
   * @param v the new value
   * @return the previous value
   */
  long getAndSet(long v);

  /**
   * Returns the reentrant lock that belongs to this value (Python's {@code Value.get_lock()}): the same lock in
   * every process that opens the value. The value's own methods do not take it; hold it around a sequence of calls
   * that must be atomic together, such as {@code v.set(v.get() + 1)}.
   *
   * @return the value's lock, an {@link Ipc#rlock reentrant} {@link IpcLock}
   */
  IpcLock getLock();

  /**
   * Returns the name of this value in its namespace.
   *
   * @return the name given to {@link Ipc#sharedLong(String, long)}
   */
  String name();

  /**
   * Closes this handle: using it afterwards is an {@link IllegalStateException}. The value stays in the namespace.
   * Closing twice is harmless.
   */
  @Override void close();
}
