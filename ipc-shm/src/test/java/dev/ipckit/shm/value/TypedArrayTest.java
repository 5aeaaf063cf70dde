package dev.ipckit.shm.value;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.SharedBooleanArray;
import dev.ipckit.SharedByteArray;
import dev.ipckit.SharedDoubleArray;
import dev.ipckit.SharedFloatArray;
import dev.ipckit.SharedIntArray;
import dev.ipckit.SharedLongArray;
import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.Mem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The array types with initial contents, the byte, float and boolean arrays, and the bulk {@code get} and {@code
 * set} of every array type, in one JVM: contents seen through a second namespace instance, bounds, bit semantics,
 * neighbouring bytes updated by racing threads.
 */
@Tag("unit")
class TypedArrayTest {
  @TempDir
  Path dir;

  @Test
  void initialContentsAreWrittenByTheCreatorAndSeenByASecondOpen() {
    try (Ipc a = Ipc.open(dir); Ipc b = Ipc.open(dir)) {
      a.intArray("i", new int[] {1, -2, 3});
      a.longArray("l", new long[] {Long.MIN_VALUE, 7});
      a.doubleArray("d", new double[] {1.0, 2.0});
      a.byteArray("b", new byte[] {-128, 0, 127, 5, 6});
      a.floatArray("f", new float[] {0.5f, -0.0f});
      a.booleanArray("z", new boolean[] {true, false, true});
      assertArrayEquals(new int[] {1, -2, 3}, b.intArray("i", 3).toArray());
      assertArrayEquals(new long[] {Long.MIN_VALUE, 7}, b.longArray("l", 2).toArray());
      assertArrayEquals(new double[] {1.0, 2.0}, b.doubleArray("d", 2).toArray());
      assertArrayEquals(new byte[] {-128, 0, 127, 5, 6}, b.byteArray("b", 5).toArray());
      assertArrayEquals(new float[] {0.5f, -0.0f}, b.floatArray("f", 2).toArray());
      assertArrayEquals(new boolean[] {true, false, true}, b.booleanArray("z", 3).toArray());
    }
    try (Ipc later = Ipc.open(dir)) {
      assertArrayEquals(new double[] {1.0, 2.0}, later.doubleArray("d", 2).toArray(), "in the files, not in a JVM");
    }
  }

  @Test
  void openingAnExistingArrayLeavesItsContentsAndChecksOnlyTheLength() {
    try (Ipc ipc = Ipc.open(dir)) {
      SharedIntArray i = ipc.intArray("i", new int[] {1, 2, 3});
      i.set(0, 10);
      assertArrayEquals(new int[] {10, 2, 3}, ipc.intArray("i", new int[] {7, 7, 7}).toArray(),
          "the initial contents of an existing array are ignored");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ipc.intArray("i", new int[] {1, 2}));
      assertTrue(e.getMessage().contains("\"i\"") && e.getMessage().contains("length 3, not 2"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> ipc.booleanArray("i", 3));
      assertTrue(e.getMessage().contains("is a SharedIntArray, not a SharedBooleanArray"), e.getMessage());
      ipc.byteArray("bytes", 4);
      e = assertThrows(IllegalArgumentException.class, () -> ipc.booleanArray("bytes", 4));
      assertTrue(e.getMessage().contains("is a SharedByteArray, not a SharedBooleanArray"), e.getMessage());
      assertThrows(NullPointerException.class, () -> ipc.floatArray("f", (float[]) null));
      assertEquals(0, ipc.byteArray("empty", new byte[0]).length());
    }
  }

  @Test
  void byteArraysSpeakTheIntArrayVocabularyAndWrapAtEightBits() {
    try (Ipc ipc = Ipc.open(dir)) {
      SharedByteArray b = ipc.byteArray("b", 6);
      assertArrayEquals(new byte[6], b.toArray(), "zero-filled");
      b.set(0, (byte) 127);
      assertEquals(-128, b.incrementAndGet(0), "wraps as byte arithmetic does");
      assertEquals(-128, b.getAndIncrement(0));
      assertEquals(-128, b.decrementAndGet(0));
      assertEquals(-128, b.getAndAdd(0, (byte) 3));
      assertEquals(-120, b.addAndGet(0, (byte) 5));
      assertTrue(b.compareAndSet(1, (byte) 0, (byte) -1));
      assertFalse(b.compareAndSet(1, (byte) 0, (byte) 9), "the element is -1 now");
      assertEquals(-1, b.getAndSet(1, (byte) 2));
      assertEquals((byte) 200, b.updateAndGet(1, x -> x * 100), "narrowed as a cast does");
      assertArrayEquals(new byte[] {-120, (byte) 200, 0, 0, 0, 0}, b.toArray(), "neighbours untouched");
      assertThrows(IndexOutOfBoundsException.class, () -> b.get(6));
      assertThrows(IndexOutOfBoundsException.class, () -> b.set(-1, (byte) 0));
    }
  }

