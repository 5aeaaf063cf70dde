package dev.ipckit.redis;

import dev.ipckit.SharedFloatArray;
import java.util.function.DoubleUnaryOperator;

/**
 * {@link SharedFloatArray} on Redis: 4-byte cells of raw IEEE-754 bits in one string ({@link Cells});
 * {@code compareAndSet} compares bits, an add is one script on the bits, and a bulk get or set is one call.
 */
final class RedisFloatArray extends Cells implements SharedFloatArray {
  private static final long serialVersionUID = 1L;
  private static final String TYPE = "SharedFloatArray";

  private RedisFloatArray(RedisNamespace ns, String name, int length) {
    super(ns, Kind.FLOAT_ARRAY, name, length, 4);
  }

  /** The array {@code name} of {@code length} elements, created with {@code initial} (zeros when null) or opened. */
  static RedisFloatArray open(RedisNamespace ns, String name, int length, float[] initial) {
    create(ns, Kind.FLOAT_ARRAY, name, length, 4, initial == null ? null : i -> bits(initial[i]));
    return new RedisFloatArray(ns, name, length);
  }

  private static long bits(float v) {
    return Float.floatToRawIntBits(v);
  }

  private static float value(long bits) {
    return Float.intBitsToFloat((int) bits);
  }

  @Override public float get(int i) {
    return value(load(i));
  }

  @Override public void set(int i, float v) {
    store(i, bits(v));
  }

  @Override public float getAndAdd(int i, float d) {
    return value(addFloating(i, bits(d))[0]);
  }

  @Override public float addAndGet(int i, float d) {
    return value(addFloating(i, bits(d))[1]);
  }

  @Override public boolean compareAndSet(int i, float expect, float update) {
    return cas(i, bits(expect), bits(update));
  }

  @Override public float updateAndGet(int i, DoubleUnaryOperator f) {
    return value(update(i, x -> bits((float) f.applyAsDouble(value(x))), true));
  }

  @Override public float getAndSet(int i, float v) {
    return value(swap(i, bits(v)));
  }

  @Override public void get(int from, float[] into, int offset, int count) {
    checkRange(TYPE, from, count, into.length, offset);
    byte[] b = read(from, count);
    for (int k = 0; k < count; k++) {
      into[offset + k] = value(bits(b, k));
    }
  }

  @Override public void set(int from, float[] values, int offset, int count) {
    checkRange(TYPE, from, count, values.length, offset);
    byte[] b = new byte[count * width];
    for (int k = 0; k < count; k++) {
      put(b, k, bits(values[offset + k]));
    }
    write(from, b);
  }

  @Override public float[] toArray() {
    float[] out = new float[length];
    get(0, out, 0, length);
    return out;
  }
}
