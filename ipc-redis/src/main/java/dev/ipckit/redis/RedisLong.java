package dev.ipckit.redis;

import dev.ipckit.SharedLong;
import java.util.function.LongUnaryOperator;

/** {@link SharedLong} on Redis: one 8-byte cell ({@link Cells}); each method but the update loops is one round trip. */
final class RedisLong extends Cells implements SharedLong {
  private static final long serialVersionUID = 1L;

  private RedisLong(RedisNamespace ns, String name) {
    super(ns, Kind.LONG, name, 1, 8);
  }

  /** The value {@code name}, created holding {@code initial} or opened (and then left as it is). */
  static RedisLong open(RedisNamespace ns, String name, long initial) {
    create(ns, Kind.LONG, name, 1, 8, i -> initial);
    return new RedisLong(ns, name);
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
