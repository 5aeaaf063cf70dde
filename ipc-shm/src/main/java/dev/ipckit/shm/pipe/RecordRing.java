package dev.ipckit.shm.pipe;

import static dev.ipckit.shm.pipe.RecordDescriptor.CONTINUATION;
import static dev.ipckit.shm.pipe.RecordDescriptor.HEADER_LENGTH;
import static dev.ipckit.shm.pipe.RecordDescriptor.HEADER_OFFSET;
import static dev.ipckit.shm.pipe.RecordDescriptor.PADDING;
import static dev.ipckit.shm.pipe.RecordDescriptor.PAYLOAD_OFFSET;

import dev.ipckit.IpcException;
import dev.ipckit.shm.format.Mem;
import java.nio.ByteBuffer;

/**
 * One single-producer single-consumer ring of records at an offset of a buffer, laid out as a ring of
 * {@link PipeDescriptor} (tail, head, data) holding records of {@link RecordDescriptor}: the producer's cursor
 * (write a record, pad at the end, publish the tail) and the consumer's cursor (read the next record, validate
 * it, free it, reassemble a streamed message). It never waits and knows nothing of claims or namespaces: the
 * caller waits between a failed {@link #offer} and {@link #pollRoom}, or between {@link #hasRecord()} false and
 * {@link #pollTail()}, and wakes the other side after {@link #offer} and {@link #readRecord()}.
 *
 * <p><b>Thread safety.</b> Not thread-safe: one thread at a time (in one process) drives the producer's
 * cursor, and one the consumer's; the two may be in different processes.
 *
 * <p><b>Memory consistency.</b> The producer writes a record with plain stores and publishes it with a
 * setRelease of the tail; the consumer reads the tail with getAcquire before reading the record, and frees it
 * with a setRelease of the head that the producer reads with getAcquire before reusing the space. Writing a
 * record therefore happens-before reading it, and reading it happens-before its space is written again.
 *
 * <p><b>Peer death.</b> A producer killed mid-record never published it: the tail still ends before it. One killed
 * in the middle of a streamed message leaves a first record without all its continuations; the next first
 * record drops the partial message, and {@link #dropPartial()} drops it at end of file. A consumer that resumes
 * after a dead one ({@link #resumeConsumer()}) skips continuations whose first record its predecessor read.
 */
final class RecordRing {
  private final ByteBuffer buf;
  private final int tailAt;
  private final int headAt;
  private final int dataAt;
  private final int capacity;
  private final int mask;
  private final int maxChunk;
  /** For messages: what holds the ring, and which ring it is. */
  private final String label;
  private final String ringName;

  // producer cursor
  private long tail;
  private long cachedHead;

  // consumer cursor
  private long head;
  private long cachedTail;
  private byte[] partial;
  private int partialAt;

  /**
   * The ring whose control block starts at {@code at} of {@code buf}, with {@code capacity} data bytes (a power of
   * two); {@code label} and {@code ringName} name it in messages ("pipe ... in ...", "the ring into the left end").
   */
  RecordRing(ByteBuffer buf, int at, int capacity, String label, String ringName) {
    this.buf = buf;
    this.tailAt = at + PipeDescriptor.TAIL_OFFSET;
    this.headAt = at + PipeDescriptor.HEAD_OFFSET;
    this.dataAt = at + PipeDescriptor.DATA_OFFSET;
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.maxChunk = RecordDescriptor.maxChunk(capacity);
    this.label = label;
    this.ringName = ringName;
  }

  /** Bytes published and not yet freed (records, padding included). */
  long pending() {
    return (long) Mem.LONG.getAcquire(buf, tailAt) - (long) Mem.LONG.getAcquire(buf, headAt);
  }

  // ---- producer

  /** The producer continues from what the ring says: a predecessor in another process may have written it. */
  void resumeProducer() {
    tail = (long) Mem.LONG.getAcquire(buf, tailAt);
    cachedHead = (long) Mem.LONG.getAcquire(buf, headAt);
    checkIndices(cachedHead, tail);
  }

  /**
   * Writes and publishes the record carrying {@code b} from {@code off} (at most {@link RecordDescriptor#maxChunk}
   * bytes of it; the first record of the message when {@code off} is 0), padding to the end of the ring first when
   * it would cross it. Returns the offset after the bytes written, or -1, writing nothing, when the ring has no
   * room for it as last seen ({@link #pollRoom} looks again).
   */
  final int offer(byte[] b, int off) {
    int chunk = Math.min(b.length - off, maxChunk);
    int size = RecordDescriptor.size(chunk);
    long t = tail;
    int idx = (int) t & mask;
    int toEnd = capacity - idx;
    if (capacity - (t - cachedHead) < (size > toEnd ? toEnd + size : size)) {
      return -1;
    }
    if (size > toEnd) { // the record would cross the end: pad to it and start over at 0
      Mem.LONG.set(buf, dataAt + idx + HEADER_OFFSET, RecordDescriptor.header(toEnd - HEADER_LENGTH, PADDING));
      t += toEnd;
      idx = 0;
    }
    buf.put(dataAt + idx + PAYLOAD_OFFSET, b, off, chunk);
    int info = off == 0 ? b.length : CONTINUATION;
    // plain: published by the tail
    Mem.LONG.set(buf, dataAt + idx + HEADER_OFFSET, RecordDescriptor.header(chunk, info));
    t += size;
    tail = t;
    // publish: the record bytes above happen-before a consumer's getAcquire of this tail
    Mem.LONG.setRelease(buf, tailAt, t);
    return off + chunk;
  }

