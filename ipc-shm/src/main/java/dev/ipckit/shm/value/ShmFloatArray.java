package dev.ipckit.shm.value;

import dev.ipckit.SharedFloatArray;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.spi.FloatCellArray;

import static dev.ipckit.spi.FloatCellArray.bits;

/**
 * {@link SharedFloatArray} on a mapped file: a facade of {@link ShmArray} over 4-byte elements holding raw
 * IEEE-754 bits; the arithmetic is a compareAndSet loop on the bits.
 */
public final class ShmFloatArray extends ShmArray implements FloatCellArray {
  private static final long serialVersionUID = 1L;

  private ShmFloatArray(NamespaceView ns, String name, int length, float[] initial) {
    super(ns, name, Kind.FLOAT_ARRAY, ns.file(name, spec(Kind.FLOAT_ARRAY, length, initial == null ? null
        : i -> bits(initial[i]))));
  }

  /** The array {@code name} of {@code length} elements, created with zeros or opened. */
  public static ShmFloatArray open(NamespaceView ns, String name, int length) {
    return new ShmFloatArray(ns, name, length, null);
  }

  /** The array {@code name}, created with a copy of {@code initial} or opened (and then left as it is). */
  public static ShmFloatArray open(NamespaceView ns, String name, float[] initial) {
    return new ShmFloatArray(ns, name, initial.length, initial);
  }
}
