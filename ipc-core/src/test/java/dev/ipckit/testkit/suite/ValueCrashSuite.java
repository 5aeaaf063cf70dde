package dev.ipckit.testkit.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.SharedDouble;
import dev.ipckit.SharedLong;
import dev.ipckit.SharedLongArray;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Values and arrays after a child is killed with {@code kill -9}, on any backend: what it stored stays, whole (an
 * update is never half done), nothing is held, and a value's lock it held is taken over. A subclass names the
 * backend ({@link #newNamespace}).
 */
@Tag("crash")
public abstract class ValueCrashSuite {
  /** The children of the test, reaped after it. */
  @RegisterExtension
  protected final Children children = new Children();
  /** The namespace of the test, from {@link #newNamespace}; closed after it. */
  protected Ipc ipc;

  /** A new, empty namespace of the backend under test; {@code hint} may become part of its name. */
  protected abstract Ipc newNamespace(String hint);

  @BeforeEach
  void openNamespace() {
    ipc = newNamespace("values-crash");
  }

  @AfterEach
  void closeNamespace() {
    ipc.close();
  }

  @Test
  void aChildKilledWhileUpdatingLeavesEveryValueWholeAndNothingHeld() throws Exception {
    SharedLong count = ipc.sharedLong("count", 0);
    SharedDouble pattern = ipc.sharedDouble("pattern", 0);
    SharedLongArray pair = ipc.longArray("pair", 2);
    Crash writer = Crash.start(children, ipc, () -> {
      for (long k = 1; ; k++) {                      // stores in this order until killed
        pattern.set(Double.longBitsToDouble(k << 32 | k));
        pair.set((int) (k & 1), -k);
        count.set(k);
      }
    });
    Await.until("the child to store 200 times", Children.START, () -> count.get() >= 200);
    writer.kill();
    long c = count.get();
    long bits = Double.doubleToRawLongBits(pattern.get());
    assertEquals(bits >>> 32, bits & 0xffff_ffffL, "the double is one store, not halves of two: " + bits);
    assertTrue(bits >>> 32 == c || bits >>> 32 == c + 1, "the last store, or the one after it: " + (bits >>> 32));
    assertEquals(-c, pair.get((int) (c & 1)), "the element stored before the count");
    long other = pair.get((int) ((c + 1) & 1));
    assertTrue(other == -(c - 1) || other == -(c + 1), "its neighbour, one store before or after: " + other);
    assertEquals(c, count.get(), "nobody stores any more");
    assertEquals(c + 1, count.incrementAndGet(), "and the value goes on working");
    count.close();
    assertTrue(ipc.remove("count"), "the dead child held nothing");
  }

  @Test
  void aValueLockHeldByAKilledChildIsTakenOverAndTheValueKeepsItsLastStore() throws Exception {
    SharedLong v = ipc.sharedLong("v", 0);
    Crash holder = Crash.at(children, ipc, () -> {
      v.getLock().lock();
      v.set(42);
    });
    holder.kill();
    IpcLock lock = v.getLock();
    assertTrue(lock.tryLock(10, TimeUnit.SECONDS), "taken over from the dead holder");
    try {
      assertTrue(lock.ownerDied(), "the taker is told: what the lock guards may be half updated");
      assertEquals(42, v.get(), "what the holder stored before it died");
      v.set(43);
    } finally {
      lock.unlock();
    }
    assertFalse(lock.isLocked());
    lock.close();
    v.close();
    assertTrue(ipc.remove("v"), "neither the value nor its lock is held any more");
  }
}
