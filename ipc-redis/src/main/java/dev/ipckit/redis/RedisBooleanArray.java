package dev.ipckit.redis;

import dev.ipckit.SharedBooleanArray;
import dev.ipckit.spi.BooleanCellArray;

/**
 * {@link SharedBooleanArray} on Redis: 1-byte cells holding 0 or 1 in one string ({@link Cells}). Any byte but 0
 * reads as {@code true}, and {@link #compareAndSet} compares truth, not bytes, so a foreign byte (2, say) is still
 * replaced by {@code compareAndSet(i, true, false)}.
 */
final class RedisBooleanArray extends Cells implements BooleanCellArray {
  private static final long serialVersionUID = 1L;

  private RedisBooleanArray(RedisNamespace ns, String name, int length) {
    super(ns, Kind.BOOLEAN_ARRAY, name, length, 1);
  }

  /** The array {@code name} of {@code length} elements, created with {@code initial} (all false if null) or opened. */
  static RedisBooleanArray open(RedisNamespace ns, String name, int length, boolean[] initial) {
    create(ns, Kind.BOOLEAN_ARRAY, name, length, 1, initial == null ? null : i -> BooleanCellArray.bit(initial[i]));
    return new RedisBooleanArray(ns, name, length);
  }

  @Override public boolean compareAndSet(int i, boolean expect, boolean update) {
    return casTruth(i, expect, update);
  }
}
