package dev.ipckit.redis;

import dev.ipckit.SharedInt;
import java.util.function.IntUnaryOperator;

/** {@link SharedInt} on Redis: one 4-byte cell ({@link Cells}); each method but the update loops is one round trip. */
final class RedisInt extends RedisValue implements SharedInt {
  private static final long serialVersionUID = 1L;

  /** The value {@code name}, created holding {@code initial} or opened (and then left as it is). */
  RedisInt(RedisNamespace ns, String name, int initial) {
    super(ns, Kind.INT, name, 4, initial);
  }

  @Override public int get() {
    return (int) loadBits(0);
  }

  @Override public void set(int v) {
    storeBits(0, v);
  }

  @Override public int getAndAdd(int d) {
    return (int) getAndAddBits(0, d);
  }

  @Override public boolean compareAndSet(int expect, int update) {
    return casBits(0, expect, update);
  }

  @Override public int updateAndGet(IntUnaryOperator f) {
    return (int) updateBits(0, x -> f.applyAsInt((int) x), true);
  }

  @Override public int getAndUpdate(IntUnaryOperator f) {
    return (int) updateBits(0, x -> f.applyAsInt((int) x), false);
  }

  @Override public int getAndSet(int v) {
    return (int) swapBits(0, v);
  }

  @Override public String toString() {
    return show("SharedInt", this::get);
  }
}
