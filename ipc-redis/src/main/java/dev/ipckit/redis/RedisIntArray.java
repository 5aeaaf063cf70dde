package dev.ipckit.redis;

import dev.ipckit.SharedIntArray;
import java.util.function.IntUnaryOperator;

/** {@link SharedIntArray} on Redis: 4-byte cells in one string ({@link Cells}); a bulk get or set is one call. */
final class RedisIntArray extends Cells implements SharedIntArray {
  private static final long serialVersionUID = 1L;
  private static final String TYPE = "SharedIntArray";

  private RedisIntArray(RedisNamespace ns, String name, int length) {
    super(ns, Kind.INT_ARRAY, name, length, 4);
  }

  /** The array {@code name} of {@code length} elements, created with {@code initial} (zeros when null) or opened. */
  static RedisIntArray open(RedisNamespace ns, String name, int length, int[] initial) {
    create(ns, Kind.INT_ARRAY, name, length, 4, initial == null ? null : i -> initial[i]);
    return new RedisIntArray(ns, name, length);
  }

  @Override public int get(int i) {
    return (int) load(i);
  }

  @Override public void set(int i, int v) {
    store(i, v);
  }

  @Override public int getAndAdd(int i, int d) {
    return (int) getAndAddBits(i, d);
  }

  @Override public boolean compareAndSet(int i, int expect, int update) {
    return cas(i, expect, update);
  }

  @Override public int updateAndGet(int i, IntUnaryOperator f) {
    return (int) update(i, x -> f.applyAsInt((int) x), true);
  }

  @Override public int getAndSet(int i, int v) {
    return (int) swap(i, v);
  }

  @Override public void get(int from, int[] into, int offset, int count) {
    checkRange(TYPE, from, count, into.length, offset);
    byte[] b = read(from, count);
    for (int k = 0; k < count; k++) {
      into[offset + k] = (int) bits(b, k);
    }
  }

  @Override public void set(int from, int[] values, int offset, int count) {
    checkRange(TYPE, from, count, values.length, offset);
    byte[] b = new byte[count * width];
    for (int k = 0; k < count; k++) {
      put(b, k, values[offset + k]);
    }
    write(from, b);
  }

  @Override public int[] toArray() {
    int[] out = new int[length];
    get(0, out, 0, length);
    return out;
  }
}
