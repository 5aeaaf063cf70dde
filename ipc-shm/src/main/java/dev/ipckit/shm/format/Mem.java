package dev.ipckit.shm.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The VarHandles through which every shared word is read and written. Coordinates are
 * {@code (ByteBuffer buffer, int byteIndex)}; indices must be naturally aligned (the mapping starts on a page).
 *
 * <p>Naming convention in this package: a method or comment says the access mode it uses -
 * {@code getAcquire}/{@code setRelease} to consume/publish, {@code getOpaque} to poll, {@code getAndAdd} and
 * {@code compareAndSet} (volatile) to update. Plain {@code ByteBuffer} access is used only for bulk message
 * bytes, which are published by a release store of the index that covers them.
 *
 * <p><b>Bytes.</b> There is no VarHandle for single bytes of a {@code ByteBuffer}, so a shared byte is read and
 * updated through the naturally aligned int word that holds it ({@link #getByteAcquire},
 * {@link #compareAndExchangeByte}), as the JDK itself emulates a byte compareAndSet on hardware that has none: a
 * compareAndSet of the whole word that changes only that byte, retried while other bytes of the word change. An
 * update of one byte therefore never overwrites a neighbour updated at the same time. The word must lie inside the
 * buffer: a body whose length is a multiple of 4 guarantees it.
 */
public final class Mem {
  public static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  public static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

  /** True where the byte at the lowest address of an int word is its most significant. */
  private static final boolean BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

  private Mem() {
  }

  /** The bit position of byte {@code at} within its aligned int word, in native order. */
  private static int shiftOf(int at) {
    int k = at & 3;
    return (BIG_ENDIAN ? 3 - k : k) << 3;
  }

  /** The byte at {@code at}: a getAcquire of the aligned int word that holds it. */
  public static byte getByteAcquire(ByteBuffer buf, int at) {
    return (byte) ((int) INT.getAcquire(buf, at & ~3) >> shiftOf(at));
  }

  /**
   * Atomically sets the byte at {@code at} to {@code update} if it is {@code expect}, leaving the other bytes of
   * its word as they are: volatile compareAndExchange of the word, retried while only the other bytes changed.
   *
   * @return the byte found: {@code expect} if the exchange happened, else the value that made it fail
   */
  public static byte compareAndExchangeByte(ByteBuffer buf, int at, byte expect, byte update) {
    int word = at & ~3;
    int shift = shiftOf(at);
    int mask = 0xFF << shift;
    int cur = (int) INT.getVolatile(buf, word);
    for (;;) {
      byte seen = (byte) (cur >> shift);
      if (seen != expect) {
        return seen;
      }
      int next = (cur & ~mask) | ((update & 0xFF) << shift);
      int witness = (int) INT.compareAndExchange(buf, word, cur, next);
      if (witness == cur) {
        return expect;
      }
      cur = witness;                           // a neighbour (or this byte) changed: look again
    }
  }
}
