package dev.ipckit.shm.value;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ipckit.Ipc;
import dev.ipckit.SharedBooleanArray;
import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.Mem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the typed arrays are in their files: contents that outlive every namespace instance, the header and the
 * bytes of a boolean array, and the sub-word compare-and-exchange behind byte and boolean elements. The behaviour
 * every backend shares is in {@link dev.ipckit.testkit.suite.ValueSuite} ({@link ShmValueTest}).
 */
@Tag("unit")
class TypedArrayTest {
  @TempDir
  Path dir;

  @Test
  void initialContentsAreInTheFilesAfterEveryInstanceIsClosed() {
    try (Ipc a = Ipc.open(dir)) {
      a.doubleArray("d", new double[] {1.0, 2.0});
      a.byteArray("b", new byte[] {-128, 0, 127});
    }
    try (Ipc later = Ipc.open(dir)) {
      assertArrayEquals(new double[] {1.0, 2.0}, later.doubleArray("d", 2).toArray(), "in the files, not in a JVM");
      assertArrayEquals(new byte[] {-128, 0, 127}, later.byteArray("b", 3).toArray());
    }
  }

  @Test
  void aBooleanArrayFileHoldsOneByteZeroOrOnePerElement() throws IOException {
    try (Ipc ipc = Ipc.open(dir)) {
      SharedBooleanArray z = ipc.booleanArray("z", 5);
      z.set(2, true);
      z.set(3, true);
      z.set(4, false);
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