  @Test
  void floatArraysCompareBitsAndAddWithoutLosing() {
    try (Ipc ipc = Ipc.open(dir)) {
      SharedFloatArray f = ipc.floatArray("f", 2);
      assertEquals(0.0f, f.get(1));
      assertEquals(0.0f, f.getAndAdd(1, 1.5f));
      assertEquals(2.0f, f.addAndGet(1, 0.5f));
      assertEquals(6.0f, f.updateAndGet(1, x -> x * 3));
      assertEquals(6.0f, f.getAndSet(1, Float.NaN));
      assertTrue(f.compareAndSet(1, Float.NaN, 1.0f), "compares raw bits: NaN equals the same NaN");
      assertFalse(f.compareAndSet(0, -0.0f, 1.0f), "compares raw bits: -0.0f is not 0.0f");
      f.set(0, Float.MIN_VALUE);
      assertArrayEquals(new float[] {Float.MIN_VALUE, 1.0f}, f.toArray());
    }
  }

  @Test
  void booleanArraysStoreZeroOrOneAndCompareTruth() throws IOException {
    try (Ipc ipc = Ipc.open(dir)) {
      SharedBooleanArray z = ipc.booleanArray("z", 5);
      assertArrayEquals(new boolean[5], z.toArray());
      z.set(1, true);
      assertTrue(z.compareAndSet(2, false, true), "the first to raise a flag wins");
      assertFalse(z.compareAndSet(2, false, true), "and the second does not");
      assertTrue(z.compareAndSet(1, true, false));
      assertFalse(z.getAndSet(3, true));
      assertTrue(z.getAndSet(3, true));
      assertArrayEquals(new boolean[] {false, false, true, true, false}, z.toArray());
      Fields f = ValueDescriptor.decodeArray(copy(ipc, "z"));
      assertEquals((long) Kind.BOOLEAN_ARRAY.code(), f.get("kind"));
      assertEquals(5L, f.get("arg0"));
      assertEquals(1L, f.get("arg1"), "one byte per element");
      long[] stored = new long[5];
      for (int i = 0; i < 5; i++) {
        stored[i] = f.get("element" + i);
      }
      assertArrayEquals(new long[] {0, 0, 1, 1, 0}, stored, "true is stored as the byte 1");
    }
  }

  @Test
  void aBooleanByteOtherThanOneReadsTrueAndIsReplacedByCompareAndSet() throws IOException {
    try (Ipc ipc = Ipc.open(dir)) {
      SharedBooleanArray z = ipc.booleanArray("z", 3);
      // what a foreign writer could leave: the byte 2, written through the file (the mapping shares its pages)
      try (FileChannel ch = FileChannel.open(ipc.dir().resolve("z"), StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(new byte[] {2}), ValueDescriptor.ELEMENTS_OFFSET + 1);
      }
      assertTrue(z.get(1));
      assertFalse(z.compareAndSet(1, false, true));
      assertTrue(z.compareAndSet(1, true, false), "compares truth, not the byte");
      assertFalse(z.get(1));
      assertArrayEquals(new boolean[3], z.toArray());
    }
  }

