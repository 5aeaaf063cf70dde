package dev.ipckit;

import java.io.Serializable;

/**
 * A fixed-length {@code boolean[]} in shared memory, one byte per element holding 0 ({@code false}) or 1
 * ({@code true}), with the vocabulary of {@link java.util.concurrent.atomic.AtomicBoolean} per element: flags that
 * processes raise, clear and claim ({@link #compareAndSet}). An index out of range is an
 * {@link IndexOutOfBoundsException} naming the index and the length.
 *
 * <p>Python's {@code multiprocessing.Array(ctypes.c_bool, length)}, visible to every process that opens the same
 * namespace. It is created by {@link Ipc#booleanArray(String, int)} with every element {@code false}, or by
 * {@link Ipc#booleanArray(String, boolean[])} with the given contents; opening an existing one with another length
 * is an {@link IllegalArgumentException}. A byte other than 0 or 1 (a file changed by something other than ipckit)
 * reads as {@code true}.
 *
 * <p><b>Thread safety.</b> Every method that takes an index is atomic for that element and safe to call from any
 * thread of any process; an update of one element never disturbs its neighbours. Nothing spans elements:
 * {@link #toArray()} and the bulk {@code get} and {@code set} access each element atomically, but the whole is not
 * a snapshot; use {@link #getLock()} around work that must see or change several elements together.
 *
 * <p><b>Memory consistency effects.</b> As for {@link SharedByteArray}: actions in a thread prior to a
 * {@link #set(int, boolean) set} of an element happen-before actions subsequent to a {@link #get(int) get} of that
 * element that sees the value stored, in another thread of this or any other process that opens the same
 * namespace; {@code get} is an acquire load, {@code set} and the read-modify-write methods are volatile updates.
 * See the <a href="package-summary.html#MemoryVisibility">package summary</a>.
 *
 * <p><b>Peer death.</b> As for {@link SharedLongArray}: a process that dies (see
 * <a href="package-summary.html#PeerDeath">peer death</a>) leaves the last values it stored; a flag it raised stays
 * raised, and nobody lowers it for the dead process.
 */
public interface SharedBooleanArray extends Serializable, AutoCloseable {
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
  boolean get(int i);

  /**
   * Sets element {@code i}, atomically and without touching its neighbours.
   *
   * @param i the index
   * @param v the new value
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  void set(int i, boolean v);

  /**
   * Atomically sets element {@code i} to {@code update} if it is {@code expect}: with {@code (i, false, true)}, one
   * of the threads and processes that race to raise a flag wins.
   *
   * @param i the index
   * @param expect the expected value
   * @param update the new value
   * @return {@code true} if the element was {@code expect} and is now {@code update}; {@code false} if it was
   *     the other value, and is unchanged
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  boolean compareAndSet(int i, boolean expect, boolean update);

  /**
   * Atomically sets element {@code i} to {@code v}.
   *
   * @param i the index
   * @param v the new value
   * @return the previous value
   * @throws IndexOutOfBoundsException if {@code i} is negative or not less than {@link #length()}
   */
  boolean getAndSet(int i, boolean v);

  /**
   * Copies {@code into.length} elements, from element {@code from} on, into {@code into}; the same as {@link
   * #get(int, boolean[], int, int) get(from, into, 0, into.length)}.
   *
   * @param from the index of the first element to read
   * @param into where the elements go
   * @throws IndexOutOfBoundsException if the elements {@code from} to {@code from + into.length - 1} are not all
   *     in the array; the message names the array, the index, the count and the length
   */
  default void get(int from, boolean[] into) {
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
  default void get(int from, boolean[] into, int offset, int count) {
    ArrayRanges.forEach("SharedBooleanArray", name(), length(), from, count, into.length, offset,
        k -> into[offset + k] = get(from + k));
  }

  /**
   * Stores {@code values} into the elements from {@code from} on; the same as {@link #set(int, boolean[], int, int)
   * set(from, values, 0, values.length)}.
   *
   * @param from the index of the first element to write
   * @param values the new values
   * @throws IndexOutOfBoundsException if the elements {@code from} to {@code from + values.length - 1} are not
   *     all in the array; the message names the array, the index, the count and the length
   */
  default void set(int from, boolean[] values) {
    set(from, values, 0, values.length);
  }

  /**
   * Stores {@code count} elements of {@code values}, from {@code offset} on, into the elements from {@code
   * from} on, in ascending order. Each element is written as by {@link #set(int, boolean) set(int, boolean)}:
   * one atomic store of that element. The whole is not atomic: another thread or process may see some elements
   * written and others not yet; hold {@link #getLock()} (in every reader too) where that matters. Both ranges are
   * checked before any element is written.
   *
   * @param from the index of the first element to write
   * @param values where the new values come from
   * @param offset the index in {@code values} of the first value stored
   * @param count how many elements to store
   * @throws IndexOutOfBoundsException if the {@code count} elements from {@code from} are not all in this array,
   *     or those from {@code offset} not all in {@code values}; the message names the array, the index, the count
   *     and the length
   */
  default void set(int from, boolean[] values, int offset, int count) {
    ArrayRanges.forEach("SharedBooleanArray", name(), length(), from, count, values.length, offset,
        k -> set(from + k, values[offset + k]));
  }

  /**
   * Returns a copy of every element, each read atomically (the whole is not a snapshot).
   *
   * @return a new array of {@link #length()} elements
   */
  boolean[] toArray();

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
   * @return the name given to {@link Ipc#booleanArray(String, int)}
   */
  String name();

  /**
   * Closes this handle: using it afterwards is an {@link IllegalStateException}. The array stays in the namespace.
   * Closing twice is harmless.
   */
  @Override void close();
}
