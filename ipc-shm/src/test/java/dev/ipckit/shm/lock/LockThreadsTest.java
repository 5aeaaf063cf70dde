package dev.ipckit.shm.lock;

import static dev.ipckit.testkit.Children.START;
import static dev.ipckit.testkit.Children.assertExitsOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedLong;
import dev.ipckit.shm.NamespaceTestKit;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.LockKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every lock kind among the threads of one JVM: exclusion, misuse, reentrancy, interrupts and timeouts. */
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

  /** A counter with no synchronisation of its own: only the lock makes it exact. */
  static final class Plain {
    long n;
  }

  @ParameterizedTest
  @EnumSource(LockKind.class)
  void threadsOfOneJvmCountExactly(LockKind kind) throws Exception {
    int threads = 4;
    int each = kind == LockKind.FILE_LOCK ? 20_000 : 100_000;
    Plain plain = new Plain();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      IpcLock lock = kind.open(ipc, "l"); // a handle per thread, as separate components would have
      fs.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < each; i++) {
          lock.lock();
          try {
            plain.n++;
          } finally {
            lock.unlock();
          }
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : fs) {
      f.get(60, TimeUnit.SECONDS);
    }
    IpcLock lock = kind.open(ipc, "l");
    lock.lock();
    assertEquals((long) threads * each, plain.n);
    assertFalse(lock.ownerDied());
    lock.unlock();
  }

  @ParameterizedTest
  @EnumSource(value = LockKind.class, names = {"LOCK", "FILE_LOCK"})
  void relockingByTheHolderIsAnErrorNotADeadlock(LockKind kind) throws Exception {
    IpcLock lock = kind.open(ipc, "l");
    lock.lock();
    String me = Thread.currentThread().getName();
    String expected = kind == LockKind.LOCK
        ? "lock \"l\" in " + ipc.dir() + " is already held by this thread (" + me
            + "); lock() is not reentrant, use rlock() for a reentrant lock"
        : "fileLock \"l\" in " + ipc.dir() + " is already held by this thread (" + me + "); it is not reentrant";
    assertEquals(expected, assertThrows(IllegalStateException.class, lock::lock).getMessage());
    assertEquals(expected, assertThrows(IllegalStateException.class, lock::tryLock).getMessage());
    assertEquals(expected, assertThrows(IllegalStateException.class, lock::lockInterruptibly).getMessage());
    assertEquals(expected, assertThrows(IllegalStateException.class,
        () -> lock.tryLock(1, TimeUnit.SECONDS)).getMessage());
    IpcLock other = kind.open(ipc, "l"); // another handle of the same lock: the same thread still holds it
    assertEquals(expected, assertThrows(IllegalStateException.class, other::lock).getMessage());
    assertTrue(lock.isHeldByCurrentThread());
    lock.unlock(); // still held exactly once
    assertFalse(lock.isHeldByCurrentThread());
    assertFalse(lock.isLocked());
  }

  @ParameterizedTest
  @EnumSource(LockKind.class)
  void unlockByANonOwnerIsIllegalMonitorState(LockKind kind) throws Exception {
    IpcLock lock = kind.open(ipc, "l");
    String expectedPrefix = kind.label() + " \"l\" in " + ipc.dir() + " is not held by this thread (";
    IllegalMonitorStateException free = assertThrows(IllegalMonitorStateException.class, lock::unlock);
    assertEquals(expectedPrefix + Thread.currentThread().getName() + ")", free.getMessage());

    lock.lock();
    AtomicReference<Throwable> seen = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        lock.unlock();
      } catch (Throwable e) {
        seen.set(e);
      }
    }, "intruder");
    t.start();
    t.join(10_000);
    assertTrue(seen.get() instanceof IllegalMonitorStateException, String.valueOf(seen.get()));
    assertEquals(expectedPrefix + "intruder)", seen.get().getMessage());
    assertTrue(lock.isHeldByCurrentThread(), "still held by its owner");
    lock.unlock();
  }

  @Test
  void rlockCountsHoldsPerThread() throws Exception {
    IpcLock lock = ipc.rlock("r");
    ShmLock impl = (ShmLock) lock;
    assertEquals(0, impl.holdCount());
    lock.lock();
    assertTrue(lock.tryLock());
    lock.lockInterruptibly();
    assertTrue(lock.tryLock(1, TimeUnit.MILLISECONDS));
    assertEquals(4, impl.holdCount());
    assertFalse(pool.submit(() -> lock.tryLock()).get(10, TimeUnit.SECONDS), "another thread cannot have it");
    for (int held = 3; held >= 1; held--) {
      lock.unlock();
      assertEquals(held, impl.holdCount());
      assertTrue(lock.isLocked());
      assertFalse(pool.submit(() -> lock.tryLock()).get(10, TimeUnit.SECONDS), "held " + held + " times");
    }
    lock.unlock();
    assertEquals(0, impl.holdCount());
    assertFalse(lock.isHeldByCurrentThread());
    assertThrows(IllegalMonitorStateException.class, lock::unlock);
    assertTrue(pool.submit(() -> {
      boolean got = lock.tryLock();
      lock.unlock();
      return got;
    }).get(10, TimeUnit.SECONDS), "free once every hold is released");
  }

  /** The lock is held by another thread of this JVM until {@link #release()}. */
  private final class Holder {
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final Future<?> done;

    Holder(IpcLock lock) throws InterruptedException {
      done = pool.submit(() -> {
        lock.lock();
        held.countDown();
        release.await();
        lock.unlock();
        return null;
      });
      assertTrue(held.await(10, TimeUnit.SECONDS));
    }

    void release() throws Exception {
      release.countDown();
      done.get(10, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @EnumSource(LockKind.class)
  void lockInterruptiblyHonoursAPendingInterrupt(LockKind kind) {
    IpcLock lock = kind.open(ipc, "l");
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, lock::lockInterruptibly);
    assertFalse(Thread.interrupted(), "the interrupt is consumed by the exception");
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> lock.tryLock(1, TimeUnit.SECONDS));
    assertFalse(Thread.interrupted());
    assertFalse(lock.isHeldByCurrentThread());
  }

  @ParameterizedTest
  @EnumSource(LockKind.class)
  void aWaiterInLockInterruptiblyOrTimedTryLockLeavesOnInterrupt(LockKind kind) throws Exception {
    IpcLock lock = kind.open(ipc, "l");
    Holder holder = new Holder(lock);
    for (boolean timed : new boolean[] {false, true}) {
      AtomicReference<Throwable> outcome = new AtomicReference<>();
      Thread waiter = new Thread(() -> {
        try {
          if (timed) {
            outcome.set(new AssertionError("tryLock returned " + lock.tryLock(60, TimeUnit.SECONDS)
                + " instead of throwing InterruptedException"));
          } else {
            lock.lockInterruptibly();
            outcome.set(new AssertionError("acquired a held lock"));
          }
        } catch (Throwable e) {
          outcome.set(e);
        }
      }, "waiter");
      waiter.start();
      Await.blocked(waiter, START);
      waiter.interrupt();
      waiter.join(10_000);
      assertFalse(waiter.isAlive(), "the interrupted waiter left");
      assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
    }
    holder.release();
    assertTrue(lock.tryLock(), "nothing left behind by the interrupted waiters");
    lock.unlock();
  }

  @ParameterizedTest
  @EnumSource(LockKind.class)
  void timedTryLockTimesOutAndZeroMeansNow(LockKind kind) throws Exception {
    IpcLock lock = kind.open(ipc, "l");
    Holder holder = new Holder(lock);
    assertFalse(lock.tryLock());
    long t0 = System.nanoTime();
    assertFalse(lock.tryLock(0, TimeUnit.MILLISECONDS));
    assertFalse(lock.tryLock(-5, TimeUnit.SECONDS), "a negative timeout is a zero one");
    long t1 = System.nanoTime();
    assertFalse(lock.tryLock(80, TimeUnit.MILLISECONDS));
    long t2 = System.nanoTime();
    assertTrue(t2 - t1 >= TimeUnit.MILLISECONDS.toNanos(80), "waited the timeout: " + (t2 - t1) / 1e6 + " ms");
    assertTrue(t2 - t1 < TimeUnit.SECONDS.toNanos(5), "not much longer: " + (t2 - t1) / 1e6 + " ms");
    assertTrue(t1 - t0 < TimeUnit.MILLISECONDS.toNanos(500), "zero timeouts do not wait: " + (t1 - t0) / 1e6 + " ms");
    holder.release();
    assertTrue(lock.tryLock(10, TimeUnit.SECONDS));
    lock.unlock();
  }

  @ParameterizedTest
  @EnumSource(LockKind.class)
  void lockIgnoresInterruptsButKeepsTheStatus(LockKind kind) throws Exception {
    IpcLock lock = kind.open(ipc, "l");
    Holder holder = new Holder(lock);
    Future<Boolean> waiter = pool.submit(() -> {
      Thread.currentThread().interrupt();
      lock.lock();
      boolean stillInterrupted = Thread.interrupted();
      lock.unlock();
      return stillInterrupted;
    });
    holder.release();
    assertTrue(waiter.get(10, TimeUnit.SECONDS), "lock() acquired and the interrupt status survived");
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