  @Test
  void bulkGetAndSetCopyRangesOfEveryArrayType() {
    try (Ipc ipc = Ipc.open(dir)) {
      SharedLongArray l = ipc.longArray("l", 5);
      l.set(1, new long[] {10, 20, 30});
      long[] into = new long[4];
      l.get(0, into);
      assertArrayEquals(new long[] {0, 10, 20, 30}, into);
      long[] part = {-1, -1, -1, -1};
      l.get(2, part, 1, 2);
      assertArrayEquals(new long[] {-1, 20, 30, -1}, part, "count elements into the offset");
      l.set(3, new long[] {7, 8, 9}, 1, 2);
      assertArrayEquals(new long[] {0, 10, 20, 8, 9}, l.toArray());
      SharedIntArray i = ipc.intArray("i", 3);
      i.set(0, new int[] {4, 5, 6});
      int[] ii = new int[3];
      i.get(0, ii);
      assertArrayEquals(new int[] {4, 5, 6}, ii);
      SharedDoubleArray d = ipc.doubleArray("d", 2);
      d.set(0, new double[] {0.25, 0.5});
      double[] dd = new double[1];
      d.get(1, dd);
      assertArrayEquals(new double[] {0.5}, dd);
      SharedByteArray b = ipc.byteArray("b", 7);
      b.set(1, new byte[] {1, 2, 3, 4, 5});
      byte[] bb = new byte[7];
      b.get(0, bb);
      assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 0}, bb);
      SharedFloatArray f = ipc.floatArray("f", 2);
      f.set(0, new float[] {1.5f, 2.5f});
      float[] ff = new float[2];
      f.get(0, ff);
      assertArrayEquals(new float[] {1.5f, 2.5f}, ff);
      SharedBooleanArray z = ipc.booleanArray("z", 4);
      z.set(2, new boolean[] {true, true});
      boolean[] zz = new boolean[4];
      z.get(0, zz);
      assertArrayEquals(new boolean[] {false, false, true, true}, zz);
      l.get(5, new long[0]);
      l.set(5, new long[0]);                          // an empty range at the end is in bounds
    }
  }

  @Test
  void bulkRangesAreCheckedBeforeAnyElementIsTouched() {
    try (Ipc ipc = Ipc.open(dir)) {
      SharedIntArray a = ipc.intArray("counts", new int[] {1, 2, 3, 4});
      IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
          () -> a.set(2, new int[] {9, 9, 9}));
      assertEquals("SharedIntArray \"counts\": 3 elements from index 2 out of bounds for length 4", e.getMessage());
      assertArrayEquals(new int[] {1, 2, 3, 4}, a.toArray(), "nothing written");
      e = assertThrows(IndexOutOfBoundsException.class, () -> a.get(-1, new int[1]));
      assertEquals("SharedIntArray \"counts\": 1 elements from index -1 out of bounds for length 4", e.getMessage());
      e = assertThrows(IndexOutOfBoundsException.class, () -> a.get(0, new int[2], 1, 2));
      assertEquals("SharedIntArray \"counts\": 2 elements from offset 1 out of bounds for a Java array of length 2",
          e.getMessage());
      e = assertThrows(IndexOutOfBoundsException.class, () -> a.get(0, new int[2], 0, -1));
      assertTrue(e.getMessage().contains("-1 elements"), e.getMessage());
      e = assertThrows(IndexOutOfBoundsException.class, () -> a.get(Integer.MAX_VALUE, new int[2]));
      assertTrue(e.getMessage().contains("from index " + Integer.MAX_VALUE), "no overflow: " + e.getMessage());
      SharedBooleanArray z = ipc.booleanArray("flags", 2);
      e = assertThrows(IndexOutOfBoundsException.class, () -> z.set(1, new boolean[] {true, true}));
      assertEquals("SharedBooleanArray \"flags\": 2 elements from index 1 out of bounds for length 2", e.getMessage());
      assertArrayEquals(new boolean[2], z.toArray(), "nothing written");
      SharedByteArray b = ipc.byteArray("bytes", 3);
      assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> b.get(3, new byte[1])).getMessage()
          .startsWith("SharedByteArray \"bytes\""));
      a.close();
      assertThrows(IllegalStateException.class, () -> a.get(0, new int[2]), "a closed handle says so");
      assertThrows(IllegalStateException.class, () -> a.set(0, new int[1]));
    }
  }

  /** Threads that each own one byte of the same words: no update of a byte may overwrite a neighbour's. */
  @Test
  void neighbouringBytesUpdatedByRacingThreadsLoseNothing() throws Exception {
    try (Ipc ipc = Ipc.open(dir)) {
      int threads = 4;
      int rounds = 20_000;
      SharedByteArray b = ipc.byteArray("b", threads);
      SharedBooleanArray z = ipc.booleanArray("z", threads);
      SharedIntArray totals = ipc.intArray("totals", threads);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int me = t;
          fs.add(pool.submit(() -> {
            go.await();
            for (int r = 0; r < rounds; r++) {
              b.incrementAndGet(me);                  // a compareAndSet of the word the four bytes share
              b.set(me, b.get(me));                   // a store, racing the neighbours' increments
              z.set(me, (r & 1) == 0);
              if (z.compareAndSet(me, (r & 1) == 0, true)) {
                totals.incrementAndGet(me);
              }
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
      for (int t = 0; t < threads; t++) {
        assertEquals((byte) rounds, b.get(t), "byte " + t + " counted every increment");
        assertEquals(rounds, totals.get(t), "flag " + t + " was never changed by a neighbour");
        assertTrue(z.get(t));
      }
    }
  }

  @Test
  void theSubWordCompareAndExchangeChangesOnlyItsByte() {
    ByteBuffer buf = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    for (int at = 0; at < 8; at++) {
      assertEquals(0, Mem.compareAndExchangeByte(buf, at, (byte) 0, (byte) (at + 1)));
    }
    for (int at = 0; at < 8; at++) {
      assertEquals(at + 1, Mem.getByteAcquire(buf, at));
      assertEquals(at + 1, buf.get(at), "the byte at its own address, in native order");
    }
    assertEquals(3, Mem.compareAndExchangeByte(buf, 2, (byte) 9, (byte) 0), "a failed exchange returns the byte");
    assertEquals(3, buf.get(2));
    assertEquals(8, Mem.compareAndExchangeByte(buf, 7, (byte) 8, (byte) -1));
    assertEquals(-1, Mem.getByteAcquire(buf, 7), "a negative byte round-trips");
    assertEquals(7, buf.get(6), "its neighbour kept");
  }

  /** A copy of a namespace file in a direct buffer (atomic access needs aligned native memory). */
  private static ByteBuffer copy(Ipc ipc, String name) throws IOException {
    byte[] bytes = Files.readAllBytes(ipc.dir().resolve(name));
    ByteBuffer b = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.nativeOrder());
    b.put(bytes).clear();
    return b;
  }
}
