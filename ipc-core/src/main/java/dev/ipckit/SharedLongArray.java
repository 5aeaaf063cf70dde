package dev.ipckit;

import java.io.Serializable;
import java.util.function.LongUnaryOperator;

/**
 * A fixed-length {@code long[]} in shared memory with the {@link java.util.concurrent.atomic.AtomicLongArray}
 * vocabulary. Each element behaves as a {@link SharedLong}; an index out of range is an
 * {@link IndexOutOfBoundsException} naming the index and the length.
 */
public interface SharedLongArray extends Serializable, AutoCloseable {
  int length();
  long get(int i);
  void set(int i, long v);
  long getAndAdd(int i, long delta);
  long addAndGet(int i, long delta);
  long incrementAndGet(int i);
  long getAndIncrement(int i);
  long decrementAndGet(int i);
  boolean compareAndSet(int i, long expect, long update);
  long updateAndGet(int i, LongUnaryOperator f);
  long getAndSet(int i, long v);
  /** A copy of every element, each read atomically (the whole is not a snapshot). */
  long[] toArray();
  IpcLock getLock();
  String name();
  @Override void close();
}
