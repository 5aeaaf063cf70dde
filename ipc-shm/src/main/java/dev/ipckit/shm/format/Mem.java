package dev.ipckit.shm.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The VarHandles through which every shared word is read and written. Coordinates are
 * {@code (ByteBuffer buffer, int byteIndex)}; indices must be naturally aligned (the mapping starts on a page).
 *
 * <p>Naming convention in this package: a method or comment says the access mode it uses -
 * {@code getAcquire}/{@code setRelease} to consume/publish, {@code getOpaque} to poll, {@code getAndAdd} and
 * {@code compareAndSet} (volatile) to update. Plain {@code ByteBuffer} access is used only for bulk message
 * bytes, which are published by a release store of the index that covers them.
 */
public final class Mem {
  public static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  public static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

  private Mem() {
  }
}
