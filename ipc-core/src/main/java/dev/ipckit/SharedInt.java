package dev.ipckit;

import java.io.Serializable;
import java.util.function.IntUnaryOperator;

/**
 * An {@code int} in shared memory, with the {@link java.util.concurrent.atomic.AtomicInteger} vocabulary.
 * Thread safety, memory consistency and peer death as for {@link SharedLong}.
 */
public interface SharedInt extends Serializable, AutoCloseable {
  int get();
  void set(int v);
  int getAndAdd(int delta);
  int addAndGet(int delta);
  int incrementAndGet();
  int getAndIncrement();
  int decrementAndGet();
  int getAndDecrement();
  boolean compareAndSet(int expect, int update);
  int updateAndGet(IntUnaryOperator f);
  int getAndUpdate(IntUnaryOperator f);
  int getAndSet(int v);
  /** The reentrant lock that belongs to this value (Python's {@code Value.get_lock()}). */
  IpcLock getLock();
  String name();
  @Override void close();
}
