package dev.ipckit.shm.value;

import dev.ipckit.IpcLock;
import dev.ipckit.SharedLong;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.Cell;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.Mem;
import java.nio.ByteBuffer;
import java.util.function.LongUnaryOperator;

/**
 * {@link SharedLong} in shared memory: {@code get} is getAcquire, {@code set} setRelease, the updates are
 * volatile getAndAdd / compareAndSet on the first word of its {@link Cell} (a file of its own or a slab slot).
 */
public final class ShmLong extends ShmHandle implements SharedLong {
  private static final long serialVersionUID = 1L;
  private final transient ByteBuffer buf;
  /** The offset of the value's word in {@link #buf}. */
  private final transient int at;

  public ShmLong(NamespaceView ns, String name, Cell cell) {
    super(ns, name, Kind.LONG);
    this.buf = cell.buf();
    this.at = cell.body();
  }

  @Override public long get() {
    checkOpen();
    return (long) Mem.LONG.getAcquire(buf, at);
  }

  @Override public void set(long v) {
    checkOpen();
    Mem.LONG.setRelease(buf, at, v);
  }

  @Override public long getAndAdd(long d) {
    checkOpen();
    return (long) Mem.LONG.getAndAdd(buf, at, d);
  }

  @Override public boolean compareAndSet(long expect, long update) {
    checkOpen();
    return Mem.LONG.compareAndSet(buf, at, expect, update);
  }

  @Override public long updateAndGet(LongUnaryOperator f) {
    long prev;
    long next;
    do {
      prev = get();
      next = f.applyAsLong(prev);
    } while (!compareAndSet(prev, next));
    return next;
  }

  @Override public long getAndUpdate(LongUnaryOperator f) {
    long prev;
    do {
      prev = get();
    } while (!compareAndSet(prev, f.applyAsLong(prev)));
    return prev;
  }

  @Override public long getAndSet(long v) {
    checkOpen();
    return (long) Mem.LONG.getAndSet(buf, at, v);
  }

  @Override public IpcLock getLock() {
    checkOpen();
    return ns.valueLock(name);
  }

  @Override public String toString() {
    return isClosed() ? super.toString() : "SharedLong[\"" + name + "\"=" + get() + "]";
  }
}
