package dev.ipckit.redis;

import dev.ipckit.SharedFloatArray;
import dev.ipckit.spi.FloatCellArray;


/**
 * {@link SharedFloatArray} on Redis: 4-byte cells of raw IEEE-754 bits in one string ({@link Cells});
 * {@code compareAndSet} compares bits, an add is one script on the bits, and a bulk get or set is one call.
 */
final class RedisFloatArray extends Cells implements FloatCellArray {
  private static final long serialVersionUID = 1L;

  private RedisFloatArray(RedisNamespace ns, String name, int length) {
    super(ns, Kind.FLOAT_ARRAY, name, length, 4);
  }

  /** The array {@code name} of {@code length} elements, created with {@code initial} (zeros when null) or opened. */
  static RedisFloatArray open(RedisNamespace ns, String name, int length, float[] initial) {
    create(ns, Kind.FLOAT_ARRAY, name, length, 4, initial == null ? null : i -> FloatCellArray.bits(initial[i]));
    return new RedisFloatArray(ns, name, length);
  }

  @Override public float getAndAdd(int i, float d) {
    return FloatCellArray.value(addFloating(i, FloatCellArray.bits(d))[0]);
  }

  @Override public float addAndGet(int i, float d) {
    return FloatCellArray.value(addFloating(i, FloatCellArray.bits(d))[1]);
  }
}
