package dev.ipckit.shm.value;

import dev.ipckit.SharedDoubleArray;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.format.Kind;
import java.util.function.DoubleUnaryOperator;

/**
 * {@link SharedDoubleArray} on a mapped file: a facade of {@link ShmArray} over 8-byte elements holding raw
 * IEEE-754 bits; the arithmetic is a compareAndSet loop on the bits.
 */
public final class ShmDoubleArray extends ShmArray implements SharedDoubleArray {
  private static final long serialVersionUID = 1L;

  private ShmDoubleArray(NamespaceView ns, String name, int length, double[] initial) {
    super(ns, name, Kind.DOUBLE_ARRAY, ns.file(name, spec(Kind.DOUBLE_ARRAY, length, initial == null ? null
        : i -> bits(initial[i]))));
  }

  /** The array {@code name} of {@code length} elements, created with zeros or opened. */
  public static ShmDoubleArray open(NamespaceView ns, String name, int length) {
    return new ShmDoubleArray(ns, name, length, null);
  }

  /** The array {@code name}, created with a copy of {@code initial} or opened (and then left as it is). */
  public static ShmDoubleArray open(NamespaceView ns, String name, double[] initial) {
    return new ShmDoubleArray(ns, name, initial.length, initial);
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
    return value(update(i, x -> bits(value(x) + d), false));
  }

  @Override public double addAndGet(int i, double d) {
    return updateAndGet(i, x -> x + d);
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

  @Override public double[] toArray() {
    checkOpen();
    double[] out = new double[length];
    get(0, out);
    return out;
  }
}