  /** True when the next record of a message with {@code remaining} bytes left to write fits now. */
  final boolean pollRoom(int remaining) {
    int size = RecordDescriptor.size(Math.min(remaining, maxChunk));
    int toEnd = capacity - ((int) tail & mask);
    int need = size > toEnd ? toEnd + size : size;
    if (capacity - (tail - (long) Mem.LONG.getOpaque(buf, headAt)) < need) { // poll
      return false;
    }
    // acquire: the reader's copies out of the space happen-before we overwrite it
    cachedHead = (long) Mem.LONG.getAcquire(buf, headAt);
    checkIndices(cachedHead, tail);  // tail is ours; the reader never frees past it
    return true;
  }

  // ---- consumer

  /** The consumer continues from what the ring says; a message a predecessor had begun reading is lost. */
  void resumeConsumer() {
    head = (long) Mem.LONG.getAcquire(buf, headAt);
    checkIndices(head, (long) Mem.LONG.getAcquire(buf, tailAt));
    cachedTail = head;
    partial = null;
  }

  /** True when a record is there as last seen ({@link #pollTail()}, {@link #acquireTail()} look again). */
  final boolean hasRecord() {
    return head != cachedTail;
  }

  /** True when the tail has moved past the head (one getOpaque; {@link #acquireTail()} before reading). */
  final boolean pollTail() {
    return (long) Mem.LONG.getOpaque(buf, tailAt) != head; // poll
  }

  /** Reads the tail: true when a record is there. */
  final boolean acquireTail() {
    // consume: the records up to the tail happen-before our reads of them
    cachedTail = (long) Mem.LONG.getAcquire(buf, tailAt);
    checkIndices(head, cachedTail);  // head is ours; the writer never runs more than the ring ahead of it
    return head != cachedTail;
  }

  /**
   * Reads and frees the next record, which must be there ({@link #hasRecord()}): the message it completes, or
   * null (padding, a chunk of a message still streaming, a chunk whose start this cursor never saw). Throws
   * {@link IpcException} naming the position and the header when the record is damaged.
   */
  final byte[] readRecord() {
    long h = head;
    int idx = (int) h & mask;
    // plain: covered by the getAcquire of the tail
    long header = (long) Mem.LONG.get(buf, dataAt + idx + HEADER_OFFSET);
    int len = RecordDescriptor.lengthOf(header);
    int info = RecordDescriptor.infoOf(header);
    int toEnd = capacity - idx;
    if (info == PADDING) {
      if (len != toEnd - HEADER_LENGTH) {
        throw damaged(h, header);
      }
      advance(h + toEnd);
      return null;
    }
    int size = len < 0 || len > maxChunk ? -1 : RecordDescriptor.size(len);
    if (size < 0 || size > toEnd || h + size > cachedTail || info < CONTINUATION) {
      throw damaged(h, header);
    }
    int from = dataAt + idx + PAYLOAD_OFFSET;
    return info >= 0 ? first(h, header, from, size) : continuation(h, header, from, size);
  }

  private byte[] first(long h, long header, int from, int size) {
    int len = RecordDescriptor.lengthOf(header);
    int info = RecordDescriptor.infoOf(header);
    partial = null; // a previous message left incomplete (its sender died or was interrupted): drop it
    if (len > info || info > Integer.MAX_VALUE - 16) {
      throw damaged(h, header);
    }
    byte[] m = new byte[info];
    buf.get(from, m, 0, len);
    advance(h + size);
    if (len == info) {
      return m;
    }
    partial = m;
    partialAt = len;
    return null;
  }

  private byte[] continuation(long h, long header, int from, int size) {
    byte[] m = partial;
    if (m == null) { // a chunk of a message whose start was read by a dead predecessor: drop it
      advance(h + size);
      return null;
    }
    int len = RecordDescriptor.lengthOf(header);
    if (len > m.length - partialAt) {
      throw damaged(h, header);
    }
    buf.get(from, m, partialAt, len);
    partialAt += len;
    advance(h + size);
    if (partialAt == m.length) {
      partial = null;
      return m;
    }
    return null;
  }

  private void advance(long h) {
    head = h;
    // release: our copies out of the freed bytes happen-before the writer's getAcquire of the head
    Mem.LONG.setRelease(buf, headAt, h);
  }

  /** Drops a message whose sender never finished it (end of file): it is never delivered. */
  void dropPartial() {
    partial = null;
  }

  /**
   * The ring's invariant, {@code 0 <= head <= tail <= head + capacity}, for a head and tail of which one is this
   * cursor's own and the other read after it: a healthy ring always satisfies it (the reader never passes a
   * published tail, the writer never runs more than the ring ahead of a head it has read).
   */
  private void checkIndices(long h, long t) {
    if (h < 0 || t < h || t - h > capacity) {
      throw new IpcException(label + " is damaged: " + ringName + " has head " + h + " and tail " + t
          + " (valid: 0 <= head <= tail <= head + " + capacity + ")");
    }
  }

  private IpcException damaged(long position, long header) {
    return new IpcException(label + " is damaged: record at position " + position + " of " + ringName
        + " has length " + RecordDescriptor.lengthOf(header) + ", info " + RecordDescriptor.infoOf(header)
        + " (ring capacity " + capacity + ")");
  }
}
