package dev.ipckit;

import java.io.Serializable;
import java.util.function.LongUnaryOperator;

/**
 * A fixed-length {@code long[]} in shared memory with the {@link java.util.concurrent.atomic.AtomicLongArray}
 * vocabulary. Each element behaves as a {@link SharedLong}; an index out of range is an
 * {@link IndexOutOfBoundsException} naming the index and the length.
 *
 * <p>Python's {@code multiprocessing.Array('q', length)}, visible to every process that opens the same namespace.
 * It is created by {@link Ipc#longArray(String, int)} with every element zero, or by
 * {@link Ipc#longArray(String, long[])} with the given contents; opening an existing one with another length is an
 * {@link IllegalArgumentException}. Arithmetic wraps on overflow.
 *
 * <p><b>Thread safety.</b> Every method that takes an index is atomic for that element and safe to call from any thread
 * of any process. Nothing spans elements: {@link #toArray()} and the bulk {@code get} and {@code set} access each
 * element atomically, but the whole is not a snapshot; use {@link #getLock()} around work that must see or change
 * several elements together.
 *
 * <p><b>Memory consistency effects.</b> Per element, as for {@link SharedLong}: actions in a thread prior to a
 * {@link #set(int, long) set} of an element happen-before actions subsequent to a {@link #get(int) get} of that
 * element that sees the value stored, in another thread of this or any other process that opens the same
 * namespace; {@code set} is a release store and {@code get} an acquire load, the read-modify-write methods are
 * volatile updates. See the <a href="package-summary.html#MemoryVisibility">package summary</a>.
 *
 * <p><b>Peer death.</b> A process that dies (see <a href="package-summary.html#PeerDeath">peer death</a>) leaves the
 * last values it stored; an update of one element is never half done, but a sequence of updates over several
 * elements may be, unless a lock guards it (and then {@link IpcLock#ownerDied()} says so). Nothing is held by the
 * array itself, so nothing needs recovery.
 */
public interface SharedLongArray extends Serializable, AutoCloseable {
  /**
   * Returns the number of elements, fixed when the array was created.
   *
   * @return the length
   */
  int length();

  /**
   * Returns element {@code i}, with acquire ordering.
   *
   * @param i the index
   * @return the current value of element {@code i}
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  long get(int i);

  /**
   * Sets element {@code i}, with release ordering.
   *
   * @param i the index
   * @param v the new value
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  void set(int i, long v);

  /**
   * Atomically adds {@code delta} to element {@code i}.
   *
   * @param i the index
   * @param delta the value to add
   * @return the previous value
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  long getAndAdd(int i, long delta);

  /**
   * Atomically adds {@code delta} to element {@code i}.
   *
   * @param i the index
   * @param delta the value to add
   * @return the updated value
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  default long addAndGet(int i, long delta) {
    return getAndAdd(i, delta) + delta;
  }

  /**
   * Atomically adds one to element {@code i}.
   *
   * @param i the index
   * @return the updated value
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  default long incrementAndGet(int i) {
    return getAndAdd(i, 1) + 1;
  }

  /**
   * Atomically adds one to element {@code i}.
   *
   * @param i the index
   * @return the previous value
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  default long getAndIncrement(int i) {
    return getAndAdd(i, 1);
  }

  /**
   * Atomically subtracts one from element {@code i}.
   *
   * @param i the index
   * @return the updated value
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  default long decrementAndGet(int i) {
    return getAndAdd(i, -1) - 1;
  }

  /**
   * Atomically sets element {@code i} to {@code update} if it is {@code expect}.
   *
   * @param i the index
   * @param expect the expected value
   * @param update the new value
   * @return {@code true} if the element was {@code expect} and is now {@code update}; {@code false} if it was
   *     something else, and is unchanged
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  boolean compareAndSet(int i, long expect, long update);

  /**
   * Atomically replaces element {@code i} with the result of {@code f} applied to it, by a compare-and-set loop.
   * {@code f} should be free of side effects: it is applied again when another thread or process updated the element
   * meanwhile.
   *
   * @param i the index
   * @param f the function that computes the new value from the current one
   * @return the updated value
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  long updateAndGet(int i, LongUnaryOperator f);

  /**
   * Atomically sets element {@code i} to {@code v}.
   *
   * @param i the index
   * @param v the new value
   * @return the previous value
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  long getAndSet(int i, long v);

  /**
   * Copies {@code into.length} elements, from element {@code from} on, into {@code into}; the same as {@link
   * #get(int, long[], int, int) get(from, into, 0, into.length)}.
   *
   * @param from the index of the first element to read
   * @param into where the elements go
   * @throws IndexOutOfBoundsException if the elements {@code from} to {@code from + into.length - 1} are not all
   *     in the array; the message names the array, the index, the count and the length
   */
  default void get(int from, long[] into) {
    get(from, into, 0, into.length);
  }

