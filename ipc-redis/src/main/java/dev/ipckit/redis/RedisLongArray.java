package dev.ipckit.redis;

import dev.ipckit.SharedLongArray;
import dev.ipckit.spi.LongCellArray;

/** {@link SharedLongArray} on Redis: 8-byte cells in one string ({@link Cells}); a bulk get or set is one call. */
final class RedisLongArray extends Cells implements LongCellArray {
  private static final long serialVersionUID = 1L;

  private RedisLongArray(RedisNamespace ns, String name, int length) {
    super(ns, Kind.LONG_ARRAY, name, length, 8);
  }

  /** The array {@code name} of {@code length} elements, created with {@code initial} (zeros when null) or opened. */
  static RedisLongArray open(RedisNamespace ns, String name, int length, long[] initial) {
    create(ns, Kind.LONG_ARRAY, name, length, 8, initial == null ? null : i -> initial[i]);
    return new RedisLongArray(ns, name, length);
  }
}
