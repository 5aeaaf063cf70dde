package dev.ipckit.shm.queue;

import static dev.ipckit.shm.queue.SlotRingTest.message;
import static dev.ipckit.shm.queue.SlotRingTest.queueFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.shm.format.Mem;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The data area on a plain {@link ByteBuffer}: copies that wrap past its end, room accounting, the dataEnd rule. */
@Tag("unit")
class DataAreaTest {
  static final int CAPACITY = 16;
  static final int LENGTH = QueueDescriptor.dataLength(CAPACITY);

  private final ByteBuffer buf = queueFile(CAPACITY);
  private final DataArea area = DataArea.of(buf, CAPACITY, new DataArea.Cache());

  @Test
  void copiesWrapPastTheEnd() {
    byte[] b = message(7, 1000);
    long position = 3L * LENGTH - 10; // the last 10 bytes of the area, then its start
    area.copyIn(position, b);
    int offset = QueueDescriptor.dataOffset(CAPACITY);
    assertEquals(b[9], buf.get(offset + LENGTH - 1));
    assertEquals(b[10], buf.get(offset));
    assertArrayEquals(b, area.copyOut(position, b.length));
    assertArrayEquals(message(8, 300), copiedAt(LENGTH / 2, message(8, 300)), "no wrap");
    assertArrayEquals(message(9, 300), copiedAt(LENGTH - 300, message(9, 300)), "ends exactly at the end");
  }

  private byte[] copiedAt(long position, byte[] b) {
    area.copyIn(position, b);
    return area.copyOut(position, b.length);
  }

  /**
   * Copies {@code count} messages of {@code len} bytes in as producers do, the ring's tail being {@code tail};
   * false if one finds no room.
   */
  private boolean fill(int count, int len, long tail) {
    for (int i = 0; i < count; i++) {
      long p = area.tryReserve(len, tail);
      if (p < 0) {
        return false;
      }
      area.copyIn(p, message(i, len));
      area.publish(p, len);
    }
    return true;
  }

  @Test
  void roomIsCountedBetweenDataHeadAndDataTail() {
    Mem.LONG.setRelease(buf, QueueDescriptor.TAIL_OFFSET, 1L); // a message in the ring: the empty rule is off
    int count = LENGTH / QueueDescriptor.DATA_MAX;
    assertTrue(fill(count, QueueDescriptor.DATA_MAX, 1L), "room for " + count);
    assertArrayEquals(new long[] {LENGTH, 0}, area.indices());
    assertEquals(-1L, area.tryReserve(1, 1), "full");
    assertFalse(area.mayHaveRoom(1));
    area.free(QueueDescriptor.DATA_MAX); // a consumer copied the first message out
    assertTrue(area.mayHaveRoom(QueueDescriptor.DATA_MAX));
    assertFalse(area.mayHaveRoom(QueueDescriptor.DATA_MAX + 1));
    assertEquals(LENGTH, area.tryReserve(QueueDescriptor.DATA_MAX, 1), "the freed bytes, at the next position");
    assertEquals(-1L, area.tryReserve(QueueDescriptor.DATA_MAX + 1, 1));
  }

  @Test
  void anEmptyRingMeansNoDataByteIsInUse() {
    Mem.LONG.setRelease(buf, QueueDescriptor.TAIL_OFFSET, 5L);
    assertTrue(fill(LENGTH / QueueDescriptor.DATA_MAX, QueueDescriptor.DATA_MAX, 5L));
    // the consumer that took the last message died before freeing its bytes: data head stayed at 0
    assertEquals(-1L, area.tryReserve(300, 5), "messages still in the ring");
    Mem.LONG.setRelease(buf, QueueDescriptor.HEAD_OFFSET, 5L);
    assertEquals(LENGTH, area.tryReserve(300, 5), "head == tail: every byte is free");
  }

  @Test
  void dataEndRule() {
    Mem.LONG.setRelease(buf, QueueDescriptor.DATA_TAIL_OFFSET, 10_000L);
    assertEquals(1300L, area.end(1000, 300));
    assertEquals(10_000L, area.end(10_000 - 300, 300), "ends at data tail");
    assertEquals(-1L, area.end(10_000 - 299, 300), "past data tail: would free live bytes");
    assertEquals(-1L, area.end(-1, 300), "negative position");
    assertEquals(-1L, area.end(0, SlotDescriptor.INLINE_MAX), "an inline length");
    assertEquals(-1L, area.end(0, QueueDescriptor.DATA_MAX + 1), "a spilled length");
  }
}
