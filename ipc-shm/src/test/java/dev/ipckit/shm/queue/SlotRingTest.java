package dev.ipckit.shm.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.IpcException;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.liveness.Liveness;
import dev.ipckit.spi.Deadline;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The slot ring on a plain {@link ByteBuffer} (no file, no namespace), driven through every state: empty, partial,
 * full, indices wrapping around the slots, the three slot types, damaged slots, a half-written slot left by a dead
 * producer, batch take, snapshot and clear. Liveness is a fake that declares chosen tokens dead.
 */
@Tag("unit")
class SlotRingTest {
  static final long ME = 0x20001L;
  static final long DEAD = 0x10001L;

  /** Liveness whose answers the test chooses: every token but those in {@link #dead} (and 0) is alive. */
  static final class FakeLiveness implements Liveness {
    final long token;
    final Set<Long> dead = new HashSet<>();

    FakeLiveness(long token, long... dead) {
      this.token = token;
      for (long d : dead) {
        this.dead.add(d);
      }
    }

    @Override
    public long token() {
      return token;
    }

    @Override
    public boolean isAlive(long t) {
      return t != 0L && !dead.contains(t);
    }

    @Override
    public long pidOf(long t) {
      return -1L;
    }
  }

  /** Side files stood in for: a claim returns a marker, a read the bytes recorded for the spill number. */
  static final class FakeSpills implements SlotRing.Spills {
    final List<SlotRing.SpillRef> claimed = new ArrayList<>();

    @Override
    public Object open(long n, SlotRing.SpillRef ref, int length, boolean claim) {
      if (claim) {
        claimed.add(ref);
        return ref;
      }
      return new byte[length];
    }
  }

  /**
   * A zeroed buffer laid out as a queue file of {@code capacity} slots: direct, as a mapping is (JDK 25 supports no
   * atomic access to heap buffers at all, JDK 17 only where aligned).
   */
  static ByteBuffer queueFile(int capacity) {
    int len = (int) (FileHeader.LENGTH + QueueDescriptor.bodyLength(capacity));
    return ByteBuffer.allocateDirect(len);
  }

  static SlotRing ring(ByteBuffer buf, int capacity, Liveness liveness, SlotRing.Spills spills) {
    return new SlotRing(buf, capacity, liveness, new SlotRing.Cache(), spills, "q", Path.of("/ns"));
  }

  static SlotRing ring(ByteBuffer buf, int capacity) {
    return ring(buf, capacity, new FakeLiveness(ME), new FakeSpills());
  }

