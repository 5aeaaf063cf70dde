package dev.ipckit.shm.value;

import dev.ipckit.SharedIntArray;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import java.util.function.IntUnaryOperator;

/** {@link SharedIntArray} on a mapped file; each element accessed as {@link ShmLong} accesses its value. */
public final class ShmIntArray extends ShmArray implements SharedIntArray {
  private static final long serialVersionUID = 1L;

  public ShmIntArray(NamespaceView ns, String name, MappedFile file) {
    super(ns, name, Kind.INT_ARRAY, file);
  }

  @Override public int get(int i) {
    return (int) Mem.INT.getAcquire(buf, at(i));
  }

  @Override public void set(int i, int v) {
    Mem.INT.setRelease(buf, at(i), v);
  }

  @Override public int getAndAdd(int i, int d) {
    return (int) Mem.INT.getAndAdd(buf, at(i), d);
  }

  @Override public int addAndGet(int i, int d) {
    return getAndAdd(i, d) + d;
  }

  @Override public int incrementAndGet(int i) {
    return getAndAdd(i, 1) + 1;
  }

  @Override public int getAndIncrement(int i) {
    return getAndAdd(i, 1);
  }

  @Override public int decrementAndGet(int i) {
    return getAndAdd(i, -1) - 1;
  }

  @Override public boolean compareAndSet(int i, int expect, int update) {
    return Mem.INT.compareAndSet(buf, at(i), expect, update);
  }

  @Override public int updateAndGet(int i, IntUnaryOperator f) {
    int at = at(i);
    for (;;) {
      int prev = (int) Mem.INT.getAcquire(buf, at);
      int next = f.applyAsInt(prev);
      if (Mem.INT.compareAndSet(buf, at, prev, next)) {
        return next;
      }
    }
  }

  @Override public int getAndSet(int i, int v) {
    return (int) Mem.INT.getAndSet(buf, at(i), v);
  }

  @Override public int[] toArray() {
    checkOpen();
    int[] out = new int[length];
    for (int i = 0; i < length; i++) {
      out[i] = (int) Mem.INT.getAcquire(buf, ValueDescriptor.intIndex(i));
    }
    return out;
  }
}
