package dev.ipckit.spi;

import dev.ipckit.SharedIntArray;
import java.util.function.IntUnaryOperator;

/**
 * {@link SharedIntArray} over the 4-byte cells of a {@link CellArray}: every method is a default over the cell
 * primitives, so that each backend's {@code int} array is the same code.
 */
public interface IntCellArray extends SharedIntArray, CellArray {
  @Override
  default int get(int i) {
    return (int) loadBits(i);
  }

  @Override
  default void set(int i, int v) {
    storeBits(i, v);
  }

  @Override
  default int getAndAdd(int i, int delta) {
    return (int) getAndAddBits(i, delta);
  }

  @Override
  default boolean compareAndSet(int i, int expect, int update) {
    return casBits(i, expect, update);
  }

  @Override
  default int updateAndGet(int i, IntUnaryOperator f) {
    return (int) updateBits(i, x -> f.applyAsInt((int) x), true);
  }

  @Override
  default int getAndSet(int i, int v) {
    return (int) swapBits(i, v);
  }

  @Override
  default void get(int from, int[] into, int offset, int count) {
    getBits("SharedIntArray", from, count, into.length, offset, (k, bits) -> into[offset + k] = (int) bits);
  }

  @Override
  default void set(int from, int[] values, int offset, int count) {
    setBits("SharedIntArray", from, count, values.length, offset, k -> values[offset + k]);
  }

  @Override
  default int[] toArray() {
    int[] out = new int[openLength()];
    get(0, out, 0, out.length);
    return out;
  }
}
