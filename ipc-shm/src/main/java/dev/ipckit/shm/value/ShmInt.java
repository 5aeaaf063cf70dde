package dev.ipckit.shm.value;

import dev.ipckit.IpcLock;
import dev.ipckit.SharedInt;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import java.nio.ByteBuffer;
import java.util.function.IntUnaryOperator;

/**
 * {@link SharedInt} on a mapped file: {@code get} is getAcquire, {@code set} setRelease, the updates are
 * volatile getAndAdd / compareAndSet on the word at {@link ValueDescriptor#ELEMENTS_OFFSET}.
 */
public final class ShmInt extends ShmHandle implements SharedInt {
  private static final long serialVersionUID = 1L;
  private static final int AT = ValueDescriptor.ELEMENTS_OFFSET;
  private final transient ByteBuffer buf;

  public ShmInt(NamespaceView ns, String name, MappedFile file) {
    super(ns, name, Kind.INT);
    this.buf = file.buffer;
  }

  @Override public int get() {
    checkOpen();
    return (int) Mem.INT.getAcquire(buf, AT);
  }

  @Override public void set(int v) {
    checkOpen();
    Mem.INT.setRelease(buf, AT, v);
  }

  @Override public int getAndAdd(int d) {
    checkOpen();
    return (int) Mem.INT.getAndAdd(buf, AT, d);
  }

  @Override public boolean compareAndSet(int expect, int update) {
    checkOpen();
    return Mem.INT.compareAndSet(buf, AT, expect, update);
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
    return (int) Mem.INT.getAndSet(buf, AT, v);
  }

  @Override public IpcLock getLock() {
    checkOpen();
    return ns.valueLock(name);
  }

  @Override public String toString() {
    return isClosed() ? super.toString() : "SharedInt[\"" + name + "\"=" + get() + "]";
  }
}
