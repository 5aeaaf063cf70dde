package dev.ipckit.redis;

import dev.ipckit.SharedByteArray;
import java.util.function.IntUnaryOperator;

/**
 * {@link SharedByteArray} on Redis: 1-byte cells in one string ({@link Cells}), so the array is its bytes as they
 * are; an update of one never touches its neighbours, and a bulk get or set is one call.
 */
final class RedisByteArray extends Cells implements SharedByteArray {
  private static final long serialVersionUID = 1L;
  private static final String TYPE = "SharedByteArray";

  private RedisByteArray(RedisNamespace ns, String name, int length) {
    super(ns, Kind.BYTE_ARRAY, name, length, 1);
  }

  /** The array {@code name} of {@code length} elements, created with {@code initial} (zeros when null) or opened. */
  static RedisByteArray open(RedisNamespace ns, String name, int length, byte[] initial) {
    create(ns, Kind.BYTE_ARRAY, name, length, 1, initial == null ? null : i -> initial[i]);
    return new RedisByteArray(ns, name, length);
  }

  @Override public byte get(int i) {
    return (byte) load(i);
  }

  @Override public void set(int i, byte v) {
    store(i, v);
  }

  @Override public byte getAndAdd(int i, byte d) {
    return (byte) getAndAddBits(i, d);
  }

  @Override public boolean compareAndSet(int i, byte expect, byte update) {
    return cas(i, expect, update);
  }

  @Override public byte updateAndGet(int i, IntUnaryOperator f) {
    return (byte) update(i, x -> f.applyAsInt((int) x), true);
  }

  @Override public byte getAndSet(int i, byte v) {
    return (byte) swap(i, v);
  }

  @Override public void get(int from, byte[] into, int offset, int count) {
    checkRange(TYPE, from, count, into.length, offset);
    System.arraycopy(read(from, count), 0, into, offset, count);
  }

  @Override public void set(int from, byte[] values, int offset, int count) {
    checkRange(TYPE, from, count, values.length, offset);
    byte[] b = new byte[count];
    System.arraycopy(values, offset, b, 0, count);
    write(from, b);
  }

  @Override public byte[] toArray() {
    byte[] out = new byte[length];
    get(0, out, 0, length);
    return out;
  }
}
