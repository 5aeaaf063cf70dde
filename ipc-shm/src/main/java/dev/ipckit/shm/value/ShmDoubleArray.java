package dev.ipckit.shm.value;

import dev.ipckit.SharedDoubleArray;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.spi.DoubleCellArray;

import static dev.ipckit.spi.DoubleCellArray.bits;

/**
 * {@link SharedDoubleArray} on a mapped file: a facade of {@link ShmArray} over 8-byte elements holding raw
 * IEEE-754 bits; the arithmetic is a compareAndSet loop on the bits.
 */
public final class ShmDoubleArray extends ShmArray implements DoubleCellArray {
  private static final long serialVersionUID = 1L;

  private ShmDoubleArray(NamespaceView ns, String name, int length, double[] initial) {
    super(ns, name, Kind.DOUBLE_ARRAY, ns.file(name, spec(Kind.DOUBLE_ARRAY, length, initial == null ? null
        : i -> bits(initial[i]))));
  }

  /** The array {@code name} of {@code length} elements, created with zeros or opened. */
  public static ShmDoubleArray open(NamespaceView ns, String name, int length) {
    return new ShmDoubleArray(ns, name, length, null);
  }

  /** The array {@code name}, created with a copy of {@code initial} or opened (and then left as it is). */
  public static ShmDoubleArray open(NamespaceView ns, String name, double[] initial) {
    return new ShmDoubleArray(ns, name, initial.length, initial);
  }
}
