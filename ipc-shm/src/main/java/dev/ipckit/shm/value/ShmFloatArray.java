package dev.ipckit.shm.value;

import dev.ipckit.SharedFloatArray;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.format.Kind;
import java.util.function.DoubleUnaryOperator;

/**
 * {@link SharedFloatArray} on a mapped file: a facade of {@link ShmArray} over 4-byte elements holding raw
 * IEEE-754 bits; the arithmetic is a compareAndSet loop on the bits.
 */
public final class ShmFloatArray extends ShmArray implements SharedFloatArray {
  private static final long serialVersionUID = 1L;

  private ShmFloatArray(NamespaceView ns, String name, int length, float[] initial) {
    super(ns, name, Kind.FLOAT_ARRAY, ns.file(name, spec(Kind.FLOAT_ARRAY, length, initial == null ? null
        : i -> bits(initial[i]))));
  }

  /** The array {@code name} of {@code length} elements, created with zeros or opened. */
  public static ShmFloatArray open(NamespaceView ns, String name, int length) {
    return new ShmFloatArray(ns, name, length, null);
  }

  /** The array {@code name}, created with a copy of {@code initial} or opened (and then left as it is). */
  public static ShmFloatArray open(NamespaceView ns, String name, float[] initial) {
    return new ShmFloatArray(ns, name, initial.length, initial);
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
    return value(update(i, x -> bits(value(x) + d), false));
  }

  @Override public float addAndGet(int i, float d) {
    return value(update(i, x -> bits(value(x) + d), true));
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

  @Override public float[] toArray() {
    checkOpen();
    float[] out = new float[length];
    get(0, out);
    return out;
  }
}
