package dev.ipckit.shm.value;

import dev.ipckit.SharedByteArray;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.spi.ByteCellArray;

/**
 * {@link SharedByteArray} on a mapped file: a facade of {@link ShmArray} over 1-byte elements, each updated by a
 * compareAndSet of its aligned int word.
 */
public final class ShmByteArray extends ShmArray implements ByteCellArray {
  private static final long serialVersionUID = 1L;

  private ShmByteArray(NamespaceView ns, String name, int length, byte[] initial) {
    super(ns, name, Kind.BYTE_ARRAY, ns.file(name, spec(Kind.BYTE_ARRAY, length, initial == null ? null
        : i -> initial[i])));
  }

  /** The array {@code name} of {@code length} elements, created with zeros or opened. */
  public static ShmByteArray open(NamespaceView ns, String name, int length) {
    return new ShmByteArray(ns, name, length, null);
  }

  /** The array {@code name}, created with a copy of {@code initial} or opened (and then left as it is). */
  public static ShmByteArray open(NamespaceView ns, String name, byte[] initial) {
    return new ShmByteArray(ns, name, initial.length, initial);
  }
}
