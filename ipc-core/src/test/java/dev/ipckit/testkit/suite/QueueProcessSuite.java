package dev.ipckit.testkit.suite;

import static dev.ipckit.testkit.Children.RUN;
import static dev.ipckit.testkit.Children.START;
import static dev.ipckit.testkit.Children.assertExitsOk;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.DecodeException;
import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcQueue;
import dev.ipckit.testkit.Children;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link IpcQueue} across real child JVMs, whatever the backend: blocking and timeouts, messages of every size,
 * codec failures, bad input, persistence, handles travelling to children, task accounting, and producer and
 * consumer processes exchanging many messages. Children coordinate through queues only. The subclass names the
 * backend, and may check what the backend must not leave behind.
 */
@Tag("process")
public abstract class QueueProcessSuite {
  @RegisterExtension
  final Children children = new Children();

  private final List<Ipc> opened = new ArrayList<>();

  /** A new namespace of the backend under test; the suite closes it after the test. */
  protected abstract Ipc newNamespace(String hint);

  /** Messages each producer puts in {@link #twoProducerAndTwoConsumerProcessesSeeEachMessageOnceInOrder}. */
  protected int stressMessagesPerProducer() {
    return 5_000;
  }

  /** Checks that queue {@code name}, now empty, left nothing behind in {@code ipc} (side files); none by default. */
  protected void assertNothingLeftBehind(Ipc ipc, String name) throws Exception {
  }

  /** {@link #newNamespace}, closed after the test. */
  protected final Ipc ipc(String hint) {
    Ipc ipc = newNamespace(hint);
    opened.add(ipc);
    return ipc;
  }

  @AfterEach
  void closeNamespaces() {
    for (Ipc ipc : opened) {
      ipc.close();
    }
    opened.clear();
  }

  private static long crc(byte[] b) {
    CRC32 c = new CRC32();
    c.update(b);
    return c.getValue();
  }

  private static byte[] random(int length, int seed) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void blockingPutOnFullAndTakeOnEmptyAcrossProcesses() throws Exception {
    Ipc ipc = ipc("blocking");
    IpcQueue<Long> q = ipc.queue("q", 2, new QueueCodecs.Longs());
    IpcQueue<Long> progress = ipc.queue("progress", 10, new QueueCodecs.Longs());
    // the child puts 5 into a queue of 2: it blocks until we take
    IpcProcess producer = children.start(() -> {
      for (long i = 0; i < 5; i++) {
        q.put(i);
        progress.put(i + 1);
      }
    });
    assertEquals(1L, progress.poll(RUN.toSeconds(), TimeUnit.SECONDS));
    assertEquals(2L, progress.poll(RUN.toSeconds(), TimeUnit.SECONDS));
    assertNull(progress.poll(100, TimeUnit.MILLISECONDS), "the third put must block on a full queue");
    assertEquals(2, q.size());
    assertEquals(0, q.remainingCapacity());
    for (long i = 0; i < 5; i++) {
      assertEquals(i, (long) q.poll(RUN.toSeconds(), TimeUnit.SECONDS));
    }
    assertExitsOk(producer, RUN);
    assertEquals(List.of(3L, 4L, 5L), new ArrayList<>(progress));
    progress.clear();

    // the child takes from an empty queue: it blocks until we put
    IpcProcess consumer = children.start(() -> {
      progress.put(-1L);
      progress.put(q.take());
    });
    assertEquals(-1L, progress.poll(RUN.toSeconds(), TimeUnit.SECONDS));
    assertNull(progress.poll(100, TimeUnit.MILLISECONDS), "take must block on an empty queue");
    q.put(42L);
    assertEquals(42L, progress.poll(RUN.toSeconds(), TimeUnit.SECONDS));
    assertExitsOk(consumer, RUN);
    assertTrue(q.isEmpty());
  }

