package dev.ipckit.testkit.suite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@link BlockingQueue} behaviour of {@link ArrayBlockingQueue} (after the JSR-166 TCK's
 * ArrayBlockingQueueTest and BlockingQueueTest), run over both {@code ArrayBlockingQueue}, the reference, and the
 * {@code IpcQueue} of the backend of the subclass's {@link #newNamespace}.
 */
@Tag("unit")
public abstract class QueueConformance {
  static final int SIZE = 20;
  static final long SHORT_MS = 50;
  static final long LONG_S = 20;

  private final List<AutoCloseable> resources = new ArrayList<>();

  /** The queues compared: the JDK's reference and the backend's. */
  public enum Impl {
    ArrayBlockingQueue, IpcQueue
  }

  /** A new namespace of the backend under test, which the suite closes after each test. */
  protected abstract Ipc newNamespace(String hint);

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : resources) {
      c.close();
    }
    resources.clear();
  }

  /** A new empty queue of {@code impl} and capacity {@code cap}. */
  private BlockingQueue<Integer> make(Impl impl, int cap) {
    if (impl == Impl.ArrayBlockingQueue) {
      return new ArrayBlockingQueue<>(cap);
    }
    Ipc ns = newNamespace("conformance");
    resources.add(ns);
    return ns.queue("q", cap, new QueueCodecs.Ints());
  }

  private BlockingQueue<Integer> populated(Impl impl, int n) {
    BlockingQueue<Integer> q = make(impl, SIZE);
    for (int i = 0; i < n; i++) {
      assertTrue(q.offer(i));
    }
    assertEquals(n == 0, q.isEmpty());
    assertEquals(SIZE - n, q.remainingCapacity());
    assertEquals(n, q.size());
    return q;
  }

  @ParameterizedTest(name = "{0}") @EnumSource(Impl.class)
  void emptyAndFull(Impl impl) {
    BlockingQueue<Integer> q = make(impl, 2);
    assertTrue(q.isEmpty());
    assertEquals(2, q.remainingCapacity());
    q.add(1);
    assertFalse(q.isEmpty());
    q.add(2);
    assertFalse(q.offer(3));
    assertEquals(0, q.remainingCapacity());
    assertThrows(IllegalStateException.class, () -> q.add(3));
    assertEquals(2, q.size());
  }

  /** As the JSR-166 TCK and Guava's testlib assert: {@code toString()} lists the elements, head first. */
  @ParameterizedTest(name = "{0}") @EnumSource(Impl.class)
  void toStringListsTheElementsAsEveryCollectionDoes(Impl impl) {
    BlockingQueue<Integer> q = make(impl, 4);
    assertEquals("[]", q.toString());
    q.add(3);
    q.add(1);
    q.add(2);
    assertEquals("[3, 1, 2]", q.toString());
    assertEquals(List.of(3, 1, 2).toString(), q.toString());
  }

  @ParameterizedTest(name = "{0}") @EnumSource(Impl.class)
  void remainingCapacityAndSize(Impl impl) {
    BlockingQueue<Integer> q = populated(impl, SIZE);
    for (int i = 0; i < SIZE; i++) {
      assertEquals(i, q.remainingCapacity());
      assertEquals(SIZE, q.size() + q.remainingCapacity());
      assertEquals(i, (int) q.remove());
    }
    for (int i = 0; i < SIZE; i++) {
      assertEquals(SIZE - i, q.remainingCapacity());
      assertEquals(SIZE, q.size() + q.remainingCapacity());
      assertTrue(q.add(i));
    }
  }

  @ParameterizedTest(name = "{0}") @EnumSource(Impl.class)
  void nullsRejected(Impl impl) {
    BlockingQueue<Integer> q = make(impl, SIZE);
    assertThrows(NullPointerException.class, () -> q.offer(null));
    assertThrows(NullPointerException.class, () -> q.add(null));
    assertThrows(NullPointerException.class, () -> q.put(null));
    assertThrows(NullPointerException.class, () -> q.offer(null, 1, TimeUnit.MILLISECONDS));
    assertThrows(NullPointerException.class, () -> q.addAll(Arrays.asList(1, null)));
    assertThrows(NullPointerException.class, () -> q.drainTo(null));
    assertThrows(NullPointerException.class, () -> q.drainTo(null, 1));
    assertThrows(IllegalArgumentException.class, () -> q.drainTo(q));
    assertThrows(IllegalArgumentException.class, () -> q.drainTo(q, 1));
    assertThrows(IllegalArgumentException.class, () -> q.addAll(q));
    assertFalse(q.contains(null));
  }

  @ParameterizedTest(name = "{0}") @EnumSource(Impl.class)
  void addAllBeyondCapacityThrows(Impl impl) {
    BlockingQueue<Integer> q = make(impl, 1);
    assertThrows(IllegalStateException.class, () -> q.addAll(List.of(1, 2, 3)));
    assertEquals(1, q.size());
  }

  @ParameterizedTest(name = "{0}") @EnumSource(Impl.class)
  void offerPollPeekElementRemoveFifo(Impl impl) {
    BlockingQueue<Integer> q = populated(impl, SIZE);
    for (int i = 0; i < SIZE; i++) {
      assertEquals(i, (int) q.peek());
      assertEquals(i, (int) q.element());
      assertEquals(i, (int) q.poll());
      assertTrue(q.peek() == null || q.peek() != i);
    }
    assertNull(q.poll());
    assertNull(q.peek());
    assertThrows(NoSuchElementException.class, q::element);
    assertThrows(NoSuchElementException.class, q::remove);
  }

  @ParameterizedTest(name = "{0}") @EnumSource(Impl.class)
  void putTakeFifo(Impl impl) throws InterruptedException {
    BlockingQueue<Integer> q = make(impl, SIZE);
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < SIZE; i++) {
        q.put(i);
      }
      assertEquals(0, q.remainingCapacity());
      for (int i = 0; i < SIZE; i++) {
        assertEquals(i, (int) q.take());
      }
    }
  }

  @ParameterizedTest(name = "{0}") @EnumSource(Impl.class)
  void timedOfferOnFullAndPollOnEmptyTimeOut(Impl impl) throws InterruptedException {
    BlockingQueue<Integer> q = make(impl, 2);
    assertNull(q.poll(0, TimeUnit.MILLISECONDS));
    long t0 = System.nanoTime();
    assertNull(q.poll(SHORT_MS, TimeUnit.MILLISECONDS));
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(SHORT_MS));
    q.put(0);
    q.put(1);
    assertFalse(q.offer(2, 0, TimeUnit.MILLISECONDS));
    t0 = System.nanoTime();
    assertFalse(q.offer(2, SHORT_MS, TimeUnit.MILLISECONDS));
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(SHORT_MS));
    assertEquals(0, (int) q.poll(LONG_S, TimeUnit.SECONDS));
    assertTrue(q.offer(2, LONG_S, TimeUnit.SECONDS));
    assertEquals(2, q.size());
  }

  @ParameterizedTest(name = "{0}") @EnumSource(Impl.class)
  void interruptStatusMakesBlockingCallsThrow(Impl impl) {
    BlockingQueue<Integer> q = make(impl, 1);
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, q::take);
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> q.poll(LONG_S, TimeUnit.SECONDS));
    q.add(1);
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> q.put(2));
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> q.offer(2, LONG_S, TimeUnit.SECONDS));
    assertFalse(Thread.interrupted());
    assertEquals(1, q.size());
  }

  @ParameterizedTest(name = "{0}") @EnumSource(Impl.class)
  void blockedPutAndTakeAreInterruptible(Impl impl) throws Exception {
    BlockingQueue<Integer> q = make(impl, 1);
    q.put(1);
    assertInterruptedWhileBlocked(() -> q.put(2));
    q.take();
    assertInterruptedWhileBlocked(q::take);
    assertInterruptedWhileBlocked(() -> q.poll(LONG_S, TimeUnit.SECONDS));
  }

  interface Blocking {
    void run() throws InterruptedException;
  }

  private static void assertInterruptedWhileBlocked(Blocking call) throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread t = new Thread(() -> {
      started.countDown();
      try {
        call.run();
        outcome.set(new AssertionError("returned instead of blocking"));
      } catch (Throwable e) {
        outcome.set(e);
      }
    });
    t.start();
    assertTrue(started.await(LONG_S, TimeUnit.SECONDS));
    // interrupt whenever it blocks: before or while waiting both must end in InterruptedException
    t.interrupt();
    t.join(TimeUnit.SECONDS.toMillis(LONG_S));
    assertFalse(t.isAlive(), "still blocked after interrupt");
    assertTrue(outcome.get() instanceof InterruptedException, "got " + outcome.get());
  }

  @ParameterizedTest(name = "{0}") @EnumSource(Impl.class)
  void blockedPutAndTakeResumeWhenOtherThreadMakesRoom(Impl impl) throws Exception {
    BlockingQueue<Integer> q = make(impl, 2);
    Thread producer = new Thread(() -> {
      try {
        for (int i = 0; i < 100; i++) {
          q.put(i);
        }
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    producer.start();
    for (int i = 0; i < 100; i++) {
      assertEquals(i, (int) q.poll(LONG_S, TimeUnit.SECONDS));
    }
    producer.join(TimeUnit.SECONDS.toMillis(LONG_S));
    assertFalse(producer.isAlive());
    assertTrue(q.isEmpty());
  }

  @ParameterizedTest(name = "{0}") @EnumSource(Impl.class)
  void drainToAll(Impl impl) {
    BlockingQueue<Integer> q = populated(impl, SIZE);
    List<Integer> l = new ArrayList<>();
    assertEquals(SIZE, q.drainTo(l));
    assertEquals(0, q.size());
    for (int i = 0; i < SIZE; i++) {
      assertEquals(i, (int) l.get(i));
    }
    q.add(0);
    q.add(1);
    assertFalse(q.isEmpty());
    l.clear();
    assertEquals(2, q.drainTo(l));
    assertEquals(List.of(0, 1), l);
    assertEquals(0, q.drainTo(l));
  }

  @ParameterizedTest(name = "{0}") @EnumSource(Impl.class)
  void drainToWithMaxElements(Impl impl) {
    BlockingQueue<Integer> q = make(impl, SIZE * 2);
    for (int i = -1; i < SIZE + 2; i++) {
      for (int j = 0; j < SIZE; j++) {
        assertTrue(q.offer(j));
      }
      List<Integer> l = new ArrayList<>();
      int expected = Math.max(0, Math.min(i, SIZE));
      assertEquals(expected, q.drainTo(l, i));
      assertEquals(expected, l.size());
      assertEquals(SIZE - expected, q.size());
      for (int j = 0; j < expected; j++) {
        assertEquals(j, (int) l.get(j));
      }
      q.clear();
      assertEquals(0, q.size());
    }
  }

  @ParameterizedTest(name = "{0}") @EnumSource(Impl.class)
  void containsToArrayIteratorAreSnapshotsInOrder(Impl impl) {
    BlockingQueue<Integer> q = populated(impl, SIZE);
    for (int i = 0; i < SIZE; i++) {
      assertTrue(q.contains(i));
    }
    assertFalse(q.contains(SIZE + 1));
    assertTrue(q.containsAll(List.of(0, 5, SIZE - 1)));
    Object[] a = q.toArray();
    Integer[] b = q.toArray(new Integer[0]);
    Integer[] expected = new Integer[SIZE];
    for (int i = 0; i < SIZE; i++) {
      expected[i] = i;
    }
    assertArrayEquals(expected, a);
    assertArrayEquals(expected, b);
    Iterator<Integer> it = q.iterator();
    for (int i = 0; i < SIZE; i++) {
      assertTrue(it.hasNext());
      assertEquals(i, (int) it.next());
    }
    assertFalse(it.hasNext());
    assertEquals(SIZE, q.size()); // nothing taken
    q.poll();
    q.poll();
    assertEquals(List.of(2, 3, 4), q.stream().limit(3).collect(java.util.stream.Collectors.toList()));
  }

  @ParameterizedTest(name = "{0}") @EnumSource(Impl.class)
  void clearEmpties(Impl impl) {
    BlockingQueue<Integer> q = populated(impl, SIZE);
    q.clear();
    assertTrue(q.isEmpty());
    assertEquals(0, q.size());
    assertEquals(SIZE, q.remainingCapacity());
    q.add(1);
    assertFalse(q.isEmpty());
    q.clear();
    assertTrue(q.isEmpty());
  }

  @ParameterizedTest(name = "{0}") @EnumSource(Impl.class)
  void wrapsAroundManyTimes(Impl impl) {
    BlockingQueue<Integer> q = make(impl, 3);
    int next = 0;
    int expect = 0;
    for (int round = 0; round < 1000; round++) {
      while (q.offer(next)) {
        next++;
      }
      for (int k = round % 3; k >= 0; k--) {
        assertEquals(expect++, (int) q.poll());
      }
    }
    while (!q.isEmpty()) {
      assertEquals(expect++, (int) q.poll());
    }
    assertEquals(next, expect);
  }

  @ParameterizedTest(name = "{0}") @EnumSource(Impl.class)
  void hugeTimeoutsMeanWaitingNotOverflow(Impl impl) throws Exception {
    BlockingQueue<Integer> q = make(impl, 1);
    assertTrue(q.offer(1, Long.MAX_VALUE, TimeUnit.DAYS));
    assertEquals(1, (int) q.poll(Long.MAX_VALUE, TimeUnit.NANOSECONDS));
    AtomicReference<Object> got = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        got.set(q.poll(Long.MAX_VALUE, TimeUnit.NANOSECONDS));
      } catch (InterruptedException e) {
        got.set(e);
      }
    });
    t.start();
    q.put(5);
    t.join(TimeUnit.SECONDS.toMillis(LONG_S));
    assertFalse(t.isAlive());
    assertEquals(5, got.get(), "poll with a huge timeout must wait for the element");
    q.put(6);
    Thread p = new Thread(() -> {
      try {
        got.set(q.offer(7, Long.MAX_VALUE, TimeUnit.NANOSECONDS));
      } catch (InterruptedException e) {
        got.set(e);
      }
    });
    p.start();
    assertEquals(6, (int) q.take());
    p.join(TimeUnit.SECONDS.toMillis(LONG_S));
    assertFalse(p.isAlive());
    assertEquals(Boolean.TRUE, got.get(), "offer with a huge timeout must wait for room");
    assertEquals(7, (int) q.take());
  }
}
