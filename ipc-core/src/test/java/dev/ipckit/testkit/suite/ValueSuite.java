package dev.ipckit.testkit.suite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.SharedBooleanArray;
import dev.ipckit.SharedByteArray;
import dev.ipckit.SharedDouble;
import dev.ipckit.SharedDoubleArray;
import dev.ipckit.SharedFloatArray;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedIntArray;
import dev.ipckit.SharedLong;
import dev.ipckit.SharedLongArray;
import dev.ipckit.spi.HandleRef;
import dev.ipckit.testkit.Serialized;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Values and arrays in one JVM, on any backend: the {@code Atomic*} vocabulary, wraparound, the bit semantics of
 * doubles and floats, initial contents, wrong kinds and lengths, bounds and their messages, bulk ranges, closed
 * handles, the value's lock, serialized handles, threads racing on one value and on neighbouring elements. A
 * subclass names the backend ({@link #newNamespace}).
 */
@Tag("unit")
public abstract class ValueSuite {
  /** The namespace of the test, from {@link #newNamespace}; closed after it. */
  protected Ipc ipc;
  private final List<Ipc> others = new ArrayList<>();

  /** A new, empty namespace of the backend under test; {@code hint} may become part of its name. */
  protected abstract Ipc newNamespace(String hint);

  /**
   * Stores the raw byte {@code b} as element {@code index} of the boolean array {@code array} in {@code ipc},
   * behind the library's back, as a writer other than ipckit could.
   */
  protected abstract void writeForeignByte(Ipc ipc, String array, int index, byte b) throws Exception;

  @BeforeEach
  void openNamespace() {
    ipc = newNamespace("values");
  }

  @AfterEach
  void closeNamespaces() {
    others.forEach(Ipc::close);
    ipc.close();
  }

  /** Another instance of the test's namespace (the same location), closed after the test. */
  protected final Ipc another() {
    Ipc other = Ipc.open(ipc.location());
    others.add(other);
    return other;
  }

  @Test
  void sharedLongSpeaksAtomicLong() {
    SharedLong v = ipc.sharedLong("v", 10);
    assertEquals(10, v.get());
    assertEquals(11, v.incrementAndGet());
    assertEquals(11, v.getAndIncrement());
    assertEquals(11, v.decrementAndGet());
    assertEquals(11, v.getAndDecrement());
    assertEquals(10, v.getAndAdd(6));
    assertEquals(26, v.addAndGet(10));
    assertTrue(v.compareAndSet(26, 100));
    assertFalse(v.compareAndSet(26, 0));
    assertEquals(100, v.getAndSet(-1));
    assertEquals(Long.MIN_VALUE, v.updateAndGet(x -> Long.MIN_VALUE));
    assertEquals(Long.MIN_VALUE, v.getAndUpdate(x -> x + 1));
    assertEquals(Long.MIN_VALUE + 1, v.get());
    v.set(7);
    assertEquals(7, v.get());
    assertEquals("SharedLong[\"v\"=7]", v.toString());
    assertEquals("v", v.name());
    assertEquals(10, ipc.sharedLong("fresh", 10).get());
    assertEquals(7, ipc.sharedLong("v", 12345).get(), "initial ignored: the value exists");
  }

  @Test
  void sharedLongWrapsAtItsLimitsAndIsExactBeyondTwoToThe53() {
    SharedLong v = ipc.sharedLong("v", Long.MAX_VALUE);
    assertEquals(Long.MIN_VALUE, v.incrementAndGet(), "wraps like AtomicLong");
    assertEquals(Long.MAX_VALUE, v.decrementAndGet());
    assertEquals(Long.MAX_VALUE, v.getAndAdd(Long.MAX_VALUE));
    assertEquals(-2, v.get());
    assertEquals(Long.MIN_VALUE + 1, v.addAndGet(Long.MIN_VALUE + 3));
    long big = (1L << 53) + 1;                       // not a double: a value past 2^53 must never go through one
    v.set(big);
    assertEquals(big + 1, v.incrementAndGet());
    assertFalse(v.compareAndSet(big + 1 + 1, 0), "a long one apart, the same as a double, is another value");
    assertTrue(v.compareAndSet(big + 1, Long.MAX_VALUE - 1));
    assertFalse(v.compareAndSet(Long.MAX_VALUE, 0), "Long.MAX_VALUE - 1 is not Long.MAX_VALUE");
    assertEquals(Long.MAX_VALUE - 1, v.getAndSet(Long.MAX_VALUE));
    assertEquals(Long.MAX_VALUE, v.get());
    assertEquals(Long.MAX_VALUE - 2, v.updateAndGet(x -> x - 2));
  }

  @Test
  void sharedIntSpeaksAtomicIntegerAndWraps() {
    SharedInt v = ipc.sharedInt("i", Integer.MAX_VALUE);
    assertEquals(Integer.MIN_VALUE, v.incrementAndGet(), "wraps like AtomicInteger");
    assertEquals(Integer.MIN_VALUE, v.getAndDecrement());
    assertEquals(Integer.MAX_VALUE, v.get());
    assertEquals(Integer.MAX_VALUE, v.getAndAdd(Integer.MAX_VALUE));
    assertEquals(-2, v.get());
    v.set(3);
    assertEquals(3, v.getAndIncrement());
    assertEquals(4, v.getAndDecrement());
    assertEquals(2, v.decrementAndGet());
    assertEquals(2, v.getAndAdd(3));
    assertEquals(6, v.addAndGet(1));
    assertTrue(v.compareAndSet(6, 60));
    assertFalse(v.compareAndSet(6, 61));
    assertEquals(60, v.getAndSet(1));
    assertEquals(2, v.updateAndGet(x -> x * 2));
    assertEquals(2, v.getAndUpdate(x -> x + 40));
    assertEquals(42, v.get());
    assertEquals("SharedInt[\"i\"=42]", v.toString());
    assertEquals(Integer.MIN_VALUE, ipc.sharedInt("min", Integer.MIN_VALUE).get());
  }

  @Test
  void sharedDoubleAddsAsJavaDoesAndComparesRawBits() {
    SharedDouble d = ipc.sharedDouble("d", 1.5);
    assertEquals(1.5, d.get());
    assertEquals(1.5, d.getAndAdd(0.25));
    assertEquals(2.0, d.addAndGet(0.25));
    assertEquals(6.0, d.updateAndGet(x -> x * 3));
    assertEquals(6.0, d.getAndUpdate(Math::sqrt));
    assertEquals(Math.sqrt(6.0), d.getAndSet(0.1));
    assertEquals(0.1 + 0.2, d.addAndGet(0.2), "rounded as Java's + rounds");
    d.set(Double.MAX_VALUE);
    assertEquals(Double.POSITIVE_INFINITY, d.addAndGet(Double.MAX_VALUE));
    d.set(0.0);
    assertEquals(Double.MIN_VALUE, d.addAndGet(Double.MIN_VALUE), "subnormals kept");
    assertEquals("SharedDouble[\"d\"=4.9E-324]", d.toString());
    assertEquals(0.0, ipc.sharedDouble("zero", 0).get());
  }

  @Test
  void sharedDoubleCompareAndSetComparesBitsSoNegativeZeroAndNaNsAreTheirOwn() {
    SharedDouble d = ipc.sharedDouble("d", Double.NaN);
    assertTrue(Double.isNaN(d.get()));
    assertTrue(d.compareAndSet(Double.NaN, 0.0), "NaN equals the same NaN");
    assertFalse(d.compareAndSet(-0.0, 1.0), "-0.0 is not 0.0");
    assertTrue(d.compareAndSet(0.0, -0.0));
    assertFalse(d.compareAndSet(0.0, 1.0), "0.0 is not -0.0");
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(d.get()));
    double otherNaN = Double.longBitsToDouble(0x7ff8_0000_0000_0001L);
    assertTrue(d.compareAndSet(-0.0, otherNaN));
    assertEquals(0x7ff8_0000_0000_0001L, Double.doubleToRawLongBits(d.get()), "the NaN's bits are stored as they are");
    assertFalse(d.compareAndSet(Double.NaN, 1.0), "a NaN of other bits is another value");
    assertTrue(d.compareAndSet(otherNaN, Double.NEGATIVE_INFINITY));
    assertEquals(Double.NEGATIVE_INFINITY, d.get());
    d.set(Double.MIN_VALUE);
    assertEquals(Double.MIN_VALUE, d.get());
  }

  @Test
  void arraysSpeakTheAtomicArrayVocabularyAndKeepElementsApart() {
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
    assertFalse(l.compareAndSet(2, 101, -6));
    assertEquals(-5, l.getAndSet(2, 0));
    assertEquals(10, l.updateAndGet(2, x -> x + 10));
    assertArrayEquals(new long[] {101, 102, 10, 105}, l.toArray());
    l.set(1, Long.MAX_VALUE);
    assertEquals(Long.MIN_VALUE, l.incrementAndGet(1), "an element wraps like AtomicLongArray's");
    assertEquals(101, l.get(0), "its neighbour untouched");
    assertEquals(10, l.get(2));
    i.set(0, -1);
    assertEquals(-1, i.getAndIncrement(0));
    assertEquals(1, i.incrementAndGet(1));
    assertEquals(-1, i.decrementAndGet(2));
    assertEquals(5, i.addAndGet(1, 4));
    assertEquals(5, i.getAndAdd(1, 1));
    assertEquals(6, i.getAndSet(1, 7));
    assertTrue(i.compareAndSet(1, 7, 8));
    assertEquals(16, i.updateAndGet(1, x -> x * 2));
    assertArrayEquals(new int[] {0, 16, -1}, i.toArray());
    i.set(2, Integer.MIN_VALUE);
    assertEquals(Integer.MAX_VALUE, i.decrementAndGet(2), "wraps");
    d.set(1, 2.5);
    assertEquals(2.5, d.getAndAdd(1, 0.5));
    assertEquals(4.0, d.addAndGet(1, 1.0));
    assertTrue(d.compareAndSet(0, 0.0, 9.0));
    assertFalse(d.compareAndSet(0, 0.0, 9.5));
    assertEquals(9.0, d.getAndSet(0, 1.0));
    assertEquals(0.5, d.updateAndGet(0, x -> x / 2));
    assertArrayEquals(new double[] {0.5, 4.0}, d.toArray());
    assertFalse(d.compareAndSet(1, -4.0, 0.0));
    assertEquals(4, l.length());
    assertEquals(3, i.length());
    assertEquals("l", l.name());
  }

  @Test
  void anIndexOutOfRangeIsAnIndexOutOfBoundsExceptionNamingIndexAndLength() {
    SharedLongArray l = ipc.longArray("l", 4);
    SharedIntArray i = ipc.intArray("i", 3);
    SharedDoubleArray d = ipc.doubleArray("d", 2);
    SharedByteArray b = ipc.byteArray("b", 2);
    SharedFloatArray f = ipc.floatArray("f", 2);
    SharedBooleanArray z = ipc.booleanArray("z", 2);
    for (int bad : new int[] {-1, 4, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> l.get(bad));
      assertEquals("Index " + bad + " out of bounds for length 4", e.getMessage());
      assertThrows(IndexOutOfBoundsException.class, () -> l.set(bad, 1));
      assertThrows(IndexOutOfBoundsException.class, () -> l.getAndAdd(bad, 1));
      assertThrows(IndexOutOfBoundsException.class, () -> l.updateAndGet(bad, x -> x));
      assertThrows(IndexOutOfBoundsException.class, () -> i.compareAndSet(bad, 0, 1));
      assertThrows(IndexOutOfBoundsException.class, () -> i.getAndSet(bad, 1));
      assertThrows(IndexOutOfBoundsException.class, () -> d.get(bad));
      assertThrows(IndexOutOfBoundsException.class, () -> d.addAndGet(bad, 1));
      assertThrows(IndexOutOfBoundsException.class, () -> b.incrementAndGet(bad));
      assertThrows(IndexOutOfBoundsException.class, () -> f.getAndAdd(bad, 1));
      assertThrows(IndexOutOfBoundsException.class, () -> z.compareAndSet(bad, false, true));
    }
    assertEquals("Index 3 out of bounds for length 3",
        assertThrows(IndexOutOfBoundsException.class, () -> i.get(3)).getMessage());
    assertArrayEquals(new long[4], l.toArray(), "nothing written");
    assertEquals(0, ipc.intArray("empty", 0).toArray().length);
    assertThrows(IndexOutOfBoundsException.class, () -> ipc.intArray("empty", 0).get(0));
  }

  @Test
  void initialContentsAreWrittenByTheCreatorAndSeenByASecondOpen() {
    Ipc b = another();
    ipc.intArray("i", new int[] {1, -2, 3});
    ipc.longArray("l", new long[] {Long.MIN_VALUE, 7});
    ipc.doubleArray("d", new double[] {1.0, 2.0});
    ipc.byteArray("b", new byte[] {-128, 0, 127, 5, 6});
    ipc.floatArray("f", new float[] {0.5f, -0.0f});
    ipc.booleanArray("z", new boolean[] {true, false, true});
    ipc.sharedLong("v", -3);
    assertArrayEquals(new int[] {1, -2, 3}, b.intArray("i", 3).toArray());
    assertArrayEquals(new long[] {Long.MIN_VALUE, 7}, b.longArray("l", 2).toArray());
    assertArrayEquals(new double[] {1.0, 2.0}, b.doubleArray("d", 2).toArray());
    assertArrayEquals(new byte[] {-128, 0, 127, 5, 6}, b.byteArray("b", 5).toArray());
    assertArrayEquals(new float[] {0.5f, -0.0f}, b.floatArray("f", 2).toArray());
    assertArrayEquals(new boolean[] {true, false, true}, b.booleanArray("z", 3).toArray());
    assertEquals(-3, b.sharedLong("v", 0).get());
    b.close();
    assertArrayEquals(new double[] {1.0, 2.0}, another().doubleArray("d", 2).toArray(),
        "in the namespace, not in a handle");
  }

  @Test
  void openingAnExistingArrayLeavesItsContentsAndChecksItsKindAndLength() {
    SharedIntArray i = ipc.intArray("i", new int[] {1, 2, 3});
    i.set(0, 10);
    assertArrayEquals(new int[] {10, 2, 3}, ipc.intArray("i", new int[] {7, 7, 7}).toArray(),
        "the initial contents of an existing array are ignored");
    assertArrayEquals(new int[] {10, 2, 3}, ipc.intArray("i", 3).toArray());
    String m = assertThrows(IllegalArgumentException.class, () -> ipc.intArray("i", new int[] {1, 2})).getMessage();
    assertTrue(m.contains("\"i\"") && m.contains("length 3") && m.indexOf('2', m.indexOf("length 3")) > 0,
        "names the array, its length and the one asked for: " + m);
    assertThrows(IllegalArgumentException.class, () -> ipc.intArray("i", 4));
    assertWrongKind("i", "IntArray", "BooleanArray", () -> ipc.booleanArray("i", 3));
    assertWrongKind("i", "IntArray", "LongArray", () -> ipc.longArray("i", 3));
    ipc.byteArray("bytes", 4);
    assertWrongKind("bytes", "ByteArray", "BooleanArray", () -> ipc.booleanArray("bytes", 4));
    assertWrongKind("bytes", "ByteArray", "SharedInt", () -> ipc.sharedInt("bytes", 0));
    ipc.sharedLong("v", 1);
    assertWrongKind("v", "SharedLong", "SharedInt", () -> ipc.sharedInt("v", 1));
    assertWrongKind("v", "SharedLong", "SharedDouble", () -> ipc.sharedDouble("v", 1));
    assertWrongKind("v", "SharedLong", "LongArray", () -> ipc.longArray("v", 1));
    assertEquals(1, ipc.sharedLong("v", 2).get(), "the value itself untouched by the failed opens");
    assertThrows(NullPointerException.class, () -> ipc.floatArray("f", (float[]) null));
    assertThrows(IllegalArgumentException.class, () -> ipc.floatArray("f", -1));
    assertEquals(0, ipc.byteArray("empty", new byte[0]).length());
  }

  /** Opening {@code name} (a {@code found}) as a {@code asked} fails, naming the object and both kinds. */
  private static void assertWrongKind(String name, String found, String asked, Executable open) {
    String m = assertThrows(IllegalArgumentException.class, open).getMessage();
    String lower = m.toLowerCase(Locale.ROOT);
    assertTrue(m.contains("\"" + name + "\"") && lower.contains(found.toLowerCase(Locale.ROOT))
        && lower.contains(asked.toLowerCase(Locale.ROOT)), "names the object and both kinds: " + m);
  }

  @Test
  void byteArraysSpeakTheIntArrayVocabularyAndWrapAtEightBits() {
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
    b.set(5, (byte) -128);
    assertEquals(127, b.decrementAndGet(5));
    assertArrayEquals(new byte[] {-120, (byte) 200, 0, 0, 0, 127}, b.toArray(), "neighbours untouched");
    assertThrows(IndexOutOfBoundsException.class, () -> b.get(6));
    assertThrows(IndexOutOfBoundsException.class, () -> b.set(-1, (byte) 0));
  }

  @Test
  void floatArraysAddAsJavaDoesAndCompareBits() {
    SharedFloatArray f = ipc.floatArray("f", 2);
    assertEquals(0.0f, f.get(1));
    assertEquals(0.0f, f.getAndAdd(1, 1.5f));
    assertEquals(2.0f, f.addAndGet(1, 0.5f));
    assertEquals(6.0f, f.updateAndGet(1, x -> x * 3));
    assertEquals(6.0f, f.getAndSet(1, Float.NaN));
    assertTrue(f.compareAndSet(1, Float.NaN, 1.0f), "compares raw bits: NaN equals the same NaN");
    assertFalse(f.compareAndSet(0, -0.0f, 1.0f), "compares raw bits: -0.0f is not 0.0f");
    assertTrue(f.compareAndSet(0, 0.0f, -0.0f));
    assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(f.get(0)));
    f.set(0, 0.1f);
    assertEquals(0.1f + 0.2f, f.addAndGet(0, 0.2f), "rounded to float as Java's float + rounds");
    f.set(0, 16_777_216f);
    assertEquals(16_777_216f, f.addAndGet(0, 1f), "2^24 + 1 is not a float: rounds to even");
    assertEquals((float) (1.0 / 3), f.updateAndGet(0, x -> 1.0 / 3), "narrowed as a cast does");
    f.set(0, Float.MIN_VALUE);
    assertArrayEquals(new float[] {Float.MIN_VALUE, 1.0f}, f.toArray());
  }

  @Test
  void booleanArraysStoreZeroOrOneAndCompareTruth() {
    SharedBooleanArray z = ipc.booleanArray("z", 5);
    assertArrayEquals(new boolean[5], z.toArray());
    z.set(1, true);
    assertTrue(z.compareAndSet(2, false, true), "the first to raise a flag wins");
    assertFalse(z.compareAndSet(2, false, true), "and the second does not");
    assertTrue(z.compareAndSet(1, true, false));
    assertFalse(z.compareAndSet(1, true, false));
    assertFalse(z.getAndSet(3, true));
    assertTrue(z.getAndSet(3, true));
    assertArrayEquals(new boolean[] {false, false, true, true, false}, z.toArray());
  }

  @Test
  void aBooleanByteOtherThanOneReadsTrueAndIsReplacedByCompareAndSet() throws Exception {
    SharedBooleanArray z = ipc.booleanArray("z", 3);
    writeForeignByte(ipc, "z", 1, (byte) 2);
    assertTrue(z.get(1));
    assertArrayEquals(new boolean[] {false, true, false}, z.toArray());
    assertFalse(z.compareAndSet(1, false, true));
    assertTrue(z.compareAndSet(1, true, false), "compares truth, not the byte");
    assertFalse(z.get(1));
    writeForeignByte(ipc, "z", 2, (byte) 2);
    assertTrue(z.getAndSet(2, false));
    assertArrayEquals(new boolean[3], z.toArray());
  }

  @Test
  void bulkGetAndSetCopyRangesOfEveryArrayType() {
    SharedLongArray l = ipc.longArray("l", 5);
    l.set(1, new long[] {10, 20, 30});
    long[] into = new long[4];
    l.get(0, into);
    assertArrayEquals(new long[] {0, 10, 20, 30}, into);
    long[] part = {-1, -1, -1, -1};
    l.get(2, part, 1, 2);
    assertArrayEquals(new long[] {-1, 20, 30, -1}, part, "count elements into the offset");
    l.set(3, new long[] {7, 8, Long.MIN_VALUE}, 1, 2);
    assertArrayEquals(new long[] {0, 10, 20, 8, Long.MIN_VALUE}, l.toArray());
    SharedIntArray i = ipc.intArray("i", 3);
    i.set(0, new int[] {4, -5, 6});
    int[] ii = new int[3];
    i.get(0, ii);
    assertArrayEquals(new int[] {4, -5, 6}, ii);
    SharedDoubleArray d = ipc.doubleArray("d", 2);
    d.set(0, new double[] {0.25, -0.0});
    double[] dd = new double[1];
    d.get(1, dd);
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(dd[0]));
    SharedByteArray b = ipc.byteArray("b", 7);
    b.set(1, new byte[] {1, 2, -3, 4, 5});
    byte[] bb = new byte[7];
    b.get(0, bb);
    assertArrayEquals(new byte[] {0, 1, 2, -3, 4, 5, 0}, bb);
    byte[] bp = {9, 9, 9};
    b.get(3, bp, 1, 2);
    assertArrayEquals(new byte[] {9, -3, 4}, bp);
    SharedFloatArray f = ipc.floatArray("f", 2);
    f.set(0, new float[] {1.5f, -2.5f});
    float[] ff = new float[2];
    f.get(0, ff);
    assertArrayEquals(new float[] {1.5f, -2.5f}, ff);
    SharedBooleanArray z = ipc.booleanArray("z", 4);
    z.set(2, new boolean[] {true, true});
    boolean[] zz = new boolean[4];
    z.get(0, zz);
    assertArrayEquals(new boolean[] {false, false, true, true}, zz);
    l.get(5, new long[0]);
    l.set(5, new long[0]);                          // an empty range at the end is in bounds
    assertArrayEquals(new long[] {0, 10, 20, 8, Long.MIN_VALUE}, l.toArray());
  }

  @Test
  void bulkRangesAreCheckedBeforeAnyElementIsTouched() {
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
    e = assertThrows(IndexOutOfBoundsException.class, () -> a.set(0, new int[2], -1, 1));
    assertTrue(e.getMessage().contains("from offset -1"), e.getMessage());
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
    SharedLongArray l = ipc.longArray("longs", 2);
    assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> l.set(0, new long[3])).getMessage()
        .startsWith("SharedLongArray \"longs\": 3 elements from index 0"));
    SharedDoubleArray d = ipc.doubleArray("doubles", 2);
    assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> d.get(1, new double[2])).getMessage()
        .startsWith("SharedDoubleArray \"doubles\""));
    SharedFloatArray f = ipc.floatArray("floats", 2);
    assertTrue(assertThrows(IndexOutOfBoundsException.class, () -> f.set(2, new float[1])).getMessage()
        .startsWith("SharedFloatArray \"floats\""));
  }

  @Test
  void aClosedHandleIsAnIllegalStateExceptionAndItsObjectStays() throws Exception {
    SharedLong v = ipc.sharedLong("v", 5);
    SharedDouble d = ipc.sharedDouble("d", 5);
    SharedInt n = ipc.sharedInt("n", 5);
    SharedIntArray a = ipc.intArray("a", 2);
    SharedBooleanArray z = ipc.booleanArray("z", 2);
    SharedByteArray b = ipc.byteArray("b", 2);
    SharedFloatArray f = ipc.floatArray("f", 2);
    SharedDoubleArray da = ipc.doubleArray("da", 2);
    SharedLongArray la = ipc.longArray("la", 2);
    for (AutoCloseable h : List.<AutoCloseable>of(v, d, n, a, z, b, f, da, la)) {
      h.close();
      h.close();                                  // closing twice is harmless
    }
    for (Executable call : List.<Executable>of(v::get, () -> v.set(1), v::incrementAndGet, () -> v.compareAndSet(5, 6),
        () -> v.getAndSet(1), () -> v.updateAndGet(x -> x), v::getLock, d::get, () -> d.addAndGet(1),
        () -> d.compareAndSet(5, 6), n::getAndIncrement, () -> a.get(0), () -> a.set(0, 1), () -> a.getAndAdd(0, 1),
        a::toArray, () -> a.get(0, new int[2]), () -> a.set(0, new int[1]), a::getLock, () -> z.set(0, true),
        () -> z.compareAndSet(0, false, true), () -> b.incrementAndGet(0), () -> f.addAndGet(0, 1),
        () -> da.getAndSet(0, 1), () -> la.get(0, new long[1]))) {
      assertThrows(IllegalStateException.class, call, "a closed handle says so");
    }
    assertTrue(v.toString().contains("\"v\""), "a closed handle still shows its name: " + v);
    assertEquals(5, ipc.sharedLong("v", 0).get(), "the value stays in the namespace");
    SharedLong w = ipc.sharedLong("w", 1);
    SharedLong sameW = ipc.sharedLong("w", 1);
    w.close();
    assertEquals(2, sameW.incrementAndGet(), "another handle of the same value is not closed");
    ipc.close();
    assertThrows(IllegalStateException.class, sameW::get, "closing the namespace closes its handles");
    assertThrows(IllegalStateException.class, () -> ipc.sharedLong("w", 1));
  }

  @Test
  void getLockIsOneReentrantLockPerValue() throws Exception {
    SharedLong v = ipc.sharedLong("v", 0);
    IpcLock a = v.getLock();
    IpcLock b = ipc.sharedLong("v", 0).getLock();
    a.lock();
    try {
      assertTrue(b.isHeldByCurrentThread(), "the same lock through every handle of the value");
      assertTrue(a.tryLock(), "reentrant, like Python's Value.get_lock() (an RLock)");
      a.unlock();
    } finally {
      a.unlock();
    }
    assertFalse(b.isLocked());
    assertFalse(ipc.sharedLong("w", 0).getLock().isHeldByCurrentThread());
    SharedIntArray arr = ipc.intArray("arr", 2);
    arr.getLock().lock();
    try {
      assertTrue(ipc.intArray("arr", 2).getLock().isHeldByCurrentThread(), "an array has one lock too");
      assertFalse(v.getLock().isLocked(), "apart from the value's");
    } finally {
      arr.getLock().unlock();
    }
    a.lock();
    try {
      FutureTask<Boolean> other = new FutureTask<>(b::tryLock);
      new Thread(other, "other").start();
      assertFalse(other.get(10, TimeUnit.SECONDS), "another thread cannot take a value's held lock");
    } finally {
      a.unlock();
    }
    assertSame(IllegalArgumentException.class, assertThrows(IllegalArgumentException.class,
        () -> ipc.lock("v@lock")).getClass(), "no user name reaches a value's lock");
  }

  @Test
  void namesListValuesAndRemoveFreesTheName() {
    SharedLong v = ipc.sharedLong("v", 7);
    ipc.intArray("a", 2).close();
    assertEquals(List.of("a", "v"), List.copyOf(ipc.names()));
    v.close();
    assertTrue(ipc.remove("v"));
    assertFalse(ipc.remove("v"));
    assertEquals(List.of("a"), List.copyOf(ipc.names()));
    assertEquals(5, ipc.sharedLong("v", 5).get(), "a new value under the old name");
    assertTrue(ipc.remove("a"));
    assertArrayEquals(new long[3], ipc.longArray("a", 3).toArray(), "the name is free for another kind and length");
  }

  @Test
  void aReferenceCarriesAnArraysLengthAndNoFlagOrCodec() {
    References.assertPlain(ipc, List.of(0L, 0L, 0L, 3L, 4L, 5L), ipc.sharedLong("v", 5), ipc.sharedInt("i", 1),
        ipc.sharedDouble("d", 2), ipc.intArray("a", 3), ipc.longArray("l", 4), ipc.doubleArray("x", 5));
  }

  @Test
  void aHandleSerializesAsWhereItLivesAndReopensOnTheSameValue() throws Exception {
    SharedLong v = ipc.sharedLong("v", 5);
    SharedFloatArray f = ipc.floatArray("f", new float[] {1, 2, 3});
    byte[] bytes = Serialized.bytes(v);
    String form = new String(bytes, StandardCharsets.ISO_8859_1);
    assertTrue(form.contains(HandleRef.class.getName()), "serialized as a HandleRef");
    assertTrue(form.contains(ipc.location().toString()), "the serialized form names the namespace: " + form);
    SharedLong w = (SharedLong) Serialized.read(bytes);
    assertEquals(15, w.addAndGet(10));
    assertEquals(15, v.get());
    SharedFloatArray g = (SharedFloatArray) Serialized.read(Serialized.bytes(f));
    assertEquals(3, g.length(), "an array's reference carries its length");
    g.set(2, 4.5f);
    assertArrayEquals(new float[] {1, 2, 4.5f}, f.toArray());
  }

  @Test
  void threadsUpdateExactly() throws Exception {
    SharedInt i = ipc.sharedInt("i", 0);
    SharedDouble d = ipc.sharedDouble("d", 0);
    SharedLongArray a = ipc.longArray("a", 2);
    SharedLong cas = ipc.sharedLong("cas", 0);
    int threads = 4;
    int each = 1_000;
    runTogether(threads, t -> {
      for (int k = 0; k < each; k++) {
        i.incrementAndGet();
        d.addAndGet(1.0);
        a.getAndAdd(k & 1, 2);
        cas.updateAndGet(x -> x + 3);
      }
    });
    assertEquals(threads * each, i.get());
    assertEquals(threads * each, d.get(), "no add lost");
    assertArrayEquals(new long[] {threads * each, threads * each}, a.toArray());
    assertEquals(3L * threads * each, cas.get(), "a compareAndSet loop loses nothing");
  }

  /** Threads that each own one byte of the same words: no update of a byte may overwrite a neighbour's. */
  @Test
  void neighbouringBytesUpdatedByRacingThreadsLoseNothing() throws Exception {
    int threads = 4;
    int rounds = 500;
    SharedByteArray b = ipc.byteArray("b", threads);
    SharedBooleanArray z = ipc.booleanArray("z", threads);
    SharedIntArray totals = ipc.intArray("totals", threads);
    runTogether(threads, me -> {
      for (int r = 0; r < rounds; r++) {
        b.incrementAndGet(me);                      // on shared memory, a compareAndSet of the word they share
        b.set(me, b.get(me));                       // a store, racing the neighbours' increments
        z.set(me, (r & 1) == 0);
        if (z.compareAndSet(me, (r & 1) == 0, true)) {
          totals.incrementAndGet(me);
        }
      }
    });
    for (int t = 0; t < threads; t++) {
      assertEquals((byte) rounds, b.get(t), "byte " + t + " counted every increment");
      assertEquals(rounds, totals.get(t), "flag " + t + " was never changed by a neighbour");
      assertTrue(z.get(t));
    }
  }

  /** The body a thread of {@link #runTogether} runs, given its number. */
  @FunctionalInterface
  interface Body {
    void run(int thread) throws Exception;
  }

  /** Runs {@code body} in {@code threads} threads started together; fails with what one threw. */
  private static void runTogether(int threads, Body body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int me = t;
        fs.add(pool.submit(() -> {
          go.await();
          body.run(me);
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
  }
}
