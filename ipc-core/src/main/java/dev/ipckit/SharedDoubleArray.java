package dev.ipckit;

import java.io.Serializable;
import java.util.function.DoubleUnaryOperator;

/** A fixed-length {@code double[]} in shared memory; see {@link SharedLongArray} and {@link SharedDouble}. */
public interface SharedDoubleArray extends Serializable, AutoCloseable {
  int length();
  double get(int i);
  void set(int i, double v);
  double getAndAdd(int i, double delta);
  double addAndGet(int i, double delta);
  boolean compareAndSet(int i, double expect, double update);
  double updateAndGet(int i, DoubleUnaryOperator f);
  double getAndSet(int i, double v);
  double[] toArray();
  IpcLock getLock();
  String name();
  @Override void close();
}
