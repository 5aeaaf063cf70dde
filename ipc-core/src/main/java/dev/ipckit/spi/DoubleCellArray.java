package dev.ipckit.spi;

import dev.ipckit.SharedDoubleArray;
import java.util.function.DoubleUnaryOperator;

/**
 * {@link SharedDoubleArray} over the 8-byte cells of a {@link CellArray} holding raw IEEE-754 bits:
 * {@code compareAndSet} compares bits. Every method is a default over the cell primitives, so that each backend's
 * {@code double} array is the same code; the adds go through {@link CellArray#addFloatingBits}, a compare-and-set
 * loop on the bits unless the backend adds on its side.
 */
public interface DoubleCellArray extends SharedDoubleArray, CellArray {
  /**
   * The raw bits of {@code v}, as a cell holds them.
   *
   * @param v a value
   * @return its raw IEEE-754 bits
   */
  static long bits(double v) {
    return Double.doubleToRawLongBits(v);
  }

  /**
   * The value a cell's raw bits stand for.
   *
   * @param bits a cell's bits
   * @return the value
   */
  static double value(long bits) {
    return Double.longBitsToDouble(bits);
  }

  @Override
  default double get(int i) {
    return value(loadBits(i));
  }

  @Override
  default void set(int i, double v) {
    storeBits(i, bits(v));
  }

  @Override
  default double getAndAdd(int i, double delta) {
    return value(addFloatingBits(i, 8, bits(delta), false));
  }

  @Override
  default double addAndGet(int i, double delta) {
    return value(addFloatingBits(i, 8, bits(delta), true));
  }

  @Override
  default boolean compareAndSet(int i, double expect, double update) {
    return casBits(i, bits(expect), bits(update));
  }

  @Override
  default double updateAndGet(int i, DoubleUnaryOperator f) {
    return value(updateBits(i, x -> bits(f.applyAsDouble(value(x))), true));
  }

  @Override
  default double getAndSet(int i, double v) {
    return value(swapBits(i, bits(v)));
  }

  @Override
  default void get(int from, double[] into, int offset, int count) {
    getBits("SharedDoubleArray", from, count, into.length, offset, (k, bits) -> into[offset + k] = value(bits));
  }

  @Override
  default void set(int from, double[] values, int offset, int count) {
    setBits("SharedDoubleArray", from, count, values.length, offset, k -> bits(values[offset + k]));
  }

  @Override
  default double[] toArray() {
    double[] out = new double[openLength()];
    get(0, out, 0, out.length);
    return out;
  }
}
