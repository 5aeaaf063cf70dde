package dev.ipckit.redis;

import dev.ipckit.SharedLongArray;
import java.util.function.LongUnaryOperator;

/** {@link SharedLongArray} on Redis: 8-byte cells in one string ({@link Cells}); a bulk get or set is one call. */
final class RedisLongArray extends Cells implements SharedLongArray {
  private static final long serialVersionUID = 1L;
  private static final String TYPE = "SharedLongArray";

  private RedisLongArray(RedisNamespace ns, String name, int length) {
    super(ns, Kind.LONG_ARRAY, name, length, 8);
  }

  /** The array {@code name} of {@code length} elements, created with {@code initial} (zeros when null) or opened. */
  static RedisLongArray open(RedisNamespace ns, String name, int length, long[] initial) {
    create(ns, Kind.LONG_ARRAY, name, length, 8, initial == null ? null : i -> initial[i]);
    return new RedisLongArray(ns, name, length);
  }

  @Override public long get(int i) {
    return load(i);
  }

  @Override public void set(int i, long v) {
    store(i, v);
  }

  @Override public long getAndAdd(int i, long d) {
    return getAndAddBits(i, d);
  }

  @Override public boolean compareAndSet(int i, long expect, long update) {
    return cas(i, expect, update);
  }

  @Override public long updateAndGet(int i, LongUnaryOperator f) {
    return update(i, f, true);
  }

  @Override public long getAndSet(int i, long v) {
    return swap(i, v);
  }

  @Override public void get(int from, long[] into, int offset, int count) {
    checkRange(TYPE, from, count, into.length, offset);
    byte[] b = read(from, count);
    for (int k = 0; k < count; k++) {
      into[offset + k] = bits(b, k);
    }
  }

  @Override public void set(int from, long[] values, int offset, int count) {
    checkRange(TYPE, from, count, values.length, offset);
    byte[] b = new byte[count * width];
    for (int k = 0; k < count; k++) {
      put(b, k, values[offset + k]);
    }
    write(from, b);
  }

  @Override public long[] toArray() {
    long[] out = new long[length];
    get(0, out, 0, length);
    return out;
  }
}
