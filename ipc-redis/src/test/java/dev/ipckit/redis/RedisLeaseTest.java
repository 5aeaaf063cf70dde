package dev.ipckit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcQueue;
import dev.ipckit.testkit.Children;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the socket cannot tell: a holder whose process is frozen ({@code SIGSTOP}, as a machine that hangs or is cut
 * off — its connections stay open, its subscription stays counted) loses the lock once its lease lapses, the waiter
 * takes it over with {@code ownerDied()} true, and the holder, thawed, is told it lost the lock.
 */
@Tag("crash")
class RedisLeaseTest {
  private static final RedisTestServer SERVER = RedisTestServer.shared();
  private static final long LEASE_MILLIS = 1_000;

  @RegisterExtension
  final Children children = new Children();

  @Test
  void aFrozenHolderLosesTheLockWhenItsLeaseLapsesAndIsToldSoWhenItWakes() throws Exception {
    try (Ipc ipc = Ipc.open(SERVER.newNamespace("lease"))) {
      IpcLock lock = ipc.lock("l");
      IpcQueue<String> events = ipc.queue("events", 4, Codec.string());
      IpcQueue<String> go = ipc.queue("go", 1, Codec.string());
      IpcProcess holder = children.start(IpcProcess.builder().jvmOptions("-Dipckit.redis.leaseMillis=" + LEASE_MILLIS),
          () -> {
            lock.lock();
            events.put("holding");
            go.take();
            try {
              lock.unlock();
              events.put("unlocked");
            } catch (IllegalMonitorStateException e) {
              events.put("told: " + e.getMessage());
            }
          });
      assertEquals("holding", events.poll(60, TimeUnit.SECONDS));

      signal("STOP", holder.pid());
      try {
        long t0 = System.nanoTime();
        assertTrue(lock.tryLock(30, TimeUnit.SECONDS), "the frozen holder's lock is taken over");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(lock.ownerDied(), "and the takeover says its holder died");
        System.out.printf("frozen holder (lease %d ms): taken over after %d ms%n", LEASE_MILLIS, tookMs);
        assertTrue(tookMs >= LEASE_MILLIS / 2, "not before the lease could lapse: " + tookMs + " ms");
        lock.unlock();
      } finally {
        signal("CONT", holder.pid());
      }
      go.put("go");
      String told = events.poll(60, TimeUnit.SECONDS);
      assertTrue(told != null && told.startsWith("told: "), "the thawed holder is told it lost the lock: " + told);
      Children.assertExitsOk(holder, Children.RUN);
    }
  }

  private static void signal(String sig, long pid) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "kill -" + sig + " " + pid);
  }
}
