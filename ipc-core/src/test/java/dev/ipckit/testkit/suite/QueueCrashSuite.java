package dev.ipckit.testkit.suite;

import static dev.ipckit.testkit.Children.REAP;
import static dev.ipckit.testkit.Children.RUN;
import static dev.ipckit.testkit.Children.START;
import static dev.ipckit.testkit.Children.assertExitsOk;
import static dev.ipckit.testkit.Children.assertKilled;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcQueue;
import dev.ipckit.Task;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Producers and consumers of an {@link IpcQueue} killed with {@code kill -9}, whatever the backend: a message is
 * in the queue whole or not at all, nothing published is lost but what a killed consumer had taken, and
 * {@code join()} counts the tasks of a dead consumer as abandoned. Children coordinate through queues only. The
 * subclass names the backend, sets the size of the mid-stream rounds, and may check what the killed processes
 * must not leave behind.
 */
@Tag("crash")
public abstract class QueueCrashSuite {
  static final Duration JOIN = Duration.ofSeconds(30);
  static final Duration LONG = Duration.ofSeconds(120);
  static final byte[] STOP = QueueCodecs.message(-1, 8);

  @RegisterExtension
  final Children children = new Children();

  private final List<Ipc> opened = new ArrayList<>();

  /** A new namespace of the backend under test; the suite closes it after the test. */
  protected abstract Ipc newNamespace(String hint);

  /** Messages each producer puts in a round of {@link #killProducerAndConsumerMidStreamRepeatedly}. */
  protected int messagesPerProducer() {
    return 1_500;
  }

  /** Rounds of {@link #killProducerAndConsumerMidStreamRepeatedly}. */
  protected int rounds() {
    return 2;
  }

