package dev.ipckit.shm.value;

import dev.ipckit.IpcLock;
import dev.ipckit.SharedInt;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.Cell;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.Mem;
import java.nio.ByteBuffer;
import java.util.function.IntUnaryOperator;

/**
 * {@link SharedInt} in shared memory: {@code get} is getAcquire, {@code set} setRelease, the updates are
 * volatile getAndAdd / compareAndSet on the first word of its {@link Cell} (a file of its own or a slab slot).
 */
public final class ShmInt extends ShmHandle implements SharedInt {
  private static final long serialVersionUID = 1L;
  private final transient ByteBuffer buf;
  /** The offset of the value's word in {@link #buf}. */
  private final transient int at;

  public ShmInt(NamespaceView ns, String name, Cell cell) {
    super(ns, name, Kind.INT);
    this.buf = cell.buf();
    this.at = cell.body();
  }

  @Override public int get() {
    checkOpen();
    return (int) Mem.INT.getAcquire(buf, at);
  }

  @Override public void set(int v) {
    checkOpen();
    Mem.INT.setRelease(buf, at, v);
  }

  @Override public int getAndAdd(int d) {
    checkOpen();
    return (int) Mem.INT.getAndAdd(buf, at, d);
  }

  @Override public boolean compareAndSet(int expect, int update) {
    checkOpen();
    return Mem.INT.compareAndSet(buf, at, expect, update);
  }

  @Override public int updateAndGet(IntUnaryOperator f) {
    int prev;
    int next;
    do {
      prev = get();
      next = f.applyAsInt(prev);
    } while (!compareAndSet(prev, next));
    return next;
  }

  @Override public int getAndUpdate(IntUnaryOperator f) {
    int prev;
    do {
      prev = get();
    } while (!compareAndSet(prev, f.applyAsInt(prev)));
    return prev;
  }

  @Override public int getAndSet(int v) {
    checkOpen();
    return (int) Mem.INT.getAndSet(buf, at, v);
  }

  @Override public IpcLock getLock() {
    checkOpen();
    return ns.valueLock(name);
  }

  @Override public String toString() {
    return isClosed() ? super.toString() : "SharedInt[\"" + name + "\"=" + get() + "]";
  }
}
