package dev.ipckit.redis;

import dev.ipckit.SharedBooleanArray;

/**
 * {@link SharedBooleanArray} on Redis: 1-byte cells holding 0 or 1 in one string ({@link Cells}). Any byte but 0
 * reads as {@code true}, and {@link #compareAndSet} compares truth, not bytes, so a foreign byte (2, say) is still
 * replaced by {@code compareAndSet(i, true, false)}.
 */
final class RedisBooleanArray extends Cells implements SharedBooleanArray {
  private static final long serialVersionUID = 1L;
  private static final String TYPE = "SharedBooleanArray";

  private RedisBooleanArray(RedisNamespace ns, String name, int length) {
    super(ns, Kind.BOOLEAN_ARRAY, name, length, 1);
  }

  /** The array {@code name} of {@code length} elements, created with {@code initial} (all false if null) or opened. */
  static RedisBooleanArray open(RedisNamespace ns, String name, int length, boolean[] initial) {
    create(ns, Kind.BOOLEAN_ARRAY, name, length, 1, initial == null ? null : i -> bit(initial[i]));
    return new RedisBooleanArray(ns, name, length);
  }

  private static long bit(boolean v) {
    return v ? 1L : 0L;
  }

  @Override public boolean get(int i) {
    return load(i) != 0L;
  }

  @Override public void set(int i, boolean v) {
    store(i, bit(v));
  }

  @Override public boolean compareAndSet(int i, boolean expect, boolean update) {
    return casTruth(i, expect, update);
  }

  @Override public boolean getAndSet(int i, boolean v) {
    return swap(i, bit(v)) != 0L;
  }

  @Override public void get(int from, boolean[] into, int offset, int count) {
    checkRange(TYPE, from, count, into.length, offset);
    byte[] b = read(from, count);
    for (int k = 0; k < count; k++) {
      into[offset + k] = b[k] != 0;
    }
  }

  @Override public void set(int from, boolean[] values, int offset, int count) {
    checkRange(TYPE, from, count, values.length, offset);
    byte[] b = new byte[count];
    for (int k = 0; k < count; k++) {
      b[k] = (byte) bit(values[offset + k]);
    }
    write(from, b);
  }

  @Override public boolean[] toArray() {
    boolean[] out = new boolean[length];
    get(0, out, 0, length);
    return out;
  }
}
