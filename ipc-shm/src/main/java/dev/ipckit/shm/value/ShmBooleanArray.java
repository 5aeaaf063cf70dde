package dev.ipckit.shm.value;

import dev.ipckit.SharedBooleanArray;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.spi.BooleanCellArray;

/**
 * {@link SharedBooleanArray} on a mapped file: a facade of {@link ShmArray} over 1-byte elements that hold 0 or
 * 1. Any byte but 0 reads as {@code true}, and {@link #compareAndSet} compares truth, not bytes, so a damaged byte
 * (2, say) is still replaced by {@code compareAndSet(i, true, false)}.
 */
public final class ShmBooleanArray extends ShmArray implements BooleanCellArray {
  private static final long serialVersionUID = 1L;

  private ShmBooleanArray(NamespaceView ns, String name, int length, boolean[] initial) {
    super(ns, name, Kind.BOOLEAN_ARRAY, ns.file(name, spec(Kind.BOOLEAN_ARRAY, length, initial == null ? null
        : i -> BooleanCellArray.bit(initial[i]))));
  }

  /** The array {@code name} of {@code length} elements, created all false or opened. */
  public static ShmBooleanArray open(NamespaceView ns, String name, int length) {
    return new ShmBooleanArray(ns, name, length, null);
  }

  /** The array {@code name}, created with a copy of {@code initial} or opened (and then left as it is). */
  public static ShmBooleanArray open(NamespaceView ns, String name, boolean[] initial) {
    return new ShmBooleanArray(ns, name, initial.length, initial);
  }

  @Override public boolean compareAndSet(int i, boolean expect, boolean update) {
    for (;;) {
      long cur = loadBits(i);
      if ((cur != 0L) != expect) {
        return false;
      }
      if (casBits(i, cur, BooleanCellArray.bit(update))) {
        return true;
      }
    }
  }
}
