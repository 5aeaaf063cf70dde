package dev.ipckit.shm.value;

import dev.ipckit.IpcLock;
import dev.ipckit.SharedLongArray;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.LongUnaryOperator;

/** {@link SharedLongArray} on a mapped file; each element accessed as {@link ShmLong} accesses its value. */
public final class ShmLongArray extends ShmHandle implements SharedLongArray {
  private static final long serialVersionUID = 1L;
  private final transient ByteBuffer buf;
  private final transient int length;

  public ShmLongArray(NamespaceView ns, String name, MappedFile file) {
    super(ns, name, Kind.LONG_ARRAY);
    this.buf = file.buffer;
    this.length = (int) file.arg0;
  }

  private int at(int i) {
    checkOpen();
    return ValueDescriptor.longIndex(Objects.checkIndex(i, length));
  }

  @Override protected long refArg() {
    return length;
  }

  @Override public int length() {
    return length;
  }

  @Override public long get(int i) {
    return (long) Mem.LONG.getAcquire(buf, at(i));
  }

  @Override public void set(int i, long v) {
    Mem.LONG.setRelease(buf, at(i), v);
  }

  @Override public long getAndAdd(int i, long d) {
    return (long) Mem.LONG.getAndAdd(buf, at(i), d);
  }

  @Override public long addAndGet(int i, long d) {
    return getAndAdd(i, d) + d;
  }

  @Override public long incrementAndGet(int i) {
    return getAndAdd(i, 1L) + 1L;
  }

  @Override public long getAndIncrement(int i) {
    return getAndAdd(i, 1L);
  }

  @Override public long decrementAndGet(int i) {
    return getAndAdd(i, -1L) - 1L;
  }

  @Override public boolean compareAndSet(int i, long expect, long update) {
    return Mem.LONG.compareAndSet(buf, at(i), expect, update);
  }

  @Override public long updateAndGet(int i, LongUnaryOperator f) {
    int at = at(i);
    for (;;) {
      long prev = (long) Mem.LONG.getAcquire(buf, at);
      long next = f.applyAsLong(prev);
      if (Mem.LONG.compareAndSet(buf, at, prev, next)) {
        return next;
      }
    }
  }

  @Override public long getAndSet(int i, long v) {
    return (long) Mem.LONG.getAndSet(buf, at(i), v);
  }

  @Override public long[] toArray() {
    checkOpen();
    long[] out = new long[length];
    for (int i = 0; i < length; i++) {
      out[i] = (long) Mem.LONG.getAcquire(buf, ValueDescriptor.longIndex(i));
    }
    return out;
  }

  @Override public IpcLock getLock() {
    checkOpen();
    return ns.valueLock(name);
  }
}
