package dev.ipckit.shm.value;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.SharedDouble;
import dev.ipckit.SharedDoubleArray;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedIntArray;
import dev.ipckit.SharedLong;
import dev.ipckit.SharedLongArray;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Values and arrays in one JVM: the AtomicLong vocabulary, bounds, doubles' bit semantics, threads. */
@Tag("unit")
class ValueTest {
  private Ipc ipc;

  @BeforeEach
  void open() {
    ipc = Ipc.temp();
  }

  @AfterEach
  void close() {
    ipc.close();
  }

  @Test
  void sharedLongSpeaksAtomicLong() {
    SharedLong v = ipc.sharedLong("v", 10);
    assertEquals(10, v.get());
    assertEquals(11, v.incrementAndGet());
    assertEquals(11, v.getAndIncrement());
    assertEquals(11, v.decrementAndGet());
    assertEquals(11, v.getAndAdd(5));
    assertEquals(26, v.addAndGet(10));
    assertTrue(v.compareAndSet(26, 100));
    assertFalse(v.compareAndSet(26, 0));
    assertEquals(100, v.getAndSet(-1));
    assertEquals(Long.MIN_VALUE, v.updateAndGet(x -> Long.MIN_VALUE));
    assertEquals(Long.MAX_VALUE, v.decrementAndGet(), "wraps like AtomicLong");
    v.set(7);
    assertEquals(7, v.get());
    assertEquals("SharedLong[\"v\"=7]", v.toString());
    assertEquals("v", v.name());
    assertEquals(10, ipc.sharedLong("fresh", 10).get());
    assertEquals(7, ipc.sharedLong("v", 12345).get(), "initial ignored: the value exists");
  }

  @Test
  void sharedIntSpeaksAtomicInteger() {
    SharedInt v = ipc.sharedInt("i", Integer.MAX_VALUE);
    assertEquals(Integer.MIN_VALUE, v.incrementAndGet());
    v.set(3);
    assertEquals(3, v.getAndIncrement());
    assertEquals(4, v.getAndDecrement());
    assertEquals(2, v.decrementAndGet());
    assertEquals(2, v.getAndAdd(3));
    assertEquals(6, v.addAndGet(1));
    assertTrue(v.compareAndSet(6, 60));
    assertEquals(60, v.getAndSet(1));
    assertEquals(2, v.updateAndGet(x -> x * 2));
    assertEquals(2, v.getAndUpdate(x -> x + 40));
    assertEquals(42, v.get());
  }

  @Test
  void sharedDoubleAddsWithoutLosingAndComparesBits() {
    SharedDouble d = ipc.sharedDouble("d", 1.5);
    assertEquals(1.5, d.get());
    assertEquals(1.5, d.getAndAdd(0.25));
    assertEquals(2.0, d.addAndGet(0.25));
    assertEquals(6.0, d.updateAndGet(x -> x * 3));
    assertEquals(6.0, d.getAndUpdate(Math::sqrt));
    assertEquals(Math.sqrt(6.0), d.getAndSet(Double.NaN));
    assertTrue(Double.isNaN(d.get()));
    assertTrue(d.compareAndSet(Double.NaN, 0.0), "compares raw bits: NaN equals the same NaN");
    assertFalse(d.compareAndSet(-0.0, 1.0), "compares raw bits: -0.0 is not 0.0");
    assertTrue(d.compareAndSet(0.0, Double.NEGATIVE_INFINITY));
    assertEquals(Double.NEGATIVE_INFINITY, d.get());
    d.set(Double.MIN_VALUE);
    assertEquals(Double.MIN_VALUE, d.get());
    assertEquals(0.0, ipc.sharedDouble("zero", 0).get());
  }

