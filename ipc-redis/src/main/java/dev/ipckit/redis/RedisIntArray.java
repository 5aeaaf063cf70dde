package dev.ipckit.redis;

import dev.ipckit.SharedIntArray;
import dev.ipckit.spi.IntCellArray;

/** {@link SharedIntArray} on Redis: 4-byte cells in one string ({@link Cells}); a bulk get or set is one call. */
final class RedisIntArray extends Cells implements IntCellArray {
  private static final long serialVersionUID = 1L;

  private RedisIntArray(RedisNamespace ns, String name, int length) {
    super(ns, Kind.INT_ARRAY, name, length, 4);
  }

  /** The array {@code name} of {@code length} elements, created with {@code initial} (zeros when null) or opened. */
  static RedisIntArray open(RedisNamespace ns, String name, int length, int[] initial) {
    create(ns, Kind.INT_ARRAY, name, length, 4, initial == null ? null : i -> initial[i]);
    return new RedisIntArray(ns, name, length);
  }
}
