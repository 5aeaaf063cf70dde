package dev.ipckit.spi;

import dev.ipckit.SharedLongArray;
import java.util.function.LongUnaryOperator;

/**
 * {@link SharedLongArray} over the 8-byte cells of a {@link CellArray}: every method is a default over the cell
 * primitives, so that each backend's {@code long} array is the same code.
 */
public interface LongCellArray extends SharedLongArray, CellArray {
  @Override
  default long get(int i) {
    return loadBits(i);
  }

  @Override
  default void set(int i, long v) {
    storeBits(i, v);
  }

  @Override
  default long getAndAdd(int i, long delta) {
    return getAndAddBits(i, delta);
  }

  @Override
  default boolean compareAndSet(int i, long expect, long update) {
    return casBits(i, expect, update);
  }

  @Override
  default long updateAndGet(int i, LongUnaryOperator f) {
    return updateBits(i, f, true);
  }

  @Override
  default long getAndSet(int i, long v) {
    return swapBits(i, v);
  }

  @Override
  default void get(int from, long[] into, int offset, int count) {
    getBits("SharedLongArray", from, count, into.length, offset, (k, bits) -> into[offset + k] = bits);
  }

  @Override
  default void set(int from, long[] values, int offset, int count) {
    setBits("SharedLongArray", from, count, values.length, offset, k -> values[offset + k]);
  }

  @Override
  default long[] toArray() {
    long[] out = new long[openLength()];
    get(0, out, 0, out.length);
    return out;
  }
}
