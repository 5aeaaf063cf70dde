package dev.ipckit.shm.pipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.IpcException;
import dev.ipckit.shm.format.Mem;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One {@link RecordRing} on a plain buffer, driven through every state by a writer and a reader cursor (two
 * instances, as two processes would hold): empty, one record, padding, wrap-around, streaming, dropped partial
 * messages, damaged headers and a full ring.
 */
@Tag("unit")
class RecordRingTest {
  private static final int CAPACITY = 256;
  /** 56: a record of it takes 64 bytes, a quarter of the ring. */
  private static final int MAX_CHUNK = RecordDescriptor.maxChunk(CAPACITY);
  private static final String LABEL = "pipe \"t\" in /ns";
  private static final String RING = "the ring into the left end";

  private ByteBuffer buf;
  private RecordRing writer;
  private RecordRing reader;

  @BeforeEach
  void newRing() {
    buf = ByteBuffer.allocateDirect(PipeDescriptor.DATA_OFFSET + CAPACITY);
    writer = cursor();
    writer.resumeProducer();
    reader = consumer();
  }

  private RecordRing cursor() {
    return new RecordRing(buf, 0, CAPACITY, LABEL, RING);
  }

  /** A new consumer cursor, as a process that claims the end would make. */
  private RecordRing consumer() {
    RecordRing r = cursor();
    r.resumeConsumer();
    return r;
  }

