package dev.ipckit.redis;

import dev.ipckit.SharedByteArray;
import dev.ipckit.spi.ByteCellArray;

/**
 * {@link SharedByteArray} on Redis: 1-byte cells in one string ({@link Cells}), so the array is its bytes as they
 * are; an update of one never touches its neighbours, and a bulk get or set is one call.
 */
final class RedisByteArray extends Cells implements ByteCellArray {
  private static final long serialVersionUID = 1L;

  private RedisByteArray(RedisNamespace ns, String name, int length) {
    super(ns, Kind.BYTE_ARRAY, name, length, 1);
  }

  /** The array {@code name} of {@code length} elements, created with {@code initial} (zeros when null) or opened. */
  static RedisByteArray open(RedisNamespace ns, String name, int length, byte[] initial) {
    create(ns, Kind.BYTE_ARRAY, name, length, 1, initial == null ? null : i -> initial[i]);
    return new RedisByteArray(ns, name, length);
  }

  /** The bytes as they are: one {@code GETRANGE}, copied whole. */
  @Override public void get(int from, byte[] into, int offset, int count) {
    checkRange("SharedByteArray", from, count, into.length, offset);
    System.arraycopy(read(from, count), 0, into, offset, count);
  }

  /** The bytes as they are: one script. */
  @Override public void set(int from, byte[] values, int offset, int count) {
    checkRange("SharedByteArray", from, count, values.length, offset);
    byte[] b = new byte[count];
    System.arraycopy(values, offset, b, 0, count);
    write(from, b);
  }
}
