package dev.ipckit.redis;

import static dev.ipckit.testkit.Children.START;
import static dev.ipckit.testkit.Children.assertExitsOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.LockKind;
import dev.ipckit.testkit.suite.LockProcessSuite;
import dev.ipckit.testkit.suite.Words;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link LockProcessSuite} over the Redis lock and rlock, and what a dropped connection of the holder means to
 * another process: a dropped subscription hands the lock over, dropped command connections do not.
 */
class RedisLockProcessTest extends LockProcessSuite {
  private static final RedisTestServer SERVER = RedisTestServer.shared();

  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.open(SERVER.newNamespace(hint));
  }

  /**
   * The server announces no death, so a waiter of more than a second asks it again every 50 ms (to take a dead
   * holder's lock over within 100 ms): 20 round trips a second, which a young JVM runs in its interpreter, about
   * 1 ms of CPU each.
   */
  @Override
  protected double idleCpuLimit() {
    return 4.0;
  }

  @Override
  protected Set<LockKind> kinds() {
    return EnumSet.of(LockKind.LOCK, LockKind.RLOCK);
  }

  @Override
  protected int incrementsPerProcess() {
    return 1_000;
  }

  /**
   * The holder's subscription is dropped (its machine cut off, as far as the server can tell): another process
   * takes the lock over with ownerDied() true, and the holder's unlock says the lock was lost.
   */
  @Test
  void aDroppedSubscriptionHandsTheLockToAnotherProcess() throws Exception {
    try (Ipc ipc = newNamespace("lost"); Words w = Words.create(2)) {
      IpcLock lock = ipc.lock("l");
      lock.lock();
      assertEquals(1, ClientKill.thisProcess(SERVER, "pubsub"));
      IpcProcess child = start(() -> {
        w.set(0, lock.tryLock(Children.START.toMillis(), TimeUnit.MILLISECONDS) ? 1 : 2);
        w.set(1, lock.ownerDied() ? 1 : 2);
        lock.unlock();
      });
      assertExitsOk(child, START);
      assertEquals(1, w.get(0), "the other process got the lock");
      assertEquals(1, w.get(1), "and was told its holder died");
      IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, lock::unlock);
      assertTrue(e.getMessage().contains("was lost"), e.getMessage());
      assertTrue(lock.tryLock(10, TimeUnit.SECONDS), "usable again");
      lock.unlock();
    }
  }

  /**
   * The holder's command connections are dropped while it holds the lock, its subscription stays: it is alive,
   * so another process does not get the lock until the holder, on fresh connections, releases it.
   */
  @Test
  void droppedCommandConnectionsKeepTheLockFromAnotherProcess() throws Exception {
    try (Ipc ipc = newNamespace("normal"); Words w = Words.create(3)) {
      IpcLock lock = ipc.lock("l");
      lock.lock();
      assertTrue(ClientKill.thisProcess(SERVER, "normal") >= 1);
      IpcProcess child = start(() -> {
        w.set(0, lock.tryLock(300, TimeUnit.MILLISECONDS) ? 1 : 2);
        lock.lock();
        w.set(1, lock.ownerDied() ? 1 : 2);
        lock.unlock();
      });
      w.await(0, 2, START);                    // the child gave up after 300 ms: still held by a live process
      lock.unlock();
      assertExitsOk(child, START);
      assertEquals(2, w.get(1), "a clean hand-over, not a takeover");
    }
  }
}
