package dev.ipckit.redis;

import dev.ipckit.SharedDouble;
import java.util.function.DoubleUnaryOperator;

/**
 * {@link SharedDouble} on Redis: one 8-byte cell of raw IEEE-754 bits ({@link Cells}). {@code compareAndSet}
 * compares bits; an add is one script on the bits, {@code updateAndGet} a compare-and-exchange loop.
 */
final class RedisDouble extends RedisValue implements SharedDouble {
  private static final long serialVersionUID = 1L;

  /** The value {@code name}, created holding {@code initial} or opened (and then left as it is). */
  RedisDouble(RedisNamespace ns, String name, double initial) {
    super(ns, Kind.DOUBLE, name, 8, bits(initial));
  }

  private static long bits(double v) {
    return Double.doubleToRawLongBits(v);
  }

  private static double value(long bits) {
    return Double.longBitsToDouble(bits);
  }

  @Override public double get() {
    return value(loadBits(0));
  }

  @Override public void set(double v) {
    storeBits(0, bits(v));
  }

  @Override public double getAndAdd(double d) {
    return value(addFloatingBits(0, 8, bits(d), false));
  }

  @Override public double addAndGet(double d) {
    return value(addFloatingBits(0, 8, bits(d), true));
  }

  @Override public boolean compareAndSet(double expect, double update) {
    return casBits(0, bits(expect), bits(update));
  }

  @Override public double updateAndGet(DoubleUnaryOperator f) {
    return value(updateBits(0, x -> bits(f.applyAsDouble(value(x))), true));
  }

  @Override public double getAndUpdate(DoubleUnaryOperator f) {
    return value(updateBits(0, x -> bits(f.applyAsDouble(value(x))), false));
  }

  @Override public double getAndSet(double v) {
    return value(swapBits(0, bits(v)));
  }

  @Override public String toString() {
    return show("SharedDouble", this::get);
  }
}
