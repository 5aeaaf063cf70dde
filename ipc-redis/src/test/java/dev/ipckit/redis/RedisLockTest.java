package dev.ipckit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcCondition;
import dev.ipckit.IpcLock;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.LockKind;
import dev.ipckit.testkit.suite.LockSuite;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link LockSuite} over the Redis lock and rlock (a fileLock is the lock of the same name), and what is particular
 * to them: the hash they keep, a dead token's lock, removal while held, and this process's connections dropped.
 */
class RedisLockTest extends LockSuite {
  private static final RedisTestServer SERVER = RedisTestServer.shared();

  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.open(SERVER.newNamespace(hint));
  }

  @Override
  protected Set<LockKind> kinds() {
    return EnumSet.of(LockKind.LOCK, LockKind.RLOCK);
  }

  @Override
  protected int incrementsPerThread(LockKind kind) {
    return 1_000;
  }

  private static RedisNamespace ns(Ipc ipc) {
    return (RedisNamespace) ipc.namespace();
  }

  @Test
  void aFileLockIsThePlainLockOfTheSameName() {
    try (Ipc ipc = newNamespace("filelock")) {
      IpcLock file = ipc.fileLock("x");
      IpcLock plain = ipc.lock("x");
      file.lock();
      assertTrue(plain.isHeldByCurrentThread());
      assertThrows(IllegalStateException.class, plain::lock, "not reentrant, whichever handle");
      plain.unlock();
      assertFalse(file.isLocked());
      assertEquals("lock", ns(ipc).descriptorOf("x"), "recorded as a lock");
      assertThrows(IllegalArgumentException.class, () -> ipc.rlock("x"), "an rlock is another kind");
    }
  }

  @Test
  void theLockIsAHashOfOwnerTokenThreadHoldCountAndSignalCount() {
    try (Ipc ipc = newNamespace("layout")) {
      IpcLock lock = ipc.rlock("r");
      String key = ns(ipc).key(Kind.RLOCK, "r");
      Server server = ns(ipc).server;
      lock.lock();
      lock.lock();
      Map<String, String> h = server.call(j -> j.hgetAll(key));
      assertEquals(Map.of("o", server.token(), "t", Long.toString(Thread.currentThread().getId()), "c", "2"), h);
      lock.newCondition().signalAll();
      assertEquals("1", server.call(j -> j.hget(key, "s")));
      lock.unlock();
      assertEquals("1", server.call(j -> j.hget(key, "c")));
      lock.unlock();
      assertEquals(Map.of("s", "1"), server.call(j -> j.hgetAll(key)), "the owner goes, the signal count stays");
    }
  }

  @Test
  void aLockRecordedForADeadTokenIsFreeAndTakenOverWithOwnerDied() throws Exception {
    try (Ipc ipc = newNamespace("dead")) {
      IpcLock lock = ipc.lock("l");
      String key = ns(ipc).key(Kind.LOCK, "l");
      SERVER.command("HSET", key, "o", "ipckit:live:nohost:1:dead", "t", "1", "c", "1");
      assertFalse(lock.isLocked(), "a dead holder does not count");
      assertTrue(lock.tryLock());
      assertTrue(lock.ownerDied());
      lock.unlock();
      assertTrue(lock.tryLock(1, TimeUnit.SECONDS));
      assertFalse(lock.ownerDied());
      lock.unlock();
    }
  }

  @Test
  void removingALockHeldByALiveProcessIsRefused() {
    try (Ipc ipc = newNamespace("remove")) {
      IpcLock lock = ipc.lock("l");
      lock.lock();
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> ipc.remove("l"));
      assertTrue(e.getMessage().contains("live process " + ProcessHandle.current().pid()), e.getMessage());
      lock.unlock();
      assertTrue(ipc.remove("l"));
    }
  }

  /**
   * This process's subscription is dropped while it holds the lock: it is no longer alive under that token, so
   * the lock is lost; unlock says so (and frees the lock, still recorded as this thread's), and the lock works
   * again under the new token.
   */
  @Test
  void aDroppedSubscriptionLosesTheLockAndUnlockSaysSo() throws Exception {
    try (Ipc ipc = newNamespace("lost")) {
      IpcLock lock = ipc.rlock("r");
      IpcCondition c = lock.newCondition();
      lock.lock();
      lock.lock();
      assertEquals(1, ClientKill.thisProcess(SERVER, "pubsub"));
      Await.until("the lock to be lost", Children.START, () -> !lock.isHeldByCurrentThread());
      assertFalse(lock.ownerDied());
      assertThrows(IllegalMonitorStateException.class, c::signal);
      IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, lock::unlock);
      assertTrue(e.getMessage().startsWith("rlock \"r\" in " + ipc.location() + " was lost while held by this"
          + " thread"), e.getMessage());
      assertThrows(IllegalMonitorStateException.class, lock::unlock, "every hold went with it");
      assertFalse(lock.isLocked(), "released: it was still recorded as this thread's");
      assertTrue(lock.tryLock(10, TimeUnit.SECONDS));
      assertFalse(lock.ownerDied());
      lock.unlock();
    }
  }

  /**
   * This process's command connections are dropped (its subscription stays, so it stays alive): the lock is
   * still held, and every operation goes on, on fresh connections.
   */
  @Test
  void droppedCommandConnectionsKeepTheLock() throws Exception {
    try (Ipc ipc = newNamespace("normal")) {
      IpcLock lock = ipc.rlock("r");
      IpcCondition c = lock.newCondition();
      lock.lock();
      assertTrue(ClientKill.thisProcess(SERVER, "normal") >= 1);
      assertTrue(lock.isHeldByCurrentThread());
      assertTrue(lock.tryLock(), "re-entered");
      ClientKill.thisProcess(SERVER, "normal");
      c.signal();
      ClientKill.thisProcess(SERVER, "normal");
      assertFalse(c.await(10, TimeUnit.MILLISECONDS));
      ClientKill.thisProcess(SERVER, "normal");
      lock.unlock();
      ClientKill.thisProcess(SERVER, "normal");
      lock.unlock();
      assertFalse(lock.isHeldByCurrentThread());
      assertFalse(lock.isLocked());
    }
  }
}