  static byte[] message(int seed, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (seed * 31 + i);
    }
    return b;
  }

  @Test
  void emptyRingHasNothingToTake() {
    SlotRing r = ring(queueFile(4), 4);
    assertNull(r.tryTake());
    assertEquals(0, r.size());
    assertFalse(r.mayHaveMessage());
    assertTrue(r.mayHaveRoom(10, false));
    assertTrue(r.snapshot(10).isEmpty());
    List<Object> out = new ArrayList<>();
    r.takeBatch(out, 10);
    assertTrue(out.isEmpty());
    assertArrayEquals(new long[] {0, 0}, r.indices());
  }

  @Test
  void fillsUpThenRefusesThenTakesInOrder() {
    SlotRing r = ring(queueFile(4), 4);
    for (int i = 0; i < 3; i++) {
      assertTrue(r.tryPut(message(i, 10), -1));
    }
    assertEquals(3, r.size());
    assertTrue(r.mayHaveMessage());
    assertTrue(r.tryPut(message(3, 10), -1));
    assertEquals(4, r.size());
    assertFalse(r.mayHaveRoom(10, false));
    assertFalse(r.tryPut(message(4, 10), -1), "full");
    assertArrayEquals(message(0, 10), (byte[]) r.tryTake());
    assertTrue(r.mayHaveRoom(10, false));
    assertTrue(r.tryPut(message(4, 10), -1));
    for (int i = 1; i <= 4; i++) {
      assertArrayEquals(message(i, 10), (byte[]) r.tryTake(), "message " + i);
    }
    assertNull(r.tryTake());
    assertArrayEquals(new long[] {5, 5}, r.indices());
  }

  @Test
  void indicesWrapAroundTheSlots() {
    ByteBuffer buf = queueFile(3);
    long start = (1L << 40) + 1; // far past capacity: slot = index % capacity
    Mem.LONG.setRelease(buf, QueueDescriptor.TAIL_OFFSET, start);
    Mem.LONG.setRelease(buf, QueueDescriptor.HEAD_OFFSET, start);
    SlotRing r = ring(buf, 3);
    int next = 0;
    for (int round = 0; round < 10; round++) {
      for (int i = 0; i < 1 + round % 3; i++) {
        assertTrue(r.tryPut(message(round * 10 + i, 1 + i), -1));
      }
      for (int i = 0; i < 1 + round % 3; i++) {
        assertArrayEquals(message(round * 10 + i, 1 + i), (byte[]) r.tryTake());
        next++;
      }
    }
    assertArrayEquals(new long[] {start + next, start + next}, r.indices());
  }

  @Test
  void inlineDataAndSpilledSlots() {
    ByteBuffer buf = queueFile(8);
    FakeSpills spills = new FakeSpills();
    SlotRing r = ring(buf, 8, new FakeLiveness(ME), spills);
    byte[] empty = new byte[0];
    byte[] inline = message(1, SlotDescriptor.INLINE_MAX);
    byte[] smallData = message(2, SlotDescriptor.INLINE_MAX + 1);
    byte[] largeData = message(3, QueueDescriptor.DATA_MAX);
    assertTrue(r.tryPut(empty, -1));
    assertTrue(r.tryPut(inline, -1));
    assertTrue(r.tryPut(smallData, -1));
    assertTrue(r.tryPut(largeData, -1));
    assertTrue(r.tryPut(message(4, QueueDescriptor.DATA_MAX + 1), 9));
    int[] types = {SlotDescriptor.TYPE_INLINE, SlotDescriptor.TYPE_INLINE, SlotDescriptor.TYPE_DATA,
        SlotDescriptor.TYPE_DATA, SlotDescriptor.TYPE_SPILLED};
    for (int n = 0; n < types.length; n++) {
      assertEquals(types[n], buf.getInt(QueueDescriptor.slotOffset(n, 8) + SlotDescriptor.TYPE_OFFSET), "slot " + n);
    }
    int spilled = QueueDescriptor.slotOffset(4, 8);
    assertEquals(ME, buf.getLong(spilled + SlotDescriptor.SPILL_TOKEN_OFFSET));
    assertEquals(9L, buf.getLong(spilled + SlotDescriptor.SPILL_NUMBER_OFFSET));
    long dataBytes = smallData.length + largeData.length;
    assertArrayEquals(new long[] {dataBytes, 0}, r.data().indices());

    assertArrayEquals(empty, (byte[]) r.tryTake());
    assertArrayEquals(inline, (byte[]) r.tryTake());
    assertArrayEquals(smallData, (byte[]) r.tryTake());
    assertArrayEquals(new long[] {dataBytes, smallData.length}, r.data().indices(), "data head follows the take");
    assertArrayEquals(largeData, (byte[]) r.tryTake());
    assertEquals(new SlotRing.SpillRef(ME, 9), r.tryTake());
    assertEquals(List.of(new SlotRing.SpillRef(ME, 9)), spills.claimed);
    assertArrayEquals(new long[] {dataBytes, dataBytes}, r.data().indices());
  }

  @Test
  void damagedSlotsAreTakenAsExceptionsAndFreeNoDataBytes() {
    ByteBuffer buf = queueFile(4);
    SlotRing r = ring(buf, 4);
    assertTrue(r.tryPut(message(0, 5), -1));
    assertTrue(r.tryPut(message(1, 5), -1));
    assertTrue(r.tryPut(message(2, 300), -1));
    assertTrue(r.tryPut(message(3, 5), -1));
    buf.putInt(QueueDescriptor.slotOffset(0, 4) + SlotDescriptor.TYPE_OFFSET, 7);
    buf.putInt(QueueDescriptor.slotOffset(1, 4) + SlotDescriptor.LENGTH_OFFSET, SlotDescriptor.INLINE_MAX + 1);
    buf.putLong(QueueDescriptor.slotOffset(2, 4) + SlotDescriptor.DATA_POSITION_OFFSET, -1L);
    IpcException bad = assertInstanceOf(IpcException.class, r.tryTake());
    assertEquals("message 0 of queue \"q\" in /ns is damaged (type 7, length 5); it is skipped", bad.getMessage());
    assertTrue(assertInstanceOf(IpcException.class, r.tryTake()).getMessage().contains("length 249"));
    assertInstanceOf(IpcException.class, r.tryTake());
    assertEquals(0L, r.data().indices()[1], "a damaged data slot frees no data bytes");
    assertArrayEquals(message(3, 5), (byte[]) r.tryTake(), "the others are intact");
    assertThrows(IpcException.class, () -> {
      assertTrue(r.tryPut(message(4, 5), -1));
      buf.putInt(QueueDescriptor.slotOffset(4, 4) + SlotDescriptor.TYPE_OFFSET, 0);
      r.snapshot(1);
    }, "a snapshot reports a damaged slot");
  }

  @Test
  void halfWrittenSlotOfADeadProducerIsOverwritten() {
    ByteBuffer buf = queueFile(4);
    SlotRing dying = ring(buf, 4, new FakeLiveness(DEAD), new FakeSpills());
    assertTrue(dying.tryPut(message(0, 3), -1));
    // the producer takes the lock and writes half a slot, then "dies": no publish, no release
    assertTrue(dying.producerLock().tryAcquireFree());
    int at = QueueDescriptor.slotOffset(1, 4);
    buf.putInt(at + SlotDescriptor.LENGTH_OFFSET, 100);
    buf.put(at + SlotDescriptor.PAYLOAD_OFFSET, new byte[] {6, 6, 6});

    SlotRing survivor = ring(buf, 4, new FakeLiveness(ME, DEAD), new FakeSpills());
    assertEquals(1, survivor.size(), "the half-written slot is not published");
    assertTrue(survivor.tryPut(message(1, 2), -1), "the dead producer's lock word is taken over");
    assertEquals(0L, survivor.producerLock().owner(), "released after the put");
    assertArrayEquals(message(0, 3), (byte[]) survivor.tryTake());
    assertArrayEquals(message(1, 2), (byte[]) survivor.tryTake(), "the half-written slot was overwritten");
  }

  @Test
  void consumerLockOfADeadConsumerIsTakenOverAndItsMessageKept() {
    ByteBuffer buf = queueFile(4);
    SlotRing dying = ring(buf, 4, new FakeLiveness(DEAD), new FakeSpills());
    assertTrue(dying.tryPut(message(0, 3), -1));
    assertTrue(dying.consumerLock().tryAcquireFree()); // dies mid-take, before freeing the slot
    SlotRing survivor = ring(buf, 4, new FakeLiveness(ME, DEAD), new FakeSpills());
    assertArrayEquals(message(0, 3), (byte[]) survivor.tryTake());
    assertEquals(0L, survivor.consumerLock().owner());
  }

  @Test
  void batchTakeTakesUpToItsMaximum() {
    SlotRing r = ring(queueFile(8), 8);
    for (int i = 0; i < 5; i++) {
      assertTrue(r.tryPut(message(i, 300 * (i % 2) + 1), -1));
    }
    List<Object> out = new ArrayList<>();
    r.takeBatch(out, 3);
    assertEquals(3, out.size());
    assertEquals(2, r.size());
    r.takeBatch(out, 10);
    assertEquals(5, out.size());
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(message(i, 300 * (i % 2) + 1), (byte[]) out.get(i));
    }
    long[] data = r.data().indices();
    assertEquals(data[0], data[1], "every data byte freed");
  }

  @Test
  void snapshotReadsWithoutTakingOrClaiming() {
    FakeSpills spills = new FakeSpills();
    SlotRing r = ring(queueFile(4), 4, new FakeLiveness(ME), spills);
    assertTrue(r.tryPut(message(0, 1), -1));
    assertTrue(r.tryPut(message(1, 1000), -1));
    assertTrue(r.tryPut(message(2, QueueDescriptor.DATA_MAX + 5), 1));
    List<byte[]> two = r.snapshot(2);
    assertEquals(2, two.size());
    assertArrayEquals(message(1, 1000), two.get(1));
    assertEquals(QueueDescriptor.DATA_MAX + 5, r.snapshot(3).get(2).length);
    assertTrue(spills.claimed.isEmpty(), "a snapshot claims no side file");
    assertEquals(3, r.size());
    assertArrayEquals(new long[] {3, 0}, r.indices());
  }

  @Test
  void clearTakesEverythingAndFreesTheDataArea() {
    SlotRing r = ring(queueFile(4), 4);
    assertTrue(r.tryPut(message(0, 1000), -1));
    assertTrue(r.tryPut(message(1, 1), -1));
    assertTrue(r.tryPut(message(2, 2000), -1));
    List<Object> all = new ArrayList<>();
    r.takeBatch(all, Integer.MAX_VALUE);
    assertEquals(3, all.size());
    assertEquals(0, r.size());
    assertArrayEquals(new long[] {3000, 3000}, r.data().indices());
  }

  @Test
  void spilledMessagesInTheRingAreListedForTheSweep() {
    SlotRing r = ring(queueFile(4), 4);
    assertTrue(r.tryPut(message(0, QueueDescriptor.DATA_MAX + 1), 5));
    assertTrue(r.tryPut(message(1, 1), -1));
    assertTrue(r.tryPut(message(2, QueueDescriptor.DATA_MAX + 1), 6));
    r.tryTake();
    Set<SlotRing.SpillRef> seen = new HashSet<>();
    assertTrue(r.withSpilled(seen::addAll, Deadline.FOREVER));
    assertEquals(Set.of(new SlotRing.SpillRef(ME, 6)), seen);
    assertEquals(0L, r.consumerLock().owner());
  }

  @Test
  void sweepGivesUpOnALiveConsumerAndTakesOverFromADeadOne() {
    ByteBuffer buf = queueFile(4);
    long other = 0x30001L;
    SlotRing holder = ring(buf, 4, new FakeLiveness(other), new FakeSpills());
    assertTrue(holder.tryPut(message(0, QueueDescriptor.DATA_MAX + 1), 7));
    assertTrue(holder.consumerLock().tryAcquireFree());  // a live consumer, mid-take
    SlotRing sweeper = ring(buf, 4, new FakeLiveness(ME), new FakeSpills());
    Set<SlotRing.SpillRef> seen = new HashSet<>();
    assertFalse(sweeper.withSpilled(seen::addAll, TimeUnit.MILLISECONDS.toNanos(20)), "the live holder keeps it");
    assertTrue(seen.isEmpty());
    assertEquals(other, sweeper.consumerLock().owner());

    SlotRing survivor = ring(buf, 4, new FakeLiveness(ME, other), new FakeSpills()); // the holder died
    assertTrue(survivor.withSpilled(seen::addAll, TimeUnit.MILLISECONDS.toNanos(20)));
    assertEquals(Set.of(new SlotRing.SpillRef(other, 7)), seen);
    assertEquals(0L, survivor.consumerLock().owner());
  }

  @Test
  void doneWordCountsTaskDoneUpToTheMessagesPut() {
    SlotRing r = ring(queueFile(4), 4);
    assertTrue(r.allDone());
    assertThrows(IllegalStateException.class, r::taskDone);
    assertTrue(r.tryPut(message(0, 1), -1));
    assertTrue(r.tryPut(message(1, 1), -1));
    assertFalse(r.allDone());
    assertFalse(r.taskDone(), "one of two");
    assertTrue(r.taskDone(), "the last one");
    assertTrue(r.allDone());
    IllegalStateException e = assertThrows(IllegalStateException.class, r::taskDone);
    assertEquals("taskDone() called more times than messages were put on queue \"q\": 2 put, 2 already done",
        e.getMessage());
  }
}
