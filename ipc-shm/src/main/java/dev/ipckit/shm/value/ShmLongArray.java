package dev.ipckit.shm.value;

import dev.ipckit.SharedLongArray;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import java.util.function.LongUnaryOperator;

/** {@link SharedLongArray} on a mapped file; each element accessed as {@link ShmLong} accesses its value. */
public final class ShmLongArray extends ShmArray implements SharedLongArray {
  private static final long serialVersionUID = 1L;

  public ShmLongArray(NamespaceView ns, String name, MappedFile file) {
    super(ns, name, Kind.LONG_ARRAY, file);
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
}
