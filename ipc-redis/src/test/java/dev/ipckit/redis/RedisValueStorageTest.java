package dev.ipckit.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import dev.ipckit.SharedDouble;
import dev.ipckit.SharedFloatArray;
import dev.ipckit.SharedIntArray;
import dev.ipckit.SharedLong;
import dev.ipckit.SharedLongArray;
import dev.ipckit.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What values and arrays are on a Redis server, beyond the suite every backend passes ({@link RedisValueTest}):
 * one big-endian string per object at its key, an object removed under an open handle, connections the server
 * drops, the size limit of a Redis string, floating-point adds done by the server's scripts.
 */
@Tag("unit")
class RedisValueStorageTest {
  private static final RedisTestServer SERVER = RedisTestServer.shared();
  private Ipc ipc;
  private RedisNamespace ns;

  @BeforeEach
  void open() {
    ipc = Ipc.open(SERVER.newNamespace("storage"));
    ns = (RedisNamespace) ipc.namespace();
  }

  @AfterEach
  void close() {
    ipc.close();
  }

  @Test
  void theCellsOfAnObjectAreOneBigEndianStringAtItsKeyRecordedInTheMeta() {
    ipc.sharedLong("v", 0x4142_4344_4546_4748L);
    ipc.intArray("a", new int[] {0x6162_6364, 0x6566_6768});
    ipc.byteArray("b", new byte[] {'x', 'y', 'z'}).incrementAndGet(2);
    assertEquals("$8\r\nABCDEFGH\r\n", SERVER.command("GET", ns.key(Kind.LONG, "v")));
    assertEquals("$8\r\nabcdefgh\r\n", SERVER.command("GET", ns.key(Kind.INT_ARRAY, "a")));
    assertEquals("$3\r\nxy{\r\n", SERVER.command("GET", ns.key(Kind.BYTE_ARRAY, "b")));
    assertEquals("$10\r\nintArray/2\r\n", SERVER.command("HGET", ns.metaKey(), "a"));
    assertEquals("$10\r\nSharedLong\r\n", SERVER.command("HGET", ns.metaKey(), "v"));
  }

  @Test
  void anObjectRemovedUnderAnOpenHandleIsAnIpcExceptionNamingItAndIsNotRecreated() {
    SharedLong v = ipc.sharedLong("v", 1);
    SharedIntArray a = ipc.intArray("a", 3);
    SharedDouble d = ipc.sharedDouble("d", 1);
    try (Ipc other = Ipc.open(ipc.location())) {
      assertTrue(other.remove("v"));
      assertTrue(other.remove("a"));
      assertTrue(other.remove("d"));
    }
    for (Executable call : List.<Executable>of(v::get, () -> v.set(2), v::incrementAndGet, () -> v.getAndSet(3),
        () -> v.compareAndSet(1, 2), () -> v.updateAndGet(x -> x + 1), () -> a.get(2), () -> a.set(0, 1),
        a::toArray, () -> a.set(1, new int[] {1, 2}), () -> a.addAndGet(1, 5), () -> d.addAndGet(1.0))) {
      IpcException e = assertThrows(IpcException.class, call);
      assertTrue(e.getMessage().contains("\"v\"") || e.getMessage().contains("\"a\"")
          || e.getMessage().contains("\"d\""), e.getMessage());
      assertTrue(e.getMessage().contains("does not exist any more"), e.getMessage());
    }
    for (String key : List.of(ns.key(Kind.LONG, "v"), ns.key(Kind.INT_ARRAY, "a"), ns.key(Kind.DOUBLE, "d"))) {
      assertEquals(":0\r\n", SERVER.command("EXISTS", key), "no write recreated " + key);
    }
    assertEquals(7, ipc.sharedLong("v", 7).get(), "the name makes a new value");
  }

  @Test
  void aDeletedNamespaceIsAnIpcExceptionForItsOpenHandles() {
    SharedLongArray a = ipc.longArray("a", 2);
    a.set(1, 5);
    assertTrue(RedisBackend.delete(ipc.location()) > 0);
    IpcException e = assertThrows(IpcException.class, () -> a.getAndIncrement(1));
    assertTrue(e.getMessage().contains("longArray \"a\" in " + ipc.location()), e.getMessage());
  }

