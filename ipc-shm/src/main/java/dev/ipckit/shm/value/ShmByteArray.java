package dev.ipckit.shm.value;

import dev.ipckit.SharedByteArray;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.format.Kind;
import java.util.function.IntUnaryOperator;

/**
 * {@link SharedByteArray} on a mapped file: a facade of {@link ShmArray} over 1-byte elements, each updated by a
 * compareAndSet of its aligned int word.
 */
public final class ShmByteArray extends ShmArray implements SharedByteArray {
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

  @Override public byte get(int i) {
    return (byte) load(i);
  }

  @Override public void set(int i, byte v) {
    store(i, v);
  }

  @Override public byte getAndAdd(int i, byte d) {
    return (byte) getAndAddBits(i, d);
  }

  @Override public boolean compareAndSet(int i, byte expect, byte update) {
    return cas(i, expect, update);
  }

  @Override public byte updateAndGet(int i, IntUnaryOperator f) {
    return (byte) update(i, x -> f.applyAsInt((int) x), true);
  }

  @Override public byte getAndSet(int i, byte v) {
    return (byte) swap(i, v);
  }

  @Override public byte[] toArray() {
    checkOpen();
    byte[] out = new byte[length];
    get(0, out);
    return out;
  }
}
