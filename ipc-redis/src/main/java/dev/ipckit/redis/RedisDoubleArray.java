package dev.ipckit.redis;

import dev.ipckit.SharedDoubleArray;
import java.util.function.DoubleUnaryOperator;

/**
 * {@link SharedDoubleArray} on Redis: 8-byte cells of raw IEEE-754 bits in one string ({@link Cells});
 * {@code compareAndSet} compares bits, an add is one script on the bits, and a bulk get or set is one call.
 */
final class RedisDoubleArray extends Cells implements SharedDoubleArray {
  private static final long serialVersionUID = 1L;
  private static final String TYPE = "SharedDoubleArray";

  private RedisDoubleArray(RedisNamespace ns, String name, int length) {
    super(ns, Kind.DOUBLE_ARRAY, name, length, 8);
  }

  /** The array {@code name} of {@code length} elements, created with {@code initial} (zeros when null) or opened. */
  static RedisDoubleArray open(RedisNamespace ns, String name, int length, double[] initial) {
    create(ns, Kind.DOUBLE_ARRAY, name, length, 8, initial == null ? null : i -> bits(initial[i]));
    return new RedisDoubleArray(ns, name, length);
  }

  private static long bits(double v) {
    return Double.doubleToRawLongBits(v);
  }

  private static double value(long bits) {
    return Double.longBitsToDouble(bits);
  }

  @Override public double get(int i) {
    return value(load(i));
  }

  @Override public void set(int i, double v) {
    store(i, bits(v));
  }

  @Override public double getAndAdd(int i, double d) {
    return value(addFloating(i, bits(d))[0]);
  }

  @Override public double addAndGet(int i, double d) {
    return value(addFloating(i, bits(d))[1]);
  }

  @Override public boolean compareAndSet(int i, double expect, double update) {
    return cas(i, bits(expect), bits(update));
  }

  @Override public double updateAndGet(int i, DoubleUnaryOperator f) {
    return value(update(i, x -> bits(f.applyAsDouble(value(x))), true));
  }

  @Override public double getAndSet(int i, double v) {
    return value(swap(i, bits(v)));
  }

  @Override public void get(int from, double[] into, int offset, int count) {
    checkRange(TYPE, from, count, into.length, offset);
    byte[] b = read(from, count);
    for (int k = 0; k < count; k++) {
      into[offset + k] = value(bits(b, k));
    }
  }

  @Override public void set(int from, double[] values, int offset, int count) {
    checkRange(TYPE, from, count, values.length, offset);
    byte[] b = new byte[count * width];
    for (int k = 0; k < count; k++) {
      put(b, k, bits(values[offset + k]));
    }
    write(from, b);
  }

  @Override public double[] toArray() {
    double[] out = new double[length];
    get(0, out, 0, length);
    return out;
  }
}
