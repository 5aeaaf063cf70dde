package dev.ipckit.shm.lock;

import static dev.ipckit.testkit.Children.START;
import static dev.ipckit.testkit.Children.assertExitsOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedLong;
import dev.ipckit.shm.NamespaceTestKit;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.testkit.Children;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What is particular to this backend's locks among the threads of one JVM (the rest is {@link
 * dev.ipckit.testkit.suite.LockSuite}, run by {@link ShmLockTest}).
 */
@Tag("process")
class LockThreadsTest {
  private Ipc ipc;
  private ExecutorService pool;
  private final Children children = new Children();

  @BeforeEach
  void open() {
    ipc = Ipc.temp();
    pool = Executors.newCachedThreadPool();
  }

  @AfterEach
  void close() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "helper threads finished");
    children.close();
    ipc.close();
  }

  /**
   * Java closes an interruptible channel when a thread with a pending interrupt uses it, and closing any channel
   * of a file drops every kernel lock the JVM holds on it. An interrupted thread that takes and releases a file
   * lock, or opens objects, must leave this JVM's kernel locks (other file locks, its registry slot) in place: a
   * child process checks them from outside.
   */
  @Test
  void anInterruptedThreadDoesNotBreakTheJvmsOtherKernelLocks() throws Exception {
    IpcLock held = ipc.fileLock("held");
    held.lock();
    SharedLong parentToken = ipc.sharedLong("parent-token", 0);
    parentToken.set(NamespaceTestKit.registryOf(ipc).token());
    Future<String> interrupted = pool.submit(() -> {
      Thread.currentThread().interrupt();
      IpcLock other = ipc.fileLock("other");
      other.lock();
      other.unlock();
      assertTrue(other.tryLock());
      other.unlock();
      ipc.sharedLong("opened-while-interrupted", 1).incrementAndGet();
      assertFalse(ipc.fileLock("held").tryLock(), "held by the test thread");
      ipc.lock("plain").lock();
      ipc.lock("plain").unlock();
      return Thread.interrupted() ? "still interrupted" : "interrupt lost";
    });
    assertEquals("still interrupted", interrupted.get(10, TimeUnit.SECONDS));
    assertTrue(held.isHeldByCurrentThread());
    IpcLock heldHandle = held;
    SharedInt verdict = ipc.sharedInt("verdict", 0);
    IpcProcess child = children.start(() -> {
      boolean free = heldHandle.tryLock();
      boolean parentAlive = ((ShmHandle) heldHandle).ns.liveness().isAlive(parentToken.get());
      verdict.set((free ? 1 : 0) | (parentAlive ? 0 : 2) | 4);
    });
    assertExitsOk(child, START);
    assertEquals(4, verdict.get(), "1: the child got the parent's file lock, 2: the parent's slot looked dead");
    held.unlock();
  }
}
