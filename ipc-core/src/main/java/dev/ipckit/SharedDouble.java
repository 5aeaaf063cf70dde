package dev.ipckit;

import java.io.Serializable;
import java.util.function.DoubleUnaryOperator;

/**
 * A {@code double} in shared memory, stored as its IEEE-754 bits. {@link #compareAndSet} compares bits (as
 * {@code Double.doubleToRawLongBits}), so {@code NaN} equals itself and {@code 0.0} differs from {@code -0.0}.
 * Thread safety, memory consistency and peer death as for {@link SharedLong}.
 */
public interface SharedDouble extends Serializable, AutoCloseable {
  double get();
  void set(double v);
  double getAndAdd(double delta);
  double addAndGet(double delta);
  boolean compareAndSet(double expect, double update);
  double updateAndGet(DoubleUnaryOperator f);
  double getAndUpdate(DoubleUnaryOperator f);
  double getAndSet(double v);
  /** The reentrant lock that belongs to this value (Python's {@code Value.get_lock()}). */
  IpcLock getLock();
  String name();
  @Override void close();
}
