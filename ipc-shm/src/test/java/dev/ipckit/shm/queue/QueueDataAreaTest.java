package dev.ipckit.shm.queue;

import static dev.ipckit.shm.queue.QueueTesting.assertNoSideFiles;
import static dev.ipckit.testkit.Children.RUN;
import static dev.ipckit.testkit.Children.assertExitsOk;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcQueue;
import dev.ipckit.SharedLong;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import dev.ipckit.testkit.suite.QueueCodecs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages between the inline limit (248 bytes) and {@link QueueDescriptor#DATA_MAX} (64 KiB), which travel
 * through the queue's data area: mixed with inline and spilled ones across processes, wrapping around the end of
 * the area, filling it, and processes killed while copying into or out of it.
 */
@Tag("crash")
class QueueDataAreaTest {
  static final int[] SIZES = {8, 249, 1024, 8192, 60 * 1024, 64, 250, 4000, 65536, 200};
  static final int HUGE = 100_000;

  @RegisterExtension
  final Children children = new Children();

  static int sizeOf(int i) {
    return i % 50 == 49 ? HUGE : SIZES[i % SIZES.length];
  }

  @Test
  void mixedSizesFromTwoProducerProcessesArriveOnceInOrder() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      // a small capacity: the 1 MiB data area holds about 16 of the 60-64 KiB messages, so producers also wait
      // for data room, not only for slots
      IpcQueue<byte[]> q = ipc.queue("q", 32, Codec.bytes());
      int perProducer = 600;
      IpcProcess[] producers = new IpcProcess[2];
      for (int p = 0; p < producers.length; p++) {
        long base = (long) (p + 1) << 32;
        producers[p] = children.start(() -> {
          for (int i = 0; i < perProducer; i++) {
            q.put(QueueCodecs.message(base | i, sizeOf(i)));
          }
        });
      }
      Map<Long, Integer> next = new HashMap<>();
      for (int k = 0; k < 2 * perProducer; k++) {
        byte[] m = q.poll(60, TimeUnit.SECONDS);
        assertNotNull(m, "message " + k + " did not arrive");
        long id = QueueCodecs.id(m);
        long producer = id >>> 32;
        int i = (int) id;
        int expected = next.getOrDefault(producer, 0);
        assertEquals(expected, i, "order of producer " + producer);
        assertArrayEquals(QueueCodecs.message(id, sizeOf(i)), m, "content of message " + i + " of " + producer);
        next.put(producer, i + 1);
      }
      for (IpcProcess p : producers) {
        assertExitsOk(p, RUN);
      }
      assertNull(q.poll());
      assertNoSideFiles(ipc.dir(), "q");
      long[] data = ((ShmQueue<?>) q).ring().data().indices();
      assertEquals(data[0], data[1], "every data byte freed");
      assertTrue(data[0] > 2L * QueueDescriptor.dataLength(32), "the data area wrapped: " + data[0]);
    }
  }

  @Test
  void dataAreaWrapsAroundWithMessagesAcrossItsEnd() {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<byte[]> q = ipc.queue("q", 64, Codec.bytes());
      ShmQueue<?> s = (ShmQueue<?>) q;
      int length = QueueDescriptor.dataLength(64);
      Random rnd = new Random(42);
      int straddling = 0;
      long id = 0;
      while (s.ring().data().indices()[0] < 4L * length) {
        int burst = 1 + rnd.nextInt(10);
        long first = id;
        for (int i = 0; i < burst; i++, id++) {
          long pos = s.ring().data().indices()[0];
          int size = SlotDescriptor.INLINE_MAX + 1 + rnd.nextInt(QueueDescriptor.DATA_MAX - SlotDescriptor.INLINE_MAX);
          if (pos % length + size > length) {
            straddling++;
          }
          assertTrue(q.offer(QueueCodecs.message(id, size)));
        }
        for (long i = first; i < id; i++) {
          byte[] m = q.poll();
          assertNotNull(m);
          assertArrayEquals(QueueCodecs.message(i, m.length), m);
          assertEquals(i, QueueCodecs.id(m));
        }
      }
      assertTrue(straddling >= 3, "messages split across the end of the data area: " + straddling);
      assertNull(q.poll());
    }
  }

  @Test
  void fullDataAreaBlocksPutAndFailsOffer() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<byte[]> q = ipc.queue("q", 1000, Codec.bytes());
      int fill = QueueDescriptor.dataLength(1000) / QueueDescriptor.DATA_MAX;
      for (int i = 0; i < fill; i++) {
        assertTrue(q.offer(QueueCodecs.message(i, QueueDescriptor.DATA_MAX)), "message " + i);
      }
      assertEquals(1000 - fill, q.remainingCapacity(), "capacity still counts messages");
      assertFalse(q.offer(QueueCodecs.message(99, 1024)), "no data room for 1 KiB");
      assertFalse(q.offer(QueueCodecs.message(99, 249)), "no data room for 249 bytes");
      IllegalStateException full = assertThrows(IllegalStateException.class,
          () -> q.add(QueueCodecs.message(99, 4096)));
      assertTrue(full.getMessage().contains("data area"), full.getMessage());
      long t0 = System.nanoTime();
      assertFalse(q.offer(QueueCodecs.message(99, 8192), 100, TimeUnit.MILLISECONDS));
      assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(100), "the timed offer waited");
      // inline and spilled messages need no data room
      assertTrue(q.offer(QueueCodecs.message(1000, 100)));
      assertTrue(q.offer(QueueCodecs.message(1001, 100_000)));
      SharedLong started = ipc.sharedLong("started", 0);
      IpcProcess child = children.start(() -> {
        started.set(1);
        q.put(QueueCodecs.message(2000, 60 * 1024)); // blocks: no data room
        started.set(2);
      });
      Await.until("the child to start", RUN, () -> started.get() >= 1);
      // while the data area stays full the child's put cannot complete
      assertFalse(child.join(Duration.ofMillis(300)));
      assertEquals(1, started.get());
      assertEquals(fill + 2, q.size());
      assertArrayEquals(QueueCodecs.message(0, QueueDescriptor.DATA_MAX), q.take());
      assertExitsOk(child, RUN);
      for (int i = 1; i < fill; i++) {
        assertArrayEquals(QueueCodecs.message(i, QueueDescriptor.DATA_MAX), q.take());
      }
      assertArrayEquals(QueueCodecs.message(1000, 100), q.take());
      assertArrayEquals(QueueCodecs.message(1001, 100_000), q.take());
      assertArrayEquals(QueueCodecs.message(2000, 60 * 1024), q.take());
      assertNull(q.poll());
      assertNoSideFiles(ipc.dir(), "q");
    }
  }

  @Test
  void producerKilledWhileCopyingIntoTheDataAreaLeavesNothing() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<byte[]> q = ipc.queue("q", 1000, Codec.bytes());
      byte[] first = QueueCodecs.message(1, 5000);
      q.put(first);
      Crash child = Crash.at(children, ipc, () -> {
        ShmQueue<?> s = (ShmQueue<?>) q;
        ByteBuffer b = s.buffer();
        assertTrue(s.ring().producerLock().tryAcquireFree());
        // the worst instant: 40 of 64 KiB copied at data tail, the slot written, data tail already moved on,
        // the slot index not yet published
        long dt = s.ring().data().indices()[0];
        int at = QueueDescriptor.slotOffset(s.ring().indices()[0], 1000);
        int data = QueueDescriptor.dataOffset(1000) + (int) (dt % QueueDescriptor.dataLength(1000));
        b.put(data, new byte[40 * 1024]);
        b.putInt(at + SlotDescriptor.LENGTH_OFFSET, QueueDescriptor.DATA_MAX);
        b.putLong(at + SlotDescriptor.DATA_POSITION_OFFSET, dt);
        b.putInt(at + SlotDescriptor.TYPE_OFFSET, SlotDescriptor.TYPE_DATA);
        Mem.LONG.setRelease(b, QueueDescriptor.DATA_TAIL_OFFSET, dt + QueueDescriptor.DATA_MAX);
      });
      assertEquals(1, q.size());
      child.kill();
      byte[] second = QueueCodecs.message(2, 3000);
      assertTrue(q.offer(second), "the dead producer's lock is taken over");
      assertEquals(2, q.size());
      assertArrayEquals(first, q.poll());
      assertArrayEquals(second, q.poll());
      assertNull(q.poll(), "nothing of the half-written message");
      // the gap it left is not lost: an empty queue has the whole data area free
      int fill = QueueDescriptor.dataLength(1000) / QueueDescriptor.DATA_MAX;
      for (int i = 0; i < fill; i++) {
        assertTrue(q.offer(QueueCodecs.message(10 + i, QueueDescriptor.DATA_MAX)), "message " + i);
      }
      for (int i = 0; i < fill; i++) {
        assertArrayEquals(QueueCodecs.message(10 + i, QueueDescriptor.DATA_MAX), q.poll());
      }
    }
  }

  @Test
  void consumerKilledWhileCopyingOutOfTheDataAreaLeavesTheMessage() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<byte[]> q = ipc.queue("q", 16, Codec.bytes());
      byte[] first = QueueCodecs.message(1, 30_000);
      byte[] second = QueueCodecs.message(2, 1024);
      q.put(first);
      q.put(second);
      Crash child = Crash.at(children, ipc, () -> {
        ShmQueue<?> s = (ShmQueue<?>) q;
        ByteBuffer b = s.buffer();
        assertTrue(s.ring().consumerLock().tryAcquireFree());
        // half of the head message copied out, nothing freed
        byte[] half = new byte[15_000];
        b.get(QueueDescriptor.dataOffset(16), half);
      });
      child.kill();
      assertArrayEquals(first, q.poll());
      assertArrayEquals(second, q.poll());
      assertNull(q.poll());
      long[] data = ((ShmQueue<?>) q).ring().data().indices();
      assertEquals(data[0], data[1]);
    }
  }

  @Test
  void consumerKilledBetweenFreeingTheSlotAndItsBytesOnlyDelaysTheirReuse() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<byte[]> q = ipc.queue("q", 1000, Codec.bytes());
      q.put(QueueCodecs.message(1, QueueDescriptor.DATA_MAX));
      Crash child = Crash.at(children, ipc, () -> {
        ShmQueue<?> s = (ShmQueue<?>) q;
        ByteBuffer b = s.buffer();
        assertTrue(s.ring().consumerLock().tryAcquireFree());
        // the message taken (slot freed), its bytes not yet: data head stays behind
        Mem.LONG.setRelease(b, QueueDescriptor.HEAD_OFFSET, s.ring().indices()[1] + 1);
      });
      child.kill();
      assertTrue(q.isEmpty(), "the take had completed in the killed process");
      int fill = QueueDescriptor.dataLength(1000) / QueueDescriptor.DATA_MAX;
      // the dead consumer's 64 KiB still count as used: one message fewer fits
      for (int i = 0; i < fill - 1; i++) {
        assertTrue(q.offer(QueueCodecs.message(10 + i, QueueDescriptor.DATA_MAX)), "message " + i);
      }
      assertFalse(q.offer(QueueCodecs.message(99, QueueDescriptor.DATA_MAX)));
      assertArrayEquals(QueueCodecs.message(10, QueueDescriptor.DATA_MAX), q.poll());
      // taking the next data message frees its bytes and the dead consumer's
      assertTrue(q.offer(QueueCodecs.message(99, QueueDescriptor.DATA_MAX)));
      assertTrue(q.offer(QueueCodecs.message(100, QueueDescriptor.DATA_MAX)));
      for (int i = 1; i < fill - 1; i++) {
        assertArrayEquals(QueueCodecs.message(10 + i, QueueDescriptor.DATA_MAX), q.poll());
      }
      assertArrayEquals(QueueCodecs.message(99, QueueDescriptor.DATA_MAX), q.poll());
      assertArrayEquals(QueueCodecs.message(100, QueueDescriptor.DATA_MAX), q.poll());
      assertNull(q.poll());
      // and once the queue is empty the whole data area is free again
      for (int i = 0; i < fill; i++) {
        assertTrue(q.offer(QueueCodecs.message(200 + i, QueueDescriptor.DATA_MAX)), "message " + i);
      }
    }
  }

  @Test
  void aFileOfTheLayoutWithoutDataAreaIsRefusedByName(@TempDir Path dir) throws Exception {
    try (Ipc ipc = Ipc.open(dir)) {
      ipc.queue("q", 5, Codec.bytes()).put(new byte[] {1});
    }
    // what an earlier ipckit wrote in arg1: the slot length alone
    try (FileChannel ch = FileChannel.open(dir.resolve("q"), StandardOpenOption.WRITE)) {
      ByteBuffer arg1 = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
      arg1.putLong(0, SlotDescriptor.SLOT_LENGTH);
      ch.write(arg1, FileHeader.ARG1_OFFSET);
    }
    String d = dir.toString();
    IpcProcess child = children.start(() -> {
      try (Ipc ipc = Ipc.open(Path.of(d))) {
        try {
          ipc.queue("q", 5, Codec.bytes());
          throw new AssertionError("opened a queue file of another layout");
        } catch (IllegalArgumentException expected) {
          if (!expected.getMessage().contains("data area of 0 bytes")) {
            throw expected;
          }
        }
      }
    });
    assertExitsOk(child, RUN);
  }
}
