package dev.ipckit.redis;

import dev.ipckit.SharedDoubleArray;
import dev.ipckit.spi.DoubleCellArray;


/**
 * {@link SharedDoubleArray} on Redis: 8-byte cells of raw IEEE-754 bits in one string ({@link Cells});
 * {@code compareAndSet} compares bits, an add is one script on the bits, and a bulk get or set is one call.
 */
final class RedisDoubleArray extends Cells implements DoubleCellArray {
  private static final long serialVersionUID = 1L;

  private RedisDoubleArray(RedisNamespace ns, String name, int length) {
    super(ns, Kind.DOUBLE_ARRAY, name, length, 8);
  }

  /** The array {@code name} of {@code length} elements, created with {@code initial} (zeros when null) or opened. */
  static RedisDoubleArray open(RedisNamespace ns, String name, int length, double[] initial) {
    create(ns, Kind.DOUBLE_ARRAY, name, length, 8, initial == null ? null : i -> DoubleCellArray.bits(initial[i]));
    return new RedisDoubleArray(ns, name, length);
  }

  @Override public double getAndAdd(int i, double d) {
    return DoubleCellArray.value(addFloating(i, DoubleCellArray.bits(d))[0]);
  }

  @Override public double addAndGet(int i, double d) {
    return DoubleCellArray.value(addFloating(i, DoubleCellArray.bits(d))[1]);
  }
}
