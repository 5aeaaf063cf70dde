package dev.ipckit.shm.queue;

import static dev.ipckit.shm.queue.QueueTesting.assertNoSideFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcQueue;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import dev.ipckit.testkit.suite.QueueCodecs;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Processes killed at the worst instants, made deterministic: inside the producer's critical section with a slot
 * half written, inside the consumer's, and after a consumer claimed a side file but before it freed the slot.
 * The survivors go on at once (the dead process's lock word is taken over), see no half-written message and lose
 * nothing.
 */
@Tag("crash")
class QueueRecoveryTest {
  /** Generous against a loaded machine; without recovery the survivor would wait forever. */
  static final long RECOVERY_BOUND_MS = 1_000;

  @RegisterExtension
  final Children children = new Children();

  /** Kills {@code child} (returns once it is reaped) and times {@code survivor}, run after it. */
  private static long killAndTime(Crash child, Runnable survivor) throws InterruptedException {
    child.kill();
    long t0 = System.nanoTime();
    survivor.run();
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  @Test
  void producerKilledInsideItsCriticalSectionLeavesNothingAndBlocksNobody() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<byte[]> q = ipc.queue("q", 4, Codec.bytes());
      q.put(new byte[] {1});
      Crash child = Crash.at(children, ipc, () -> {
        ShmQueue<?> s = (ShmQueue<?>) q;
        ByteBuffer b = s.buffer();
        assertTrue(s.ring().producerLock().tryAcquireFree());
        // half a message in the next slot: length and a few bytes, never published
        int at = QueueDescriptor.slotOffset(s.ring().indices()[0], 4);
        b.putInt(at + SlotDescriptor.LENGTH_OFFSET, 100);
        b.put(at + SlotDescriptor.PAYLOAD_OFFSET, new byte[] {6, 6, 6});
      });
      assertEquals(1, q.size());
      long ms = killAndTime(child, () -> assertTrue(q.offer(new byte[] {2})));
      assertTrue(ms < RECOVERY_BOUND_MS, "the survivor waited " + ms + " ms for the dead producer's lock");
      System.out.println("producer lock taken over from a killed process in " + ms + " ms");
      assertArrayEquals(new byte[] {1}, q.poll());
      assertArrayEquals(new byte[] {2}, q.poll());
      assertNull(q.poll());
    }
  }

  @Test
  void consumerKilledInsideItsCriticalSectionLeavesTheMessage() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<byte[]> q = ipc.queue("q", 4, Codec.bytes());
      q.put(new byte[] {1});
      q.put(new byte[] {2});
      Crash child = Crash.at(children, ipc, () -> {
        ShmQueue<?> s = (ShmQueue<?>) q;
        assertTrue(s.ring().consumerLock().tryAcquireFree());
      });
      long ms = killAndTime(child, () -> assertArrayEquals(new byte[] {1}, q.poll()));
      assertTrue(ms < RECOVERY_BOUND_MS, "the survivor waited " + ms + " ms for the dead consumer's lock");
      System.out.println("consumer lock taken over from a killed process in " + ms + " ms");
      assertArrayEquals(new byte[] {2}, q.poll());
      assertNull(q.poll());
    }
  }

  @Test
  void consumerKilledAfterClaimingASideFileLeavesTheMessage() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<byte[]> q = ipc.queue("q", 4, Codec.bytes());
      byte[] big = QueueCodecs.message(77, 100_000);
      q.put(big);
      q.put(new byte[] {3});
      String dir = ipc.dir().toString();
      Crash child = Crash.at(children, ipc, () -> {
        ShmQueue<?> s = (ShmQueue<?>) q;
        assertTrue(s.ring().consumerLock().tryAcquireFree());
        // what a consumer does first with a spilled message: rename its side file to itself
        try (Stream<Path> files = Files.list(Path.of(dir))) {
          List<Path> spills = files.filter(f -> f.getFileName().toString().startsWith("q@spill-"))
              .collect(Collectors.toList());
          assertEquals(1, spills.size());
          Path f = spills.get(0);
          String rest = f.getFileName().toString().substring("q@spill-".length());
          Files.move(f, f.resolveSibling("q@taken-" + rest + "-" + Long.toHexString(s.ns.liveness().token())));
        }
      });
      assertFalse(QueueTesting.sideFiles(ipc.dir(), "q").get(0).startsWith("q@spill-"));
      long ms = killAndTime(child, () -> assertArrayEquals(big, q.poll()));
      assertTrue(ms < RECOVERY_BOUND_MS, "the survivor waited " + ms + " ms");
      assertArrayEquals(new byte[] {3}, q.poll());
      assertNoSideFiles(ipc.dir(), "q");
    }
  }
}
