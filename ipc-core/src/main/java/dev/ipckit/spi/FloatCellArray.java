package dev.ipckit.spi;

import dev.ipckit.SharedFloatArray;
import java.util.function.DoubleUnaryOperator;

/**
 * {@link SharedFloatArray} over the 4-byte cells of a {@link CellArray} holding raw IEEE-754 bits:
 * {@code compareAndSet} compares bits. Every method is a default over the cell primitives, so that each backend's
 * {@code float} array is the same code; the adds go through {@link CellArray#addFloatingBits}, a compare-and-set
 * loop on the bits unless the backend adds on its side.
 */
public interface FloatCellArray extends SharedFloatArray, CellArray {
  /**
   * The raw bits of {@code v}, as a cell holds them.
   *
   * @param v a value
   * @return its raw IEEE-754 bits
   */
  static long bits(float v) {
    return Float.floatToRawIntBits(v);
  }

  /**
   * The value a cell's raw bits stand for.
   *
   * @param bits a cell's bits
   * @return the value
   */
  static float value(long bits) {
    return Float.intBitsToFloat((int) bits);
  }

  @Override
  default float get(int i) {
    return value(loadBits(i));
  }

  @Override
  default void set(int i, float v) {
    storeBits(i, bits(v));
  }

  @Override
  default float getAndAdd(int i, float delta) {
    return value(addFloatingBits(i, 4, bits(delta), false));
  }

  @Override
  default float addAndGet(int i, float delta) {
    return value(addFloatingBits(i, 4, bits(delta), true));
  }

  @Override
  default boolean compareAndSet(int i, float expect, float update) {
    return casBits(i, bits(expect), bits(update));
  }

  @Override
  default float updateAndGet(int i, DoubleUnaryOperator f) {
    return value(updateBits(i, x -> bits((float) f.applyAsDouble(value(x))), true));
  }

  @Override
  default float getAndSet(int i, float v) {
    return value(swapBits(i, bits(v)));
  }

  @Override
  default void get(int from, float[] into, int offset, int count) {
    getBits("SharedFloatArray", from, count, into.length, offset, (k, bits) -> into[offset + k] = value(bits));
  }

  @Override
  default void set(int from, float[] values, int offset, int count) {
    setBits("SharedFloatArray", from, count, values.length, offset, k -> bits(values[offset + k]));
  }

  @Override
  default float[] toArray() {
    float[] out = new float[openLength()];
    get(0, out, 0, out.length);
    return out;
  }
}
