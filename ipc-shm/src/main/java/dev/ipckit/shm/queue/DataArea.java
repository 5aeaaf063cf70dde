package dev.ipckit.shm.queue;

import static dev.ipckit.shm.queue.QueueDescriptor.DATA_HEAD_OFFSET;
import static dev.ipckit.shm.queue.QueueDescriptor.DATA_MAX;
import static dev.ipckit.shm.queue.QueueDescriptor.DATA_TAIL_OFFSET;
import static dev.ipckit.shm.queue.QueueDescriptor.HEAD_OFFSET;
import static dev.ipckit.shm.queue.SlotDescriptor.INLINE_MAX;

import dev.ipckit.IpcException;
import dev.ipckit.shm.format.Mem;
import java.nio.ByteBuffer;

/**
 * The data area of a queue file: a byte ring for messages of {@link SlotDescriptor#INLINE_MAX} + 1 to
 * {@link QueueDescriptor#DATA_MAX} bytes, addressed by ever-growing positions (offset = position % length; a message
 * may wrap past the end), with data tail (bytes ever written) and data head (bytes ever freed) in the file. The
 * steps and what a process killed between them leaves are in the {@linkplain dev.ipckit.shm.queue package summary}.
 *
 * <p><b>Thread safety.</b> {@link #tryReserve}, {@link #copyIn} and {@link #publish} only under the producer lock;
 * {@link #copyOut}, {@link #end} and {@link #free} only under the consumer lock; {@link #mayHaveRoom} anywhere.
 *
 * <p><b>Memory consistency.</b> Data tail is stored with setRelease before the slot that covers the bytes is
 * published; data head with setRelease after the bytes are copied out, read with getAcquire by a producer before
 * it overwrites them.
 *
 * <p><b>Peer death.</b> A producer killed after {@link #publish} and before publishing its slot leaves a gap,
 * freed with the messages around it; a consumer killed after freeing its slot and before {@link #free} leaves data
 * head behind, repaired by the "empty ring" rule of {@link #tryReserve}.
 *
 * @param buf the queue file, header included
 * @param offset the offset of the data area's first byte in {@code buf}
 * @param length the data area's length in bytes
 * @param cache what this JVM caches about the data area
 */
record DataArea(ByteBuffer buf, int offset, int length, Cache cache) {
  /**
   * What one JVM caches about one data area: a lower bound of data head, written only under the producer lock.
   * Data head only grows, so a stale copy is merely pessimistic.
   */
  static final class Cache {
    long head;
  }

  /** The data area of a queue file of {@code capacity} slots in {@code buf} (the whole file, header included). */
  static DataArea of(ByteBuffer buf, int capacity, Cache cache) {
    return new DataArea(buf, QueueDescriptor.dataOffset(capacity), QueueDescriptor.dataLength(capacity), cache);
  }

  /** True for a message length that goes to the data area. */
  static boolean fits(int len) {
    return len > INLINE_MAX && len <= DATA_MAX;
  }

  /**
   * Under the producer lock, for the message about to be published as number {@code tail}: the position at which
   * {@code len} bytes can be copied, or -1 when the area has no room for them.
   */
  long tryReserve(int len, long tail) {
    // data tail is written only under the producer lock: the lock's acquire orders this read
    long dt = (long) Mem.LONG.getAcquire(buf, DATA_TAIL_OFFSET);
    if (dt < 0 || dt + len - cache.head > length || dt < cache.head) {
      // pairs with the consumers' setRelease of data head, made after they copied the bytes out
      long dh = (long) Mem.LONG.getAcquire(buf, DATA_HEAD_OFFSET);
      if (dt < 0 || dh < 0 || dh > dt) {
        // data head is set by consumers to the end of bytes a published slot covered: never past data tail
        throw new IpcException("the data area of a queue file is damaged: data head " + dh + ", data tail " + dt
            + " (valid: 0 <= data head <= data tail)");
      }
      if ((long) Mem.LONG.getAcquire(buf, HEAD_OFFSET) == tail) {
        dh = dt; // recovery: every message is taken (and its bytes copied out): no data byte is in use
      }
      cache.head = Math.max(cache.head, Math.min(dh, dt));
      if (dt + len - cache.head > length) {
        return -1L;
      }
    }
    return dt;
  }