  /**
   * Copies {@code count} elements, from element {@code from} on, into {@code into} from {@code offset} on.
   * Each element is read as by {@link #get(int) get(int)}: one acquire load of that element. The copy is not atomic
   * as a whole: other threads and processes may change elements while it runs; hold {@link #getLock()} (in every
   * writer too) for a consistent copy. Both ranges are checked before any element is read.
   *
   * @param from the index of the first element to read
   * @param into where the elements go
   * @param offset the index in {@code into} of the first element copied
   * @param count how many elements to copy
   * @throws IndexOutOfBoundsException if the {@code count} elements from {@code from} are not all in this array,
   *     or those from {@code offset} not all in {@code into}; the message names the array, the index, the count
   *     and the length
   */
  default void get(int from, long[] into, int offset, int count) {
    ArrayRanges.forEach("SharedLongArray", name(), length(), from, count, into.length, offset,
        k -> into[offset + k] = get(from + k));
  }

  /**
   * Stores {@code values} into the elements from {@code from} on; the same as {@link #set(int, long[], int, int)
   * set(from, values, 0, values.length)}.
   *
   * @param from the index of the first element to write
   * @param values the new values
   * @throws IndexOutOfBoundsException if the elements {@code from} to {@code from + values.length - 1} are not
   *     all in the array; the message names the array, the index, the count and the length
   */
  default void set(int from, long[] values) {
    set(from, values, 0, values.length);
  }

  /**
   * Stores {@code count} elements of {@code values}, from {@code offset} on, into the elements from {@code
   * from} on, in ascending order. Each element is written as by {@link #set(int, long) set(int, long)}: one release
   * store of that element. The whole is not atomic: another thread or process may see some elements written and
   * others not yet; hold {@link #getLock()} (in every reader too) where that matters. Both ranges are checked
   * before any element is written.
   *
   * @param from the index of the first element to write
   * @param values where the new values come from
   * @param offset the index in {@code values} of the first value stored
   * @param count how many elements to store
   * @throws IndexOutOfBoundsException if the {@code count} elements from {@code from} are not all in this array,
   *     or those from {@code offset} not all in {@code values}; the message names the array, the index, the count
   *     and the length
   */
  default void set(int from, long[] values, int offset, int count) {
    ArrayRanges.forEach("SharedLongArray", name(), length(), from, count, values.length, offset,
        k -> set(from + k, values[offset + k]));
  }

  /**
   * Returns a copy of every element, each read atomically (the whole is not a snapshot).
   *
   * @return a new array of {@link #length()} elements
   */
  long[] toArray();

  /**
   * Returns the reentrant lock that belongs to this array (Python's {@code Array.get_lock()}): one lock for the
   * whole array, the same in every process that opens it. The array's own methods do not take it.
   *
   * @return the array's lock, an {@link Ipc#rlock reentrant} {@link IpcLock}
   */
  IpcLock getLock();

  /**
   * Returns the name of this array in its namespace.
   *
   * @return the name given to {@link Ipc#longArray(String, int)}
   */
  String name();

  /**
   * Closes this handle: using it afterwards is an {@link IllegalStateException}. The array stays in the namespace.
   * Closing twice is harmless.
   */
  @Override void close();
}