  @Test
  void timeoutsAcrossProcesses() throws Exception {
    Ipc ipc = ipc("timeouts");
    IpcQueue<Long> q = ipc.queue("q", 1, new QueueCodecs.Longs());
    IpcQueue<Long> out = ipc.queue("out", 4, new QueueCodecs.Longs());
    IpcProcess child = children.start(() -> {
      long t0 = System.nanoTime();
      out.put(q.poll(200, TimeUnit.MILLISECONDS) == null ? 1L : 0L);
      out.put(System.nanoTime() - t0);
      q.put(7L);
      t0 = System.nanoTime();
      out.put(q.offer(8L, 200, TimeUnit.MILLISECONDS) ? 0L : 1L);
      out.put(System.nanoTime() - t0);
    });
    assertExitsOk(child, RUN);
    assertEquals(1L, out.poll(), "timed poll on an empty queue returns null");
    long waited = out.poll();
    assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(200), "waited only " + waited + " ns");
    assertEquals(1L, out.poll(), "timed offer on a full queue returns false");
    waited = out.poll();
    assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(200), "waited only " + waited + " ns");
    assertEquals(List.of(7L), new ArrayList<>(q));
  }

  @Test
  void messagesOfEverySizeTravelBothWaysWholeAndInOrder() throws Exception {
    Ipc ipc = ipc("sizes");
    IpcQueue<byte[]> q = ipc.queue("q", 12, Codec.bytes());
    IpcQueue<Long> crcs = ipc.queue("crcs", 1, new QueueCodecs.Longs());
    int[] sizes = {0, 1, 247, 248, 249, 250, 4096, 65_536, 65_537, 100_000, 3 << 20};
    byte[] down = random(4 << 20, 4);
    q.put(down);
    IpcProcess child = children.start(() -> {
      crcs.put(crc(q.take()));
      for (int s : sizes) {
        q.put(random(s, s));
      }
    });
    assertEquals(crc(down), (long) crcs.poll(RUN.toSeconds(), TimeUnit.SECONDS), "the child got the 4 MiB whole");
    for (int s : sizes) {
      assertArrayEquals(random(s, s), q.poll(RUN.toSeconds(), TimeUnit.SECONDS), "message of " + s + " bytes");
    }
    assertExitsOk(child, RUN);
    // peek, toArray and clear handle every size too
    q.put(random(100_000, 1));
    q.put(random(10, 2));
    assertArrayEquals(random(100_000, 1), q.peek());
    assertEquals(2, q.toArray().length);
    q.clear();
    assertTrue(q.isEmpty());
    assertNothingLeftBehind(ipc, "q");
  }

  @Test
  void codecFailureFailsOnlyThatCall() throws Exception {
    Ipc ipc = ipc("codec");
    IpcQueue<String> q = ipc.queue("q", 10, new QueueCodecs.Picky());
    q.put("a");
    IllegalArgumentException enc = assertThrows(IllegalArgumentException.class, () -> q.put("unencodable"));
    assertTrue(enc.getMessage().contains("cannot encode") && enc.getMessage().contains("\"q\""), enc.getMessage());
    q.put("poison");
    q.put("b");
    assertEquals(3, q.size());
    IpcProcess child = children.start(() -> {
      if (!q.take().equals("a")) {
        throw new AssertionError("first");
      }
      try {
        q.take();
        throw new AssertionError("poison decoded");
      } catch (IpcException expected) {
        if (!expected.getMessage().contains("cannot decode")) {
          throw expected;
        }
      }
      if (!q.take().equals("b")) {
        throw new AssertionError("third");
      }
    });
    assertExitsOk(child, RUN);
    assertTrue(q.isEmpty());
    // drainTo delivers the good ones around a bad one and then reports it
    q.put("c");
    q.put("poison");
    q.put("d");
    List<String> got = new ArrayList<>();
    DecodeException bad = assertThrows(DecodeException.class, () -> q.drainTo(got));
    assertEquals(List.of("c", "d"), got);
    assertEquals("poison", new String(bad.bytes(), StandardCharsets.UTF_8), "the dropped message's bytes");
    assertTrue(bad.getMessage().contains("\"q\""), bad.getMessage());
  }

  @Test
  void badInputsAndAFreshJvmFindsTheCapacity() throws Exception {
    Ipc ipc = ipc("bad");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ipc.queue("q", 0, Codec.bytes()));
    assertTrue(e.getMessage().contains("capacity=0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ipc.queue("q", -3, Codec.bytes()));
    assertTrue(e.getMessage().contains("capacity=-3"), e.getMessage());
    assertThrows(NullPointerException.class, () -> ipc.queue("q", 1, null));
    assertThrows(IllegalArgumentException.class, () -> ipc.queue("a/b", 1, Codec.bytes()));

    IpcQueue<byte[]> q = ipc.queue("q", 5, Codec.bytes());
    e = assertThrows(IllegalArgumentException.class, () -> ipc.queue("q", 7, Codec.bytes()));
    assertTrue(e.getMessage().contains("capacity 5") && e.getMessage().contains("7"), e.getMessage());
    assertThrows(NullPointerException.class, () -> q.put(null));
    q.put(new byte[] {5});
    q.close();
    q.close(); // harmless
    IllegalStateException closed = assertThrows(IllegalStateException.class, () -> q.offer(new byte[1]));
    assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    // a fresh JVM opening the namespace finds the capacity stored with the queue
    String where = ipc.location().toString();
    IpcProcess child = children.start(() -> {
      try (Ipc other = Ipc.open(URI.create(where))) {
        try {
          other.queue("q", 7, Codec.bytes());
          throw new AssertionError("reopened with another capacity");
        } catch (IllegalArgumentException expected) {
          if (!expected.getMessage().contains("capacity 5")) {
            throw expected;
          }
        }
        IpcQueue<byte[]> same = other.queue("q", 5, Codec.bytes());
        if (same.capacity() != 5 || same.poll()[0] != 5) {
          throw new AssertionError("capacity or message");
        }
      }
    });
    assertExitsOk(child, RUN);
  }

  @Test
  void messagesSurviveEveryProcessThatUsedThemAndAreFoundOnReopen() throws Exception {
    String where = ipc("kept").location().toString();
    IpcProcess child = children.start(() -> {
      try (Ipc other = Ipc.open(URI.create(where))) {
        IpcQueue<byte[]> q = other.queue("kept", 200, Codec.bytes());
        for (int i = 0; i < 100; i++) {
          q.put(QueueCodecs.message(i, i % 25 == 0 ? 5000 : 64));
        }
      }
    });
    assertExitsOk(child, RUN);
    try (Ipc again = Ipc.open(URI.create(where))) {
      IpcQueue<byte[]> q = again.queue("kept", 200, Codec.bytes());
      assertEquals(100, q.size());
      for (int i = 0; i < 100; i++) {
        assertArrayEquals(QueueCodecs.message(i, i % 25 == 0 ? 5000 : 64), q.poll());
      }
      assertNull(q.poll());
      assertNothingLeftBehind(again, "kept");
    }
  }

  @Test
  void handleTravelsToChildAndBack() throws Exception {
    Ipc ipc = ipc("travel");
    IpcQueue<String> q = ipc.queue("q", 3, Codec.string());
    IpcQueue<String> replies = ipc.queue("replies", 3, Codec.string());
    IpcProcess child = children.start(() -> replies.put(q.capacity() + ":" + q.take().toUpperCase()));
    q.put("hello");
    assertEquals("3:HELLO", replies.poll(RUN.toSeconds(), TimeUnit.SECONDS));
    assertExitsOk(child, RUN);
  }

  @Test
  void taskDoneAndJoinAcrossProcesses() throws Exception {
    Ipc ipc = ipc("join");
    IpcQueue<Long> q = ipc.queue("q", 4, new QueueCodecs.Longs());
    IpcQueue<Long> processed = ipc.queue("processed", 20, new QueueCodecs.Longs());
    q.join(); // nothing put yet
    IpcProcess worker = children.start(() -> {
      for (;;) {
        long v = q.take();
        if (v < 0) {
          q.taskDone();
          return;
        }
        processed.put(v);                            // the work, before its taskDone()
        q.taskDone();
      }
    });
    for (long i = 1; i <= 10; i++) {
      q.put(i);
    }
    CompletableFuture<Void> joined = CompletableFuture.runAsync(() -> {
      try {
        q.join();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      joined.get(RUN.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new AssertionError("join() did not return once every message was done", e);
    }
    assertEquals(10, processed.size(), "join() returned before every taskDone()");
    q.put(-1L);
    assertExitsOk(worker, RUN);
    assertEquals(0, q.abandonedTasks(), "the worker exited after marking every task done");
    IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
    assertTrue(e.getMessage().contains("more times than messages were put"), e.getMessage());
    // join waits while a message is not done
    q.put(5L);
    q.take();
    CompletableFuture<Void> pending = CompletableFuture.runAsync(() -> {
      try {
        q.join();
      } catch (InterruptedException ex) {
        throw new IllegalStateException(ex);
      }
    });
    assertThrows(TimeoutException.class, () -> pending.get(100, TimeUnit.MILLISECONDS));
    q.taskDone();
    pending.get(RUN.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * Two producer and two consumer processes: every message is seen exactly once, each producer's in the order it
   * put them. Each consumer checks the order itself and sends back which messages it saw.
   */
  @Test
  void twoProducerAndTwoConsumerProcessesSeeEachMessageOnceInOrder() throws Exception {
    int perProducer = stressMessagesPerProducer();
    Duration wait = Duration.ofSeconds(180);
    Ipc ipc = ipc("stress");
    IpcQueue<Long> q = ipc.queue("q", 1000, new QueueCodecs.Longs());
    IpcQueue<BitSet[]> seen = ipc.queue("seen", 2, Codec.serializable());
    IpcProcess[] consumers = new IpcProcess[2];
    for (int c = 0; c < 2; c++) {
      consumers[c] = children.start(() -> seen.put(consume(q)));
    }
    IpcProcess[] producers = new IpcProcess[2];
    for (int p = 0; p < 2; p++) {
      long base = (long) p << 32;
      producers[p] = children.start(() -> {
        for (int i = 0; i < perProducer; i++) {
          q.put(base | i);
        }
      });
    }
    for (IpcProcess p : producers) {
      assertExitsOk(p, wait);
    }
    q.put(-1L);                                      // one stop message per consumer, after everything else
    q.put(-1L);
    for (IpcProcess c : consumers) {
      assertExitsOk(c, wait);
    }
    BitSet[] a = seen.poll(START.toSeconds(), TimeUnit.SECONDS);
    BitSet[] b = seen.poll(START.toSeconds(), TimeUnit.SECONDS);
    assertNotNull(a);
    assertNotNull(b);
    for (int p = 0; p < 2; p++) {
      BitSet both = (BitSet) a[p].clone();
      both.and(b[p]);
      assertTrue(both.isEmpty(), "messages of producer " + p + " taken twice: " + both);
      BitSet all = (BitSet) a[p].clone();
      all.or(b[p]);
      assertEquals(perProducer, all.cardinality(), "messages of producer " + p + " seen");
      assertEquals(perProducer, all.nextClearBit(0), "messages of producer " + p + " seen");
    }
    assertEquals(0, q.size());
  }

  /** Takes until a stop message; fails on a message seen twice or out of its producer's order. */
  static BitSet[] consume(IpcQueue<Long> q) throws InterruptedException {
    BitSet[] seen = {new BitSet(), new BitSet()};
    int[] last = {-1, -1};
    for (;;) {
      long m = q.take();
      if (m < 0) {
        return seen;
      }
      int p = (int) (m >>> 32);
      int seq = (int) m;
      if (seq <= last[p] || seen[p].get(seq)) {
        throw new AssertionError("message " + seq + " of producer " + p + " after " + last[p]);
      }
      last[p] = seq;
      seen[p].set(seq);
    }
  }
}