  /**
   * Under the producer lock, after {@link #copyIn}: moves data tail past the bytes, before the slot is published:
   * dying after this store leaves a gap in the data area, never a live message that the next producer would
   * overwrite (that would follow from storing it after the publish).
   */
  void publish(long position, int len) {
    Mem.LONG.setRelease(buf, DATA_TAIL_OFFSET, position + len);
  }

  /** A hint read without any lock: whether {@code len} bytes might fit now. */
  boolean mayHaveRoom(int len) {
    // data head is freed by consumers with setRelease
    return (long) Mem.LONG.getAcquire(buf, DATA_TAIL_OFFSET) + len - (long) Mem.LONG.getAcquire(buf, DATA_HEAD_OFFSET)
        <= length;
  }

  /** Copies {@code b} into the data area at {@code position}, wrapping past its end. */
  void copyIn(long position, byte[] b) {
    int off = (int) Math.floorMod(position, (long) length);
    int first = Math.min(b.length, length - off);
    buf.put(offset + off, b, 0, first);
    if (first < b.length) {
      buf.put(offset, b, first, b.length - first);
    }
  }

  /** How {@link #checkLive} reports a damaged field: the field, its value, what is valid. */
  interface Damage {
    IpcException report(String field, long value, String valid);
  }

  /**
   * Under the consumer lock, before copying message {@code n} out: its {@code len} bytes at {@code position} must
   * lie in the live range, from data head (consumers free bytes only up to the end of a taken message) and at most
   * one data length behind data tail (no producer has written over them), and end at or before data tail (stored
   * before the slot was published, read here after the tail that covers the slot). A healthy queue always
   * satisfies this; anything else is damage, reported instead of copying bytes that are not the message's.
   */
  void checkLive(long n, long position, int len, Damage damage) {
    long dt = (long) Mem.LONG.getAcquire(buf, DATA_TAIL_OFFSET);
    long dh = (long) Mem.LONG.getAcquire(buf, DATA_HEAD_OFFSET);
    long from = Math.max(Math.max(0L, dh), dt - length);
    if (position < from || position > dt - len) {
      throw damage.report("the data position of message " + n, position, from + " to " + (dt - len) + " (data head "
          + dh + ", data tail " + dt + ", " + len + " bytes, data area " + length + " bytes)");
    }
  }

  /** Copies {@code len} bytes out of the data area from {@code position}, wrapping past its end. */
  byte[] copyOut(long position, int len) {
    byte[] b = new byte[len];
    int off = (int) Math.floorMod(position, (long) length);
    int first = Math.min(len, length - off);
    buf.get(offset + off, b, 0, first);
    if (first < len) {
      buf.get(offset, b, first, len - first);
    }
    return b;
  }

  /**
   * The dataEnd rule, for a data-area slot of {@code len} bytes at {@code position} (under the consumer lock): the
   * position just past its bytes, what data head becomes once it is taken; -1 when the slot's values are not those
   * of a well-formed data-area message. Never beyond data tail (stored before the slot was published): a damaged
   * slot cannot free live bytes.
   */
  long end(long position, int len) {
    return fits(len) && position >= 0 && position + len <= (long) Mem.LONG.getAcquire(buf, DATA_TAIL_OFFSET)
        ? position + len : -1L;
  }

  /**
   * Under the consumer lock, after the slots that cover the bytes are freed: frees the bytes up to {@code end}
   * (after the slots: dying in between only leaves them counted as used a little longer).
   */
  void free(long end) {
    Mem.LONG.setRelease(buf, DATA_HEAD_OFFSET, end);
  }

  /** Data bytes ever written and ever freed: data tail, data head. */
  long[] indices() {
    return new long[] {(long) Mem.LONG.getAcquire(buf, DATA_TAIL_OFFSET),
        (long) Mem.LONG.getAcquire(buf, DATA_HEAD_OFFSET)};
  }
}
