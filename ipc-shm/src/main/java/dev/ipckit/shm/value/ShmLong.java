package dev.ipckit.shm.value;

import dev.ipckit.IpcLock;
import dev.ipckit.SharedLong;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import java.nio.ByteBuffer;
import java.util.function.LongUnaryOperator;

/**
 * {@link SharedLong} on a mapped file: {@code get} is getAcquire, {@code set} setRelease, the updates are
 * volatile getAndAdd / compareAndSet on the word at {@link ValueDescriptor#ELEMENTS_OFFSET}.
 */
public final class ShmLong extends ShmHandle implements SharedLong {
  private static final long serialVersionUID = 1L;
  private static final int AT = ValueDescriptor.ELEMENTS_OFFSET;
  private final transient ByteBuffer buf;

  public ShmLong(NamespaceView ns, String name, MappedFile file) {
    super(ns, name, Kind.LONG);
    this.buf = file.buffer;
  }

  @Override public long get() {
    checkOpen();
    return (long) Mem.LONG.getAcquire(buf, AT);
  }

  @Override public void set(long v) {
    checkOpen();
    Mem.LONG.setRelease(buf, AT, v);
  }

  @Override public long getAndAdd(long d) {
    checkOpen();
    return (long) Mem.LONG.getAndAdd(buf, AT, d);
  }

  @Override public boolean compareAndSet(long expect, long update) {
    checkOpen();
    return Mem.LONG.compareAndSet(buf, AT, expect, update);
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
    return (long) Mem.LONG.getAndSet(buf, AT, v);
  }

  @Override public IpcLock getLock() {
    checkOpen();
    return ns.valueLock(name);
  }

  @Override public String toString() {
    return isClosed() ? super.toString() : "SharedLong[\"" + name + "\"=" + get() + "]";
  }
}
