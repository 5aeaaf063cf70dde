package dev.ipckit.shm.value;

import dev.ipckit.SharedDoubleArray;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import java.util.function.DoubleUnaryOperator;

/** {@link SharedDoubleArray} on a mapped file: raw bits in long words, updated by compareAndSet loops. */
public final class ShmDoubleArray extends ShmArray implements SharedDoubleArray {
  private static final long serialVersionUID = 1L;

  public ShmDoubleArray(NamespaceView ns, String name, MappedFile file) {
    super(ns, name, Kind.DOUBLE_ARRAY, file);
  }

  @Override public double get(int i) {
    return Double.longBitsToDouble((long) Mem.LONG.getAcquire(buf, at(i)));
  }

  @Override public void set(int i, double v) {
    Mem.LONG.setRelease(buf, at(i), Double.doubleToRawLongBits(v));
  }

  @Override public double getAndAdd(int i, double d) {
    int at = at(i);
    for (;;) {
      long prev = (long) Mem.LONG.getAcquire(buf, at);
      double p = Double.longBitsToDouble(prev);
      if (Mem.LONG.compareAndSet(buf, at, prev, Double.doubleToRawLongBits(p + d))) {
        return p;
      }
    }
  }

  @Override public double addAndGet(int i, double d) {
    return updateAndGet(i, x -> x + d);
  }

  @Override public boolean compareAndSet(int i, double expect, double update) {
    return Mem.LONG.compareAndSet(buf, at(i), Double.doubleToRawLongBits(expect), Double.doubleToRawLongBits(update));
  }

  @Override public double updateAndGet(int i, DoubleUnaryOperator f) {
    int at = at(i);
    for (;;) {
      long prev = (long) Mem.LONG.getAcquire(buf, at);
      double next = f.applyAsDouble(Double.longBitsToDouble(prev));
      if (Mem.LONG.compareAndSet(buf, at, prev, Double.doubleToRawLongBits(next))) {
        return next;
      }
    }
  }

  @Override public double getAndSet(int i, double v) {
    return Double.longBitsToDouble((long) Mem.LONG.getAndSet(buf, at(i), Double.doubleToRawLongBits(v)));
  }

  @Override public double[] toArray() {
    checkOpen();
    double[] out = new double[length];
    for (int i = 0; i < length; i++) {
      out[i] = Double.longBitsToDouble((long) Mem.LONG.getAcquire(buf, ValueDescriptor.longIndex(i)));
    }
    return out;
  }
}
