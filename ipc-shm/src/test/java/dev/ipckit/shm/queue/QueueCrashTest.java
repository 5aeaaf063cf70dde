package dev.ipckit.shm.queue;

import static dev.ipckit.shm.queue.QueueTesting.assertNoSideFiles;
import static dev.ipckit.testkit.Children.REAP;
import static dev.ipckit.testkit.Children.assertExitsOk;
import static dev.ipckit.testkit.Children.assertKilled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcQueue;
import dev.ipckit.SharedIntArray;
import dev.ipckit.SharedLongArray;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGKILL a producer and a consumer mid-stream, round after round on the same queue; the survivors finish and
 * every message is accounted for exactly.
 *
 * <p>Accounting, per round: the killed producer P0 reports {@code k}, the number of its puts that returned; the
 * queue's tail says how many messages were really published, so P0 published {@code k + e} with {@code e} 0 or 1
 * (killed after its last put published, before it reported). Consumers record each message they take. The
 * killed consumer can hold at most one message that it took (slot freed) but had not recorded, so: no message is
 * recorded twice, nothing outside the published set is recorded, and the published messages never recorded are
 * exactly {@code taken - recorded}, which is 0 or 1.
 */
@Tag("crash")
class QueueCrashTest {
  static final int ROUNDS = 5;
  static final int PER_PRODUCER = 200_000;
  static final Duration LONG = Duration.ofSeconds(120);
  static final byte[] STOP = QueueCodecs.message(-1, 8);

  @RegisterExtension
  final Children children = new Children();

  @Test
  void killProducerAndConsumerMidStreamRepeatedly() throws Exception {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<byte[]> q = ipc.queue("q", 500, Codec.bytes());
      rounds(ipc, q, rnd, seed);
    }
  }

  private void rounds(Ipc ipc, IpcQueue<byte[]> q, Random rnd, long seed) throws Exception {
    ShmQueue<?> shm = (ShmQueue<?>) q;
    for (int round = 0; round < ROUNDS; round++) {
      String where = "round " + round + " (seed " + seed + ")";
      SharedIntArray seen = ipc.intArray("seen" + round, 2 * PER_PRODUCER);
      // [0], [1]: puts returned per producer; [2], [3]: messages recorded per consumer; [4], [5]: disorder
      SharedLongArray stats = ipc.longArray("stats" + round, 6);
      long[] before = shm.ring().indices();

      // consumer 0 starts alone so that it surely takes part; consumer 1 joins once it has
      long killConsumerAfter = 1 + rnd.nextInt(20_000);
      long killProducerAt = killConsumerAfter + rnd.nextInt(PER_PRODUCER / 2);
      IpcProcess c0 = children.start(() -> consume(q, seen, stats, 0));
      IpcProcess p0 = children.start(() -> produce(q, stats, 0));
      IpcProcess p1 = children.start(() -> produce(q, stats, 1));
      Await.until("consumer 0 to record " + killConsumerAfter + " in " + where, LONG,
          () -> stats.get(2) >= killConsumerAfter);
      IpcProcess c1 = children.start(() -> consume(q, seen, stats, 1));
      Await.until("producer 0 to put " + killProducerAt + " in " + where, LONG, () -> stats.get(0) >= killProducerAt);
      p0.kill();
      LockSupport.parkNanos(rnd.nextInt(20_000_000)); // pacing: the consumer dies at some later instant
      c0.kill();
      assertKilled(p0, REAP);
      assertKilled(c0, REAP);

      assertExitsOk(p1, LONG);
      q.put(STOP); // after every published message: the queue is one FIFO
      assertExitsOk(c1, LONG);

      long[] after = shm.ring().indices();
      long published = after[0] - before[0] - 1;
      long taken = after[1] - before[1] - 1;
      assertEquals(published, taken, "the surviving consumer drained the queue in " + where);
      long k = stats.get(0);
      long e = published - k - PER_PRODUCER;
      assertTrue(e == 0 || e == 1, "producer 0 reported " + k + " puts but " + (published - PER_PRODUCER)
          + " were published in " + where);
      assertEquals(0, stats.get(4) + stats.get(5), "a consumer saw a producer's messages out of order in " + where);

      int[] counts = seen.toArray();
      long recorded = 0;
      long unrecorded = 0;
      for (int i = 0; i < counts.length; i++) {
        int p = i / PER_PRODUCER;
        int seq = i % PER_PRODUCER;
        boolean wasPublished = p == 1 || seq < k + e;
        if (counts[i] > 1 || (counts[i] == 1 && !wasPublished)) {
          throw new AssertionError("message " + seq + " of producer " + p + " recorded " + counts[i]
              + " times (published: " + wasPublished + ") in " + where);
        }
        recorded += counts[i];
        if (wasPublished && counts[i] == 0) {
          unrecorded++;
        }
      }
      long inFlight = taken - recorded;
      assertTrue(inFlight == 0 || inFlight == 1, "taken " + taken + ", recorded " + recorded + " in " + where);
      assertEquals(inFlight, unrecorded, "published messages never recorded in " + where);

      shm.sweepOrphans(); // side files of the killed producer (spilled, never published) go
      assertNoSideFiles(ipc.dir(), "q");
      assertEquals(0, q.size());
    }
  }

  /** Every 997th message is 600 bytes, so that it goes through a side file. */
  static void produce(IpcQueue<byte[]> q, SharedLongArray stats, int p) throws InterruptedException {
    long base = (long) p << 32;
    for (int i = 0; i < PER_PRODUCER; i++) {
      q.put(QueueCodecs.message(base | i, i % 997 == 0 ? 600 : 64));
      stats.set(p, i + 1);
    }
  }

  static void consume(IpcQueue<byte[]> q, SharedIntArray seen, SharedLongArray stats, int c)
      throws InterruptedException {
    long[] last = {-1, -1};
    for (;;) {
      byte[] m = q.take();
      long id = QueueCodecs.id(m);
      if (id < 0) {
        return;
      }
      int p = (int) (id >>> 32);
      int seq = (int) id;
      if (m.length != (seq % 997 == 0 ? 600 : 64) || m[m.length - 1] != (byte) (id + m.length - 1)) {
        throw new AssertionError("damaged message " + seq + " of producer " + p + ": " + m.length + " bytes");
      }
      if (seq <= last[p]) {
        stats.getAndAdd(4 + c, 1);
      }
      last[p] = seq;
      seen.getAndAdd(p * PER_PRODUCER + seq, 1);
      stats.getAndAdd(2 + c, 1);
    }
  }
}
