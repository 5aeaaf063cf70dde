package dev.ipckit;

import java.io.Serializable;
import java.util.function.LongUnaryOperator;

/**
 * A {@code long} in shared memory, with the {@link java.util.concurrent.atomic.AtomicLong} vocabulary, visible
 * to every process that opens the same namespace.
 *
 * <p><b>Thread safety.</b> Every method is atomic and safe to call from any thread of any process. A
 * {@link #get()} followed by a {@link #set(long)} is two atomic steps, not one: other processes may update the
 * value in between (that is the lost-update race; use {@link #incrementAndGet()} or {@link #getLock()}).
 *
 * <p><b>Memory consistency.</b> {@link #set(long)} is a release store and {@link #get()} an acquire load:
 * actions before a {@code set} in one process happen-before actions after a {@code get} that sees the value in
 * another. The read-modify-write methods are volatile (sequentially consistent) updates.
 *
 * <p><b>Peer death.</b> The value lives in a file; a process that dies leaves the last value it stored. Nothing
 * is held, so nothing needs recovery.
 */
public interface SharedLong extends Serializable, AutoCloseable {
  long get();
  void set(long v);
  long getAndAdd(long delta);
  long addAndGet(long delta);
  long incrementAndGet();
  long getAndIncrement();
  long decrementAndGet();
  long getAndDecrement();
  boolean compareAndSet(long expect, long update);
  long updateAndGet(LongUnaryOperator f);
  long getAndUpdate(LongUnaryOperator f);
  long getAndSet(long v);
  /** The reentrant lock that belongs to this value (Python's {@code Value.get_lock()}). */
  IpcLock getLock();
  /** The name of this value in its namespace. */
  String name();
  @Override void close();
}
