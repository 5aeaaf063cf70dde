package dev.ipckit.shm.queue;

import static dev.ipckit.shm.queue.QueueTesting.assertNoSideFiles;
import static dev.ipckit.testkit.Children.RUN;
import static dev.ipckit.testkit.Children.assertExitsOk;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcQueue;
import dev.ipckit.SharedLongArray;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the shared-memory queue has, across real child JVMs: 64 MiB messages through side files, the capacity
 * a file can hold, kinds told apart by file header, and the sweep of a killed producer's side file. The rest is in
 * {@link dev.ipckit.testkit.suite.QueueProcessSuite} ({@link ShmQueueProcessTest}).
 */
@Tag("crash")
class QueueProcessTest {
  @RegisterExtension
  final Children children = new Children();

  private static long crc(byte[] b) {
    CRC32 c = new CRC32();
    c.update(b);
    return c.getValue();
  }

  private static byte[] big(int length, int seed) {
    byte[] b = new byte[length];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void sixtyFourMiBMessagesBothWays() throws Exception {
    int len = 64 << 20;
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<byte[]> q = ipc.queue("big", 2, Codec.bytes());
      SharedLongArray out = ipc.longArray("out", 2);
      byte[] m = big(len, 1);
      q.put(m);
      q.put(new byte[] {1, 2, 3});
      IpcProcess child = children.start(IpcProcess.builder().jvmOptions("-Xmx400m"), () -> {
        byte[] got = q.take();
        out.set(0, got.length == len ? crc(got) : -got.length);
        out.set(1, Arrays.equals(q.take(), new byte[] {1, 2, 3}) ? 1 : 0);
        q.put(big(len, 2));
      });
      assertExitsOk(child, RUN);
      assertEquals(crc(m), out.get(0));
      assertEquals(1, out.get(1));
      byte[] back = q.take();
      assertEquals(len, back.length);
      assertArrayEquals(big(len, 2), back);
      assertNoSideFiles(ipc.dir(), "big");
    }
  }

  @Test
  void capacityBeyondTheFileLimitAndAnotherKindAreRefusedByName() {
    try (Ipc ipc = Ipc.temp()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ipc.queue("q", Integer.MAX_VALUE, Codec.bytes()));
      assertTrue(e.getMessage().contains("capacity=" + Integer.MAX_VALUE), e.getMessage());
      ipc.queue("q", 5, Codec.bytes());
      ipc.sharedLong("v", 1);
      e = assertThrows(IllegalArgumentException.class, () -> ipc.queue("v", 5, Codec.bytes()));
      assertTrue(e.getMessage().contains("SharedLong") && e.getMessage().contains("queue"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> ipc.sharedLong("q", 0));
      assertTrue(e.getMessage().contains("queue"), e.getMessage());
    }
  }

  @Test
  void sideFileOfAKilledProducerIsSweptOnReopen(@TempDir Path dir) throws Exception {
    try (Ipc ipc = Ipc.open(dir)) {
      IpcQueue<byte[]> q = ipc.queue("q", 1, Codec.bytes());
      q.put(new byte[] {9});
      SharedLongArray progress = ipc.longArray("progress", 1);
      // the child spills a large message, then blocks in put on the full queue; we kill it there
      IpcProcess child = children.start(() -> {
        progress.set(0, 1);
        q.put(new byte[1 << 20]);
      });
      Await.retry("the child's side file", RUN,
          () -> QueueTesting.sideFiles(dir, "q").size() == 1 && progress.get(0) == 1);
      Crash.kill(child);
      assertFalse(QueueTesting.sideFiles(dir, "q").isEmpty());
    }
    try (Ipc ipc = Ipc.open(dir)) {
      IpcQueue<byte[]> q = ipc.queue("q", 1, Codec.bytes());
      assertNoSideFiles(dir, "q");
      assertEquals(1, q.size());
      assertArrayEquals(new byte[] {9}, q.take());
      assertTrue(Files.isDirectory(dir));
    }
  }
}
