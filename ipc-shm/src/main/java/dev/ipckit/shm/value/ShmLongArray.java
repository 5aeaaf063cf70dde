package dev.ipckit.shm.value;

import dev.ipckit.SharedLongArray;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.spi.LongCellArray;

/** {@link SharedLongArray} on a mapped file: a facade of {@link ShmArray} over 8-byte elements. */
public final class ShmLongArray extends ShmArray implements LongCellArray {
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
}
