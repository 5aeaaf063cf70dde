package dev.ipckit.redis;

import dev.ipckit.SharedLong;
import java.util.function.LongUnaryOperator;

/** {@link SharedLong} on Redis: one 8-byte cell ({@link Cells}); each method but the update loops is one round trip. */
final class RedisLong extends RedisValue implements SharedLong {
  private static final long serialVersionUID = 1L;

  /** The value {@code name}, created holding {@code initial} or opened (and then left as it is). */
  RedisLong(RedisNamespace ns, String name, long initial) {
    super(ns, Kind.LONG, name, 8, initial);
  }

  @Override public long get() {
    return loadBits(0);
  }

  @Override public void set(long v) {
    storeBits(0, v);
  }

  @Override public long getAndAdd(long d) {
    return getAndAddBits(0, d);
  }

  @Override public boolean compareAndSet(long expect, long update) {
    return casBits(0, expect, update);
  }

  @Override public long updateAndGet(LongUnaryOperator f) {
    return updateBits(0, f, true);
  }

  @Override public long getAndUpdate(LongUnaryOperator f) {
    return updateBits(0, f, false);
  }

  @Override public long getAndSet(long v) {
    return swapBits(0, v);
  }

  @Override public String toString() {
    return show("SharedLong", this::get);
  }
}
