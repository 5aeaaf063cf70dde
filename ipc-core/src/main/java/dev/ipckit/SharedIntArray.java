package dev.ipckit;

import java.io.Serializable;
import java.util.function.IntUnaryOperator;

/** A fixed-length {@code int[]} in shared memory; see {@link SharedLongArray}. */
public interface SharedIntArray extends Serializable, AutoCloseable {
  int length();
  int get(int i);
  void set(int i, int v);
  int getAndAdd(int i, int delta);
  int addAndGet(int i, int delta);
  int incrementAndGet(int i);
  int getAndIncrement(int i);
  int decrementAndGet(int i);
  boolean compareAndSet(int i, int expect, int update);
  int updateAndGet(int i, IntUnaryOperator f);
  int getAndSet(int i, int v);
  int[] toArray();
  IpcLock getLock();
  String name();
  @Override void close();
}