  @Test
  void arraysCheckIndicesAndKeepElementsApart() {
    SharedLongArray l = ipc.longArray("l", 4);
    SharedIntArray i = ipc.intArray("i", 3);
    SharedDoubleArray d = ipc.doubleArray("d", 2);
    assertArrayEquals(new long[4], l.toArray(), "zero-filled");
    for (int k = 0; k < 4; k++) {
      l.set(k, k + 100L);
    }
    assertEquals(103, l.getAndAdd(3, 1));
    assertEquals(105, l.addAndGet(3, 1));
    assertEquals(101, l.incrementAndGet(0));
    assertEquals(101, l.getAndIncrement(1));
    assertEquals(101, l.decrementAndGet(2));
    assertTrue(l.compareAndSet(2, 101, -5));
    assertEquals(-5, l.getAndSet(2, 0));
    assertEquals(10, l.updateAndGet(2, x -> x + 10));
    assertArrayEquals(new long[] {101, 102, 10, 105}, l.toArray());
    i.set(0, -1);
    assertEquals(-1, i.getAndIncrement(0));
    assertEquals(1, i.incrementAndGet(1));
    assertEquals(0, i.decrementAndGet(2) + 1);
    assertEquals(5, i.addAndGet(1, 4));
    assertEquals(5, i.getAndAdd(1, 1));
    assertEquals(6, i.getAndSet(1, 7));
    assertTrue(i.compareAndSet(1, 7, 8));
    assertEquals(16, i.updateAndGet(1, x -> x * 2));
    assertArrayEquals(new int[] {0, 16, -1}, i.toArray());
    d.set(1, 2.5);
    assertEquals(2.5, d.getAndAdd(1, 0.5));
    assertEquals(4.0, d.addAndGet(1, 1.0));
    assertTrue(d.compareAndSet(0, 0.0, 9.0));
    assertEquals(9.0, d.getAndSet(0, 1.0));
    assertEquals(0.5, d.updateAndGet(0, x -> x / 2));
    assertArrayEquals(new double[] {0.5, 4.0}, d.toArray());
    for (int bad : new int[] {-1, 4, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> l.get(bad));
      assertEquals("Index " + bad + " out of bounds for length 4", e.getMessage());
      assertThrows(IndexOutOfBoundsException.class, () -> l.set(bad, 1));
      assertThrows(IndexOutOfBoundsException.class, () -> l.getAndAdd(bad, 1));
      assertThrows(IndexOutOfBoundsException.class, () -> i.compareAndSet(bad, 0, 1));
      assertThrows(IndexOutOfBoundsException.class, () -> d.get(bad));
    }
    assertEquals(0, ipc.intArray("empty", 0).toArray().length);
    assertThrows(IndexOutOfBoundsException.class, () -> ipc.intArray("empty", 0).get(0));
  }

  @Test
  void getLockIsOneReentrantLockPerValue() throws Exception {
    SharedLong v = ipc.sharedLong("v", 0);
    IpcLock a = v.getLock();
    IpcLock b = ipc.sharedLong("v", 0).getLock();
    a.lock();
    assertTrue(b.isHeldByCurrentThread(), "the same lock through every handle of the value");
    assertTrue(a.tryLock(), "reentrant, like Python's Value.get_lock() (an RLock)");
    a.unlock();
    a.unlock();
    assertFalse(b.isLocked());
    assertFalse(ipc.sharedLong("w", 0).getLock().isHeldByCurrentThread());
    a.lock();
    java.util.concurrent.FutureTask<Boolean> other = new java.util.concurrent.FutureTask<>(() -> b.tryLock());
    new Thread(other, "other").start();
    assertFalse(other.get(10, TimeUnit.SECONDS), "another thread cannot take a value's held lock");
    a.unlock();
    assertSame(IllegalArgumentException.class, assertThrows(IllegalArgumentException.class,
        () -> ipc.lock("v@lock")).getClass(), "no user name reaches a value's lock");
  }

  @Test
  void threadsUpdateExactly() throws Exception {
    SharedInt i = ipc.sharedInt("i", 0);
    SharedDouble d = ipc.sharedDouble("d", 0);
    SharedLongArray a = ipc.longArray("a", 2);
    int threads = 4;
    int each = 50_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          go.await();
          for (int k = 0; k < each; k++) {
            i.incrementAndGet();
            d.addAndGet(1.0);
            a.getAndAdd(k & 1, 2);
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(threads * each, i.get());
    assertEquals(threads * each, d.get(), "a compareAndSet loop loses nothing");
    assertArrayEquals(new long[] {threads * each, threads * each}, a.toArray());
  }
}