  private static byte[] message(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (seed * 31 + i);
    }
    return b;
  }

  /** Writes all of {@code b}, which must fit. */
  private void send(byte[] b) {
    int off = 0;
    do {
      off = writer.offer(b, off);
      assertTrue(off >= 0, "no room");
    } while (off < b.length);
  }

  /** Reads records until one completes a message: the message, or null when the ring is drained first. */
  private static byte[] next(RecordRing r) {
    for (;;) {
      if (!r.hasRecord() && !r.acquireTail()) {
        return null;
      }
      byte[] m = r.readRecord();
      if (m != null) {
        return m;
      }
    }
  }

  private long word(int at) {
    return (long) Mem.LONG.getAcquire(buf, at);
  }

  private long recordHeader(int index) {
    return (long) Mem.LONG.get(buf, PipeDescriptor.DATA_OFFSET + index + RecordDescriptor.HEADER_OFFSET);
  }

  @Test
  void empty() {
    assertFalse(reader.hasRecord());
    assertFalse(reader.pollTail());
    assertFalse(reader.acquireTail());
    assertEquals(0L, reader.pending());
    assertNull(next(reader));
    assertTrue(writer.pollRoom(MAX_CHUNK));
  }

  @Test
  void oneRecord() {
    byte[] m = message(10, 1);
    assertEquals(10, writer.offer(m, 0));
    assertEquals(RecordDescriptor.header(10, 10), recordHeader(0));
    assertEquals(24L, reader.pending()); // 8 header + 10 payload, aligned to 8
    assertEquals(24L, word(PipeDescriptor.TAIL_OFFSET));
    assertFalse(reader.hasRecord()); // not seen until the tail is read
    assertTrue(reader.pollTail());
    assertTrue(reader.acquireTail());
    assertArrayEquals(m, reader.readRecord());
    assertFalse(reader.hasRecord());
    assertEquals(24L, word(PipeDescriptor.HEAD_OFFSET));
    assertEquals(0L, reader.pending());
  }

  @Test
  void anEmptyMessageIsOneHeader() {
    assertEquals(0, writer.offer(new byte[0], 0));
    assertEquals(RecordDescriptor.HEADER_LENGTH, reader.pending());
    assertArrayEquals(new byte[0], next(reader));
  }

  @Test
  void aRecordThatWouldCrossTheEndIsPrecededByPadding() {
    for (int i = 0; i < 4; i++) {
      send(message(48, i)); // 56 bytes each: 224
    }
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(message(48, i), next(reader));
    }
    byte[] m = message(48, 9);
    assertTrue(writer.pollRoom(48));
    send(m); // 56 bytes do not fit in the 32 left: 32 of padding, then the record at 0
    assertEquals(RecordDescriptor.header(32 - RecordDescriptor.HEADER_LENGTH, RecordDescriptor.PADDING),
        recordHeader(224));
    assertEquals(RecordDescriptor.header(48, 48), recordHeader(0));
    assertEquals(224L + 32 + 56, word(PipeDescriptor.TAIL_OFFSET));
    assertTrue(reader.acquireTail());
    assertNull(reader.readRecord()); // the padding
    assertTrue(reader.hasRecord());
    assertArrayEquals(m, reader.readRecord());
    assertEquals(0L, reader.pending());
  }

  @Test
  void aRecordThatEndsAtTheEndNeedsNoPadding() {
    for (int i = 0; i < 4; i++) {
      send(message(MAX_CHUNK, i)); // 64 bytes each: exactly the ring
    }
    assertEquals(-1, writer.offer(message(0, 0), 0));
    for (int i = 0; i < 4; i++) {
      assertEquals(RecordDescriptor.header(MAX_CHUNK, MAX_CHUNK), recordHeader(64 * i));
      assertArrayEquals(message(MAX_CHUNK, i), next(reader));
    }
  }

  @Test
  void wrapsAroundManyTimesAndKeepsEveryMessageInOrder() {
    Random random = new Random(42);
    ArrayDeque<byte[]> sent = new ArrayDeque<>();
    int count = 5000;
    int written = 0;
    int read = 0;
    byte[] writing = null;
    int off = 0;
    while (read < count) {
      if (written < count && random.nextBoolean()) { // the writer's turn: one record, or a look at the head
        if (writing == null) {
          writing = message(random.nextInt(3 * MAX_CHUNK), written);
          off = 0;
          sent.add(writing);
        }
        int next = writer.offer(writing, off);
        if (next < 0) {
          writer.pollRoom(writing.length - off);
        } else if ((off = next) == writing.length) {
          writing = null;
          written++;
        }
      } else if (reader.hasRecord() || reader.acquireTail()) { // the reader's turn: one record
        byte[] got = reader.readRecord();
        if (got != null) {
          assertArrayEquals(sent.poll(), got, "message " + read);
          read++;
        }
      }
    }
    assertTrue(sent.isEmpty());
    assertEquals(0L, reader.pending());
    assertTrue(word(PipeDescriptor.TAIL_OFFSET) > 100L * CAPACITY, "laps");
  }

  @Test
  void aLargeMessageIsStreamedInChunksWhileTheReaderReads() {
    byte[] m = message(1000, 7); // 18 chunks of 56 bytes (the last of 48): four times the ring
    int off = 0;
    int records = 0;
    byte[] got = null;
    while (got == null) {
      int next = off < m.length ? writer.offer(m, off) : -1;
      if (next >= 0) {
        int at = (int) (word(PipeDescriptor.TAIL_OFFSET) - RecordDescriptor.size(next - off)) & (CAPACITY - 1);
        assertEquals(off == 0 ? 1000 : RecordDescriptor.CONTINUATION, RecordDescriptor.infoOf(recordHeader(at)));
        off = next;
        continue;
      }
      assertTrue(reader.hasRecord() || reader.acquireTail(), "the ring is full or the message written: a record");
      got = reader.readRecord();
      records++;
      writer.pollRoom(m.length - off);
    }
    assertEquals(1000, off);
    assertArrayEquals(m, got);
    assertTrue(records >= 18, "records read: " + records);
    assertEquals(0L, reader.pending());
  }

  @Test
  void aMessageInterruptedMidStreamIsDroppedByTheNextOne() {
    byte[] a = message(150, 1); // chunks of 56, 56, 38
    assertEquals(56, writer.offer(a, 0));
    assertEquals(112, writer.offer(a, 56)); // the writer stops here (killed or interrupted)
    assertTrue(reader.acquireTail());
    assertNull(reader.readRecord()); // the start of a, kept as a partial message
    byte[] b = message(20, 2);
    send(b);
    assertArrayEquals(b, next(reader)); // a's second chunk completes nothing, b's first record drops a
    assertNull(next(reader));
    send(message(5, 3));
    assertArrayEquals(message(5, 3), next(reader));
  }

  @Test
  void aContinuationWithoutItsStartIsDropped() {
    byte[] a = message(150, 1);
    assertEquals(56, writer.offer(a, 0));
    assertTrue(reader.acquireTail());
    assertNull(reader.readRecord()); // the reader takes a's first chunk, then dies
    RecordRing successor = consumer();
    assertEquals(112, writer.offer(a, 56));
    assertEquals(150, writer.offer(a, 112));
    byte[] b = message(30, 2);
    send(b);
    assertArrayEquals(b, next(successor));
    assertEquals(0L, successor.pending());
  }

  @Test
  void endOfFileDropsAPartialMessage() {
    byte[] a = message(150, 1);
    assertEquals(56, writer.offer(a, 0));
    assertNull(next(reader));
    reader.dropPartial(); // the writer died: end of file
    assertEquals(112, writer.offer(a, 56)); // had it not: its rest is dropped as well
    assertEquals(150, writer.offer(a, 112));
    assertNull(next(reader));
  }

  @Test
  void aFullRingHasNoRoomUntilTheReaderFreesSome() {
    for (int i = 0; i < 4; i++) {
      send(message(MAX_CHUNK, i));
    }
    assertEquals(-1, writer.offer(message(1, 9), 0));
    assertEquals((long) CAPACITY, word(PipeDescriptor.TAIL_OFFSET)); // nothing written
    assertFalse(writer.pollRoom(1));
    assertArrayEquals(message(MAX_CHUNK, 0), next(reader));
    assertEquals(-1, writer.offer(message(1, 9), 0)); // the freed head is not seen yet
    assertTrue(writer.pollRoom(1));
    assertEquals(1, writer.offer(message(1, 9), 0));
    // the next record, of 64 bytes, would need 56 bytes of padding at 8 plus 64 at 0: only 56 free
    assertFalse(writer.pollRoom(MAX_CHUNK));
    assertEquals(-1, writer.offer(message(MAX_CHUNK, 8), 0));
    for (int i = 1; i < 4; i++) {
      assertArrayEquals(message(MAX_CHUNK, i), next(reader));
    }
    assertArrayEquals(message(1, 9), next(reader));
    assertTrue(writer.pollRoom(MAX_CHUNK));
  }

  // ---- damaged records

  /** A reader at {@code position} that finds {@code header} there, with the tail at {@code tail}. */
  private IpcException damagedAt(long position, long header, long tail) {
    Mem.LONG.set(buf, PipeDescriptor.DATA_OFFSET + (int) (position & (CAPACITY - 1)), header);
    Mem.LONG.setRelease(buf, PipeDescriptor.HEAD_OFFSET, position);
    Mem.LONG.setRelease(buf, PipeDescriptor.TAIL_OFFSET, tail);
    RecordRing r = consumer();
    assertTrue(r.acquireTail());
    IpcException e = assertThrows(IpcException.class, r::readRecord);
    assertEquals(position, word(PipeDescriptor.HEAD_OFFSET), "a damaged record is not skipped");
    return e;
  }

  private static String damaged(long position, int length, int info) {
    return LABEL + " is damaged: record at position " + position + " of " + RING + " has length " + length
        + ", info " + info + " (ring capacity " + CAPACITY + ")";
  }

  @Test
  void aLengthAboveTheLargestChunkIsDamage() {
    int len = MAX_CHUNK + 1;
    assertEquals(damaged(0, len, len), damagedAt(0, RecordDescriptor.header(len, len), CAPACITY).getMessage());
  }

  @Test
  void aNegativeLengthIsDamage() {
    assertEquals(damaged(512, -8, 4), damagedAt(512, RecordDescriptor.header(-8, 4), 768).getMessage());
  }

  @Test
  void aRecordCrossingTheEndIsDamage() {
    assertEquals(damaged(224, 40, 40), damagedAt(224, RecordDescriptor.header(40, 40), 480).getMessage());
  }

  @Test
  void paddingThatDoesNotEndAtTheEndIsDamage() {
    assertEquals(damaged(224, 8, RecordDescriptor.PADDING),
        damagedAt(224, RecordDescriptor.header(8, RecordDescriptor.PADDING), 480).getMessage());
  }

  @Test
  void aRecordBeyondThePublishedTailIsDamage() {
    assertEquals(damaged(64, 40, 40), damagedAt(64, RecordDescriptor.header(40, 40), 80).getMessage());
  }

  @Test
  void anUnknownInfoIsDamage() {
    assertEquals(damaged(0, 8, -3), damagedAt(0, RecordDescriptor.header(8, -3), 16).getMessage());
  }

  @Test
  void aFirstRecordLongerThanItsMessageIsDamage() {
    assertEquals(damaged(0, 16, 8), damagedAt(0, RecordDescriptor.header(16, 8), 24).getMessage());
  }

  @Test
  void aContinuationLongerThanTheRestOfItsMessageIsDamage() {
    byte[] a = message(12, 1);
    Mem.LONG.set(buf, PipeDescriptor.DATA_OFFSET, RecordDescriptor.header(8, 12));
    buf.put(PipeDescriptor.DATA_OFFSET + RecordDescriptor.PAYLOAD_OFFSET, a, 0, 8);
    Mem.LONG.set(buf, PipeDescriptor.DATA_OFFSET + 16, RecordDescriptor.header(8, RecordDescriptor.CONTINUATION));
    Mem.LONG.setRelease(buf, PipeDescriptor.TAIL_OFFSET, 32L);
    assertTrue(reader.acquireTail());
    assertNull(reader.readRecord());
    IpcException e = assertThrows(IpcException.class, reader::readRecord);
    assertEquals(damaged(16, 8, RecordDescriptor.CONTINUATION), e.getMessage());
  }
}
