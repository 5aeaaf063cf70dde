package dev.ipckit.shm.value;

import dev.ipckit.SharedLongArray;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.format.Kind;
import java.util.function.LongUnaryOperator;

/** {@link SharedLongArray} on a mapped file: a facade of {@link ShmArray} over 8-byte elements. */
public final class ShmLongArray extends ShmArray implements SharedLongArray {
  private static final long serialVersionUID = 1L;

  private ShmLongArray(NamespaceView ns, String name, int length, long[] initial) {
    super(ns, name, Kind.LONG_ARRAY, ns.file(name, spec(Kind.LONG_ARRAY, length, initial == null ? null
        : i -> initial[i])));
  }

  /** The array {@code name} of {@code length} elements, created with zeros or opened. */
  public static ShmLongArray open(NamespaceView ns, String name, int length) {
    return new ShmLongArray(ns, name, length, null);
  }

  /** The array {@code name}, created with a copy of {@code initial} or opened (and then left as it is). */
  public static ShmLongArray open(NamespaceView ns, String name, long[] initial) {
    return new ShmLongArray(ns, name, initial.length, initial);
  }

  @Override public long get(int i) {
    return load(i);
  }

  @Override public void set(int i, long v) {
    store(i, v);
  }

  @Override public long getAndAdd(int i, long d) {
    return getAndAddBits(i, d);
  }

  @Override public boolean compareAndSet(int i, long expect, long update) {
    return cas(i, expect, update);
  }

  @Override public long updateAndGet(int i, LongUnaryOperator f) {
    return update(i, f, true);
  }

  @Override public long getAndSet(int i, long v) {
    return swap(i, v);
  }

  @Override public long[] toArray() {
    checkOpen();
    long[] out = new long[length];
    get(0, out);
    return out;
  }
}
