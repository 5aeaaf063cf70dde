package dev.ipckit.spi;

import dev.ipckit.SharedByteArray;
import java.util.function.IntUnaryOperator;

/**
 * {@link SharedByteArray} over the 1-byte cells of a {@link CellArray}: every method is a default over the cell
 * primitives, so that each backend's {@code byte} array is the same code.
 */
public interface ByteCellArray extends SharedByteArray, CellArray {
  @Override
  default byte get(int i) {
    return (byte) loadBits(i);
  }

  @Override
  default void set(int i, byte v) {
    storeBits(i, v);
  }

  @Override
  default byte getAndAdd(int i, byte delta) {
    return (byte) getAndAddBits(i, delta);
  }

  @Override
  default boolean compareAndSet(int i, byte expect, byte update) {
    return casBits(i, expect, update);
  }

  @Override
  default byte updateAndGet(int i, IntUnaryOperator f) {
    return (byte) updateBits(i, x -> f.applyAsInt((int) x), true);
  }

  @Override
  default byte getAndSet(int i, byte v) {
    return (byte) swapBits(i, v);
  }

  @Override
  default void get(int from, byte[] into, int offset, int count) {
    getBits("SharedByteArray", from, count, into.length, offset, (k, bits) -> into[offset + k] = (byte) bits);
  }

  @Override
  default void set(int from, byte[] values, int offset, int count) {
    setBits("SharedByteArray", from, count, values.length, offset, k -> values[offset + k]);
  }

  @Override
  default byte[] toArray() {
    byte[] out = new byte[openLength()];
    get(0, out, 0, out.length);
    return out;
  }
}