  @Test
  void aDroppedLivenessConnectionLeavesValuesAsTheyWere() {
    SharedLong v = ipc.sharedLong("v", 5);
    SharedFloatArray f = ipc.floatArray("f", new float[] {1.5f, 2.5f});
    long epoch = ns.server.epoch();
    SERVER.command("CLIENT", "KILL", "TYPE", "pubsub");
    Await.until("a new liveness token", Duration.ofSeconds(10), () -> ns.server.epoch() != epoch);
    assertEquals(5, v.get(), "nothing is held, nothing lost");
    assertEquals(6, v.incrementAndGet());
    assertArrayEquals(new float[] {1.5f, 2.5f}, f.toArray());
  }

  @Test
  void droppedCommandConnectionsAreReplacedAndReadsAndStoresGoOn() {
    SharedLong v = ipc.sharedLong("v", 5);
    SharedIntArray a = ipc.intArray("a", 2);
    v.incrementAndGet();
    a.set(0, 1);
    String killed = SERVER.command("CLIENT", "KILL", "TYPE", "normal");
    assertTrue(killed.startsWith(":") && !killed.startsWith(":0"), "the pool's connections are gone: " + killed);
    assertEquals(6, v.get(), "a read runs again on a new connection");
    a.set(1, new int[] {9});
    assertArrayEquals(new int[] {1, 9}, a.toArray());
    assertEquals(7, v.incrementAndGet(), "and the next update finds a live connection");
  }

  @Test
  void anArrayTooLargeForOneRedisStringIsRefusedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ipc.longArray("huge", 100_000_000));
    assertTrue(e.getMessage().contains("\"huge\"") && e.getMessage().contains("512 MiB"), e.getMessage());
    assertTrue(ipc.names().isEmpty(), "nothing recorded");
  }

  @Test
  void aLargeArrayReopensWithItsContentsAndItsLengthChecked() {
    SharedLongArray big = ipc.longArray("big", 100_000);
    big.set(99_999, -5);
    try (Ipc other = Ipc.open(ipc.location())) {
      SharedLongArray again = other.longArray("big", 100_000);
      assertEquals(-5, again.get(99_999));
      assertEquals(100_000, again.toArray().length);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> other.longArray("big", 99_999));
      assertTrue(e.getMessage().contains("length 100000"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> other.doubleArray("big", 100_000));
    }
  }

  /** The scripts add on the IEEE bits in Lua, whose numbers are doubles: the result must be Java's, bit for bit. */
  @Test
  void floatingPointAddsOnTheServerRoundAsJavaDoes() {
    SharedDouble d = ipc.sharedDouble("d", 0);
    SharedFloatArray f = ipc.floatArray("f", 1);
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 200; i++) {
      double x = Double.longBitsToDouble(random.nextLong());
      double y = i % 2 == 0 ? random.nextDouble() * Math.scalb(1.0, random.nextInt(-1074, 1024)) : -x / 3;
      if (Double.isNaN(x)) {
        continue;
      }
      d.set(x);
      double sum = d.addAndGet(y);
      if (Double.isNaN(x + y)) {
        assertTrue(Double.isNaN(sum), x + " + " + y);   // which NaN the hardware makes is not Java's to say
      } else {
        assertEquals(Double.doubleToRawLongBits(x + y), Double.doubleToRawLongBits(sum), x + " + " + y);
      }
      float p = Float.intBitsToFloat(random.nextInt());
      float q = i % 2 == 0 ? (float) y : -p / 3;
      if (Float.isNaN(p) || Float.isNaN(q)) {
        continue;
      }
      f.set(0, p);
      assertEquals(Float.floatToRawIntBits(p), Float.floatToRawIntBits(f.getAndAdd(0, q)));
      if (Float.isNaN(p + q)) {
        assertTrue(Float.isNaN(f.get(0)), p + " + " + q);
      } else {
        assertEquals(Float.floatToRawIntBits(p + q), Float.floatToRawIntBits(f.get(0)), p + " + " + q);
      }
    }
  }
}
