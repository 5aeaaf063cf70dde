package dev.ipckit.shm.value;

import dev.ipckit.SharedIntArray;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.spi.IntCellArray;

/** {@link SharedIntArray} on a mapped file: a facade of {@link ShmArray} over 4-byte elements. */
public final class ShmIntArray extends ShmArray implements IntCellArray {
  private static final long serialVersionUID = 1L;

  private ShmIntArray(NamespaceView ns, String name, int length, int[] initial) {
    super(ns, name, Kind.INT_ARRAY, ns.file(name, spec(Kind.INT_ARRAY, length, initial == null ? null
        : i -> initial[i])));
  }

  /** The array {@code name} of {@code length} elements, created with zeros or opened. */
  public static ShmIntArray open(NamespaceView ns, String name, int length) {
    return new ShmIntArray(ns, name, length, null);
  }

  /** The array {@code name}, created with a copy of {@code initial} or opened (and then left as it is). */
  public static ShmIntArray open(NamespaceView ns, String name, int[] initial) {
    return new ShmIntArray(ns, name, initial.length, initial);
  }
}
