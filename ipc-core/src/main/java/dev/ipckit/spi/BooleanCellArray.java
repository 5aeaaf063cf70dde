package dev.ipckit.spi;

import dev.ipckit.SharedBooleanArray;

/**
 * {@link SharedBooleanArray} over the 1-byte cells of a {@link CellArray} holding 0 or 1; any byte but 0 reads as
 * {@code true}, and {@code compareAndSet} compares truth, not bytes ({@link CellArray#casTruth}). Every method is
 * a default over the cell primitives, so that each backend's {@code boolean} array is the same code.
 */
public interface BooleanCellArray extends SharedBooleanArray, CellArray {
  /**
   * The bits a cell holds for {@code v}.
   *
   * @param v a value
   * @return 1 for true, 0 for false
   */
  static long bit(boolean v) {
    return v ? 1L : 0L;
  }

  @Override
  default boolean get(int i) {
    return loadBits(i) != 0L;
  }

  @Override
  default void set(int i, boolean v) {
    storeBits(i, bit(v));
  }

  @Override
  default boolean getAndSet(int i, boolean v) {
    return swapBits(i, bit(v)) != 0L;
  }

  @Override
  default void get(int from, boolean[] into, int offset, int count) {
    getBits("SharedBooleanArray", from, count, into.length, offset, (k, bits) -> into[offset + k] = bits != 0L);
  }

  @Override
  default void set(int from, boolean[] values, int offset, int count) {
    setBits("SharedBooleanArray", from, count, values.length, offset, k -> bit(values[offset + k]));
  }

  @Override
  default boolean[] toArray() {
    boolean[] out = new boolean[openLength()];
    get(0, out, 0, out.length);
    return out;
  }

  @Override
  default boolean compareAndSet(int i, boolean expect, boolean update) {
    return casTruth(i, expect, update);
  }
}
