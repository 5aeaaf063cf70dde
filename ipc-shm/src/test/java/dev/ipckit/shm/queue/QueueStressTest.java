package dev.ipckit.shm.queue;

import static dev.ipckit.testkit.Children.assertExitsOk;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcQueue;
import dev.ipckit.SharedIntArray;
import dev.ipckit.SharedLongArray;
import dev.ipckit.testkit.Children;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two producer and two consumer processes, a million messages each producer: every one seen exactly once, in order. */
@Tag("process")
class QueueStressTest {
  static final int PRODUCERS = 2;
  static final int CONSUMERS = 2;
  static final int PER_PRODUCER = 1_000_000;
  static final Duration LONG = Duration.ofSeconds(180);

  @RegisterExtension
  final Children children = new Children();

  @Test
  void twoByTwoProcessesEachMessageExactlyOnceInProducerOrder() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcQueue<Long> q = ipc.queue("q", 1000, new QueueCodecs.Longs());
      SharedIntArray seen = ipc.intArray("seen", PRODUCERS * PER_PRODUCER);
      // per consumer: messages taken, order violations
      SharedLongArray stats = ipc.longArray("stats", CONSUMERS * 2);
      IpcProcess[] consumers = new IpcProcess[CONSUMERS];
      for (int c = 0; c < CONSUMERS; c++) {
        int me = c;
        consumers[c] = children.start(() -> consume(q, seen, stats, me));
      }
      IpcProcess[] producers = new IpcProcess[PRODUCERS];
      for (int p = 0; p < PRODUCERS; p++) {
        long base = (long) p << 32;
        producers[p] = children.start(() -> {
          for (int i = 0; i < PER_PRODUCER; i++) {
            q.put(base | i);
          }
        });
      }
      for (IpcProcess p : producers) {
        assertExitsOk(p, LONG);
      }
      for (int c = 0; c < CONSUMERS; c++) {
        q.put(-1L); // one stop message per consumer, after everything else
      }
      for (IpcProcess c : consumers) {
        assertExitsOk(c, LONG);
      }
      long taken = 0;
      for (int c = 0; c < CONSUMERS; c++) {
        taken += stats.get(2 * c);
        assertEquals(0, stats.get(2 * c + 1), "consumer " + c + " saw a producer's messages out of order");
      }
      assertEquals((long) PRODUCERS * PER_PRODUCER, taken);
      int[] counts = seen.toArray();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] != 1) {
          throw new AssertionError("message " + (i % PER_PRODUCER) + " of producer " + (i / PER_PRODUCER)
              + " was seen " + counts[i] + " times");
        }
      }
      assertEquals(0, q.size());
    }
  }

  static void consume(IpcQueue<Long> q, SharedIntArray seen, SharedLongArray stats, int me)
      throws InterruptedException {
    long[] last = new long[PRODUCERS];
    java.util.Arrays.fill(last, -1);
    long n = 0;
    long disorder = 0;
    for (;;) {
      long m = q.take();
      if (m < 0) {
        break;
      }
      int p = (int) (m >>> 32);
      int seq = (int) m;
      if (seq <= last[p]) {
        disorder++;
      }
      last[p] = seq;
      seen.getAndAdd(p * PER_PRODUCER + seq, 1);
      n++;
    }
    stats.set(2 * me, n);
    stats.set(2 * me + 1, disorder);
  }
}
