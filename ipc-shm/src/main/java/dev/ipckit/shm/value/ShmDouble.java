package dev.ipckit.shm.value;

import dev.ipckit.IpcLock;
import dev.ipckit.SharedDouble;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.Cell;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.Mem;
import java.nio.ByteBuffer;
import java.util.function.DoubleUnaryOperator;

/** {@link SharedDouble} in shared memory: the raw bits in a long word, updated by compareAndSet loops. */
public final class ShmDouble extends ShmHandle implements SharedDouble {
  private static final long serialVersionUID = 1L;
  private final transient ByteBuffer buf;
  /** The offset of the value's word in {@link #buf}. */
  private final transient int at;

  public ShmDouble(NamespaceView ns, String name, Cell cell) {
    super(ns, name, Kind.DOUBLE);
    this.buf = cell.buf();
    this.at = cell.body();
  }

  @Override public double get() {
    checkOpen();
    return Double.longBitsToDouble((long) Mem.LONG.getAcquire(buf, at));
  }

  @Override public void set(double v) {
    checkOpen();
    Mem.LONG.setRelease(buf, at, Double.doubleToRawLongBits(v));
  }

  @Override public double getAndAdd(double d) {
    return getAndUpdate(x -> x + d);
  }

  @Override public double addAndGet(double d) {
    return updateAndGet(x -> x + d);
  }

  @Override public boolean compareAndSet(double expect, double update) {
    checkOpen();
    return Mem.LONG.compareAndSet(buf, at, Double.doubleToRawLongBits(expect), Double.doubleToRawLongBits(update));
  }

  @Override public double updateAndGet(DoubleUnaryOperator f) {
    checkOpen();
    for (;;) {
      long prev = (long) Mem.LONG.getAcquire(buf, at);
      double next = f.applyAsDouble(Double.longBitsToDouble(prev));
      if (Mem.LONG.compareAndSet(buf, at, prev, Double.doubleToRawLongBits(next))) {
        return next;
      }
    }
  }

  @Override public double getAndUpdate(DoubleUnaryOperator f) {
    checkOpen();
    for (;;) {
      long prev = (long) Mem.LONG.getAcquire(buf, at);
      double prevValue = Double.longBitsToDouble(prev);
      if (Mem.LONG.compareAndSet(buf, at, prev, Double.doubleToRawLongBits(f.applyAsDouble(prevValue)))) {
        return prevValue;
      }
    }
  }

  @Override public double getAndSet(double v) {
    checkOpen();
    return Double.longBitsToDouble((long) Mem.LONG.getAndSet(buf, at, Double.doubleToRawLongBits(v)));
  }

  @Override public IpcLock getLock() {
    checkOpen();
    return ns.valueLock(name);
  }

  @Override public String toString() {
    return isClosed() ? super.toString() : "SharedDouble[\"" + name + "\"=" + get() + "]";
  }
}