  /**
   * Checks what processes killed while using queue {@code q} must not leave behind in {@code ipc} once the
   * survivors are done (side files, ...); none by default.
   */
  protected void assertNothingLeftBehind(Ipc ipc, IpcQueue<byte[]> q) throws Exception {
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

  /**
   * Starts a child that runs {@code toThePoint}, says so on {@code points} and stays there until it is killed;
   * returns once it is there ({@link Crash#at} with a queue for the word).
   */
  private IpcProcess atPoint(IpcQueue<String> points, Task toThePoint) throws Exception {
    IpcProcess p = children.start(() -> {
      toThePoint.run();
      points.put("there");
      new CountDownLatch(1).await();            // at the point until SIGKILL
    });
    String[] there = new String[1];
    Await.retry(p + " to reach its crash point", START,
        () -> (there[0] = points.poll(10, TimeUnit.MILLISECONDS)) != null || !p.isAlive());
    if (there[0] == null && (there[0] = points.poll()) == null) {
      fail(p + " ended before its crash point, exit code " + p.exitCode() + " (1: the task threw, see above)");
    }
    return p;
  }

  @Test
  void consumerKilledAfterTakingThreeAndFinishingOneLeavesTwoAbandoned() throws Exception {
    Ipc ipc = ipc("abandoned");
    IpcQueue<String> q = ipc.queue("q", 10, Codec.string());
    IpcQueue<String> points = ipc.queue("points", 1, Codec.string());
    for (int i = 0; i < 3; i++) {
      q.put("m" + i);
    }
    IpcProcess consumer = atPoint(points, () -> {
      for (int i = 0; i < 3; i++) {
        q.take();
      }
      q.taskDone();
    });
    assertFalse(q.join(50, TimeUnit.MILLISECONDS), "the live consumer still owes two tasks");
    assertEquals(0, q.abandonedTasks());
    Crash.kill(consumer);
    assertTrue(q.join(JOIN.toMillis(), TimeUnit.MILLISECONDS), "join() counts the dead consumer's tasks as done");
    assertEquals(2, q.abandonedTasks());
    assertTrue(q.join(0, TimeUnit.NANOSECONDS));
    q.put("after");
    assertEquals("after", q.take(), "the queue goes on");
    assertFalse(q.join(0, TimeUnit.NANOSECONDS), "a live consumer's task is not abandoned");
    q.taskDone();
    assertTrue(q.join(0, TimeUnit.NANOSECONDS));
  }

  @Test
  void producerKilledWhilePuttingLargeMessagesLeavesOnlyWholeOnes() throws Exception {
    int size = 2 << 20;
    Ipc ipc = ipc("large");
    IpcQueue<byte[]> q = ipc.queue("big", 8, Codec.bytes());
    IpcQueue<Long> returned = ipc.queue("returned", 16, new QueueCodecs.Longs());
    // 16 puts into a queue of 8: the producer is alive when it is killed, sending a message or blocked in a put
    IpcProcess producer = children.start(() -> {
      for (long i = 0; i < 16; i++) {
        q.put(QueueCodecs.message(i, size));
        returned.put(i);
      }
    });
    Await.until("three puts to return", RUN, () -> returned.size() >= 3 || !producer.isAlive());
    Crash.kill(producer);                         // most likely while it sends the next one
    int k = returned.size();
    int n = q.size();
    assertTrue(n == k || n == k + 1, k + " puts returned, " + n + " messages in the queue");
    for (int i = 0; i < n; i++) {
      assertArrayEquals(QueueCodecs.message(i, size), q.poll(), "message " + i);
    }
    assertEquals(0, q.size());
    assertNothingLeftBehind(ipc, q);
  }

  /**
   * Two producers and two consumers, round after round on the same queue; in each, one producer and one consumer
   * are killed with {@code kill -9} mid-stream and the survivors finish. The killed consumer never marks a task
   * done, so its tasks, the messages it took, are exactly what {@code join()} counts as abandoned.
   *
   * <p>Accounting, per round: the killed producer P0 logs each put that returned ({@code k} of them), so it
   * published {@code k} or {@code k + 1} messages. The killed consumer C0 logs each message it takes; at most one
   * it took was not logged yet ({@code inFlight}, the abandoned tasks minus its log). The surviving consumer C1
   * reports what it saw. No message is seen twice or out of its producer's order, every message is whole, and the
   * published messages nobody saw are exactly C0's in-flight one, if any.
   */
  @Test
  void killProducerAndConsumerMidStreamRepeatedly() throws Exception {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    int perProducer = messagesPerProducer();
    Ipc ipc = ipc("midstream");
    IpcQueue<byte[]> q = ipc.queue("q", 500, Codec.bytes());
    for (int round = 0; round < rounds(); round++) {
      String where = "round " + round + " (seed " + seed + ")";
      IpcQueue<Long> p0log = ipc.queue("p0log" + round, perProducer + 1, new QueueCodecs.Longs());
      IpcQueue<Long> c0log = ipc.queue("c0log" + round, 2 * perProducer + 2, new QueueCodecs.Longs());
      IpcQueue<BitSet[]> c1seen = ipc.queue("c1seen" + round, 1, Codec.serializable());
      long abandonedBefore = q.abandonedTasks();

      // consumer 0 starts alone so that it surely takes part; consumer 1 joins once it has
      long killConsumerAfter = 1 + rnd.nextInt(perProducer / 10);
      long killProducerAt = 1 + rnd.nextInt(perProducer / 2);
      IpcProcess c0 = children.start(() -> consume(q, c0log));
      IpcProcess p0 = children.start(() -> produce(q, p0log, 0, perProducer));
      IpcProcess p1 = children.start(() -> produce(q, null, 1, perProducer));
      Await.until("consumer 0 to take " + killConsumerAfter + " in " + where, LONG,
          () -> c0log.size() >= killConsumerAfter || !c0.isAlive());
      IpcProcess c1 = children.start(() -> c1seen.put(consumeAndFinish(q)));
      Await.until("producer 0 to put " + killProducerAt + " in " + where, LONG,
          () -> p0log.size() >= killProducerAt || !p0.isAlive());
      p0.kill();
      LockSupport.parkNanos(rnd.nextInt(20_000_000)); // pacing: the consumer dies at some later instant
      c0.kill();
      assertKilled(p0, REAP);
      assertKilled(c0, REAP);

      assertExitsOk(p1, LONG);
      q.put(STOP);                                // after every published message: the queue is one FIFO
      assertExitsOk(c1, LONG);
      assertTrue(q.join(JOIN.toMillis(), TimeUnit.MILLISECONDS), "join() counts C0's tasks as done in " + where);

      int k = p0log.size();
      for (long i = 0; i < k; i++) {
        assertEquals(i, (long) p0log.poll(), "producer 0's log in " + where);
      }
      List<Long> c0took = new ArrayList<>();
      c0log.drainTo(c0took);
      BitSet[] seen = c1seen.poll(START.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(seen, "consumer 1's report in " + where);
      for (long id : c0took) {
        int p = (int) (id >>> 32);
        int seq = (int) id;
        assertFalse(seen[p].get(seq), "message " + seq + " of producer " + p + " taken twice in " + where);
        seen[p].set(seq);
      }
      assertEquals(c0took.size(), new HashSet<>(c0took).size(), "consumer 0 took a message twice in " + where);
      assertTrue(seen[0].length() <= k + 1, "producer 0 returned from " + k + " puts, yet its message "
          + (seen[0].length() - 1) + " was taken in " + where);
      long inFlight = q.abandonedTasks() - abandonedBefore - c0took.size();
      assertTrue(inFlight == 0 || inFlight == 1, "consumer 0 took " + (inFlight + c0took.size()) + ", logged "
          + c0took.size() + " in " + where);
      long unseen = (k - seen[0].get(0, k).cardinality()) + (perProducer - seen[1].cardinality());
      assertTrue(unseen == inFlight || unseen == 0 && inFlight == 1 && !seen[0].get(k),
          unseen + " published messages never seen, " + inFlight + " taken by consumer 0 unlogged in " + where);
      assertEquals(0, q.size());
      assertNothingLeftBehind(ipc, q);
      System.out.println("mid-stream kills, " + where + ": producer 0 returned from " + k + " of " + perProducer
          + " puts, consumer 0 took " + (c0took.size() + inFlight) + " (" + inFlight + " unlogged), consumer 1 "
          + (seen[0].cardinality() + seen[1].cardinality() - c0took.size()));
    }
  }

  /** Puts producer {@code p}'s messages; every 97th is 70,000 bytes, the others 64. Logs each put that returned. */
  static void produce(IpcQueue<byte[]> q, IpcQueue<Long> log, int p, int count) throws InterruptedException {
    long base = (long) p << 32;
    for (int i = 0; i < count; i++) {
      q.put(QueueCodecs.message(base | i, lengthOf(i)));
      if (log != null) {
        log.put((long) i);
      }
    }
  }

  static int lengthOf(int seq) {
    return seq % 97 == 0 ? 70_000 : 64;
  }

  /** Checks a message and its place in its producer's order; returns its producer and sequence number. */
  static long check(byte[] m, int[] last) {
    long id = QueueCodecs.id(m);
    int p = (int) (id >>> 32);
    int seq = (int) id;
    if (m.length != lengthOf(seq) || m[m.length - 1] != (byte) (id + m.length - 1)) {
      throw new AssertionError("damaged message " + seq + " of producer " + p + ": " + m.length + " bytes");
    }
    if (seq <= last[p]) {
      throw new AssertionError("message " + seq + " of producer " + p + " after " + last[p]);
    }
    last[p] = seq;
    return id;
  }

  /** The consumer that is killed: takes and logs, never marks a task done. */
  static void consume(IpcQueue<byte[]> q, IpcQueue<Long> log) throws InterruptedException {
    int[] last = {-1, -1};
    for (;;) {
      log.put(check(q.take(), last));
    }
  }

  /** The surviving consumer: takes until the stop message, marking each done; returns what it saw. */
  static BitSet[] consumeAndFinish(IpcQueue<byte[]> q) throws InterruptedException {
    BitSet[] seen = {new BitSet(), new BitSet()};
    int[] last = {-1, -1};
    for (;;) {
      byte[] m = q.take();
      q.taskDone();
      if (QueueCodecs.id(m) < 0) {
        return seen;
      }
      long id = check(m, last);
      int p = (int) (id >>> 32);
      int seq = (int) id;
      if (seen[p].get(seq)) {
        throw new AssertionError("message " + seq + " of producer " + p + " taken twice");
      }
      seen[p].set(seq);
    }
  }
}
