package dev.ipckit.testkit.suite;

import static dev.ipckit.testkit.Await.until;
import static dev.ipckit.testkit.Children.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcCondition;
import dev.ipckit.IpcLock;
import dev.ipckit.spi.Locations;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.LockKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every lock kind among the threads of one JVM, on any backend: exclusion, misuse and its messages, reentrancy,
 * interrupts, timeouts, closed handles, and conditions (signal, await in all its forms, {@link IpcCondition#waitFor}).
 * A backend runs it with a subclass that says where its namespaces live ({@link #newNamespace}) and, where it
 * differs, which lock kinds are distinct objects ({@link #kinds()}) and how much counting its locks afford.
 */
@Tag("unit")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LockSuite {
  private Ipc ipc;
  private ExecutorService pool;

  /** A new, empty namespace of the backend under test; closed after each test. */
  protected abstract Ipc newNamespace(String hint);

  /** The lock kinds that are objects of their own on this backend (all three by default). */
  protected Set<LockKind> kinds() {
    return EnumSet.allOf(LockKind.class);
  }

  /** How many locked increments each of four threads makes in the counting test. */
  protected int incrementsPerThread(LockKind kind) {
    return kind == LockKind.FILE_LOCK ? 20_000 : 100_000;
  }

  final List<LockKind> allKinds() {
    return new ArrayList<>(kinds());
  }

  final List<LockKind> nonReentrantKinds() {
    List<LockKind> out = allKinds();
    out.remove(LockKind.RLOCK);
    return out;
  }

  @BeforeEach
  void open() {
    ipc = newNamespace("lock");
    pool = Executors.newCachedThreadPool();
  }

  @AfterEach
  void close() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "helper threads finished");
    ipc.close();
  }

  /** How messages name the namespace: a directory by its path, anything else by its location. */
  static String where(Ipc ipc) {
    return Locations.isFile(ipc.location()) ? ipc.dir().toString() : Locations.display(ipc.location());
  }

  /** A counter with no synchronisation of its own: only the lock makes it exact. */
  static final class Plain {
    long n;
  }

  @ParameterizedTest
  @MethodSource("allKinds")
  void threadsOfOneJvmCountExactly(LockKind kind) throws Exception {
    int threads = 4;
    int each = incrementsPerThread(kind);
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
  @MethodSource("nonReentrantKinds")
  void relockingByTheHolderIsAnErrorNotADeadlock(LockKind kind) throws Exception {
    IpcLock lock = kind.open(ipc, "l");
    lock.lock();
    String me = Thread.currentThread().getName();
    String expected = kind == LockKind.FILE_LOCK
        ? "fileLock \"l\" in " + where(ipc) + " is already held by this thread (" + me + "); it is not reentrant"
        : "lock \"l\" in " + where(ipc) + " is already held by this thread (" + me
            + "); lock() is not reentrant, use rlock() for a reentrant lock";
    assertEquals(expected, assertThrows(IllegalStateException.class, lock::lock).getMessage());
    assertEquals(expected, assertThrows(IllegalStateException.class, lock::tryLock).getMessage());
    assertEquals(expected, assertThrows(IllegalStateException.class, lock::lockInterruptibly).getMessage());
    assertEquals(expected, assertThrows(IllegalStateException.class,
        () -> lock.tryLock(1, TimeUnit.SECONDS)).getMessage());
    IpcLock other = kind.open(ipc, "l"); // another handle of the same lock: the same thread still holds it
    assertEquals(expected, assertThrows(IllegalStateException.class, other::lock).getMessage());
    assertTrue(lock.isHeldByCurrentThread());
    assertTrue(other.isHeldByCurrentThread(), "every handle of the lock in this JVM knows its holder");
    lock.unlock(); // still held exactly once
    assertFalse(lock.isHeldByCurrentThread());
    assertFalse(lock.isLocked());
  }

  @ParameterizedTest
  @MethodSource("allKinds")
  void unlockByANonOwnerIsIllegalMonitorState(LockKind kind) throws Exception {
    IpcLock lock = kind.open(ipc, "l");
    String expectedPrefix = label(kind) + " \"l\" in " + where(ipc) + " is not held by this thread (";
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

  /** The kind's name in messages: a fileLock that is the plain lock on this backend is named as one. */
  private String label(LockKind kind) {
    return kind == LockKind.FILE_LOCK && !kinds().contains(LockKind.FILE_LOCK) ? "lock" : kind.label();
  }

  @Test
  void anRlockCountsHoldsPerThread() throws Exception {
    IpcLock lock = ipc.rlock("r");
    lock.lock();
    assertTrue(lock.tryLock());
    lock.lockInterruptibly();
    assertTrue(lock.tryLock(1, TimeUnit.MILLISECONDS));
    assertFalse(pool.submit(() -> lock.tryLock()).get(10, TimeUnit.SECONDS), "another thread cannot have it");
    for (int held = 3; held >= 1; held--) {
      lock.unlock();
      assertTrue(lock.isHeldByCurrentThread(), "held " + held + " times");
      assertTrue(lock.isLocked());
      assertFalse(pool.submit(() -> lock.tryLock()).get(10, TimeUnit.SECONDS), "held " + held + " times");
    }
    lock.unlock();
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
  @MethodSource("allKinds")
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
  @MethodSource("allKinds")
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
  @MethodSource("allKinds")
  void timedTryLockTimesOutAndZeroMeansNow(LockKind kind) throws Exception {
    IpcLock lock = kind.open(ipc, "l");
    Holder holder = new Holder(lock);
    assertFalse(lock.tryLock());
    long t0 = System.nanoTime();
    assertFalse(lock.tryLock(0, TimeUnit.MILLISECONDS));
    assertFalse(lock.tryLock(-5, TimeUnit.SECONDS), "a negative timeout is a zero one");
    assertFalse(lock.tryLock(Long.MIN_VALUE, TimeUnit.DAYS), "the most negative timeout too");
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

  /** A timeout so large that adding it to the clock would overflow waits like no timeout: until the release. */
  @ParameterizedTest
  @MethodSource("allKinds")
  void aHugeTimeoutWaitsForTheRelease(LockKind kind) throws Exception {
    IpcLock lock = kind.open(ipc, "l");
    assertTrue(lock.tryLock(Long.MAX_VALUE, TimeUnit.DAYS), "a free lock at once");
    lock.unlock();
    Holder holder = new Holder(lock);
    Thread[] waiter = new Thread[1];
    CompletableFuture<Boolean> got = dev.ipckit.testkit.Threads.start(() -> {
      boolean b = lock.tryLock(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
      if (b) {
        lock.unlock();
      }
      return b;
    }, waiter);
    Await.blocked(waiter[0], START);
    assertFalse(got.isDone(), "still waiting while the lock is held");
    holder.release();
    assertTrue(got.get(10, TimeUnit.SECONDS), "acquired once released");
  }

  @ParameterizedTest
  @MethodSource("allKinds")
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

  /** A closed handle refuses every use, naming the lock; the lock itself lives on for its other handles. */
  @ParameterizedTest
  @MethodSource("allKinds")
  void aClosedHandleIsAnIllegalStateAndTheLockLivesOn(LockKind kind) throws Exception {
    IpcLock lock = kind.open(ipc, "l");
    IpcCondition c = lock.newCondition();
    lock.lock();
    lock.close();
    lock.close();                                      // twice is harmless
    for (ThrowingRunnable call : List.<ThrowingRunnable>of(lock::lock, lock::tryLock, lock::lockInterruptibly,
        () -> lock.tryLock(1, TimeUnit.SECONDS), lock::unlock, lock::isLocked, lock::newCondition, c::await,
        c::signal)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, call::run);
      assertTrue(e.getMessage().contains("\"l\"") && e.getMessage().contains("closed"), e.getMessage());
    }
    IpcLock other = kind.open(ipc, "l");
    assertTrue(other.isHeldByCurrentThread(), "closing a handle does not release the lock");
    assertTrue(other.isLocked());
    other.unlock();
    assertFalse(other.isLocked());
  }

  /** A call that may throw anything. */
  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  // ---- conditions

  @ParameterizedTest
  @MethodSource("allKinds")
  void aSignalWakesAWaiterThatHoldsTheLockAgain(LockKind kind) throws Exception {
    IpcLock lock = kind.open(ipc, "l");
    Condition ready = lock.newCondition();
    Plain flag = new Plain();                        // guarded by the lock
    AtomicReference<Object> seen = new AtomicReference<>();
    Thread waiter = new Thread(() -> {
      lock.lock();
      try {
        while (flag.n == 0) {
          ready.await();
        }
        seen.set(lock.isHeldByCurrentThread() ? "held, flag " + flag.n : "not held");
      } catch (Throwable e) {
        seen.set(e);
      } finally {
        lock.unlock();
      }
    }, "waiter");
    waiter.start();
    Await.blocked(waiter, START);
    lock.lock();                          // possible only because the waiter released it in await
    try {
      flag.n = 1;
      ready.signal();
    } finally {
      lock.unlock();
    }
    waiter.join(START.toMillis());
    assertFalse(waiter.isAlive(), "the signal must wake the waiter");
    assertEquals("held, flag 1", String.valueOf(seen.get()));
  }

  @ParameterizedTest
  @MethodSource("allKinds")
  void awaitOrSignalWithoutTheLockIsIllegalMonitorState(LockKind kind) throws Exception {
    IpcLock lock = kind.open(ipc, "l");
    Condition c = lock.newCondition();
    IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, c::await);
    assertTrue(e.getMessage().contains("\"l\"") && e.getMessage().contains("not held"), e.getMessage());
    assertThrows(IllegalMonitorStateException.class, c::signal);
    assertThrows(IllegalMonitorStateException.class, c::signalAll);
    assertThrows(IllegalMonitorStateException.class, () -> c.awaitNanos(1));
    assertThrows(IllegalMonitorStateException.class, c::awaitUninterruptibly);
    Thread.currentThread().interrupt();
    assertThrows(IllegalMonitorStateException.class, c::await, "the misuse first, even when interrupted");
    assertTrue(Thread.interrupted(), "and the interrupt stays pending");
    assertFalse(lock.isLocked(), "a refused await must not leave the lock taken");
  }

  @ParameterizedTest
  @MethodSource("allKinds")
  void timedWaitsTimeOutHoldingTheLock(LockKind kind) throws Exception {
    IpcLock lock = kind.open(ipc, "l");
    Condition c = lock.newCondition();
    lock.lock();
    try {
      assertTrue(c.awaitNanos(TimeUnit.MILLISECONDS.toNanos(20)) <= 0, "no signal: the time runs out");
      assertTrue(lock.isHeldByCurrentThread());
      assertFalse(c.await(5, TimeUnit.MILLISECONDS));
      assertFalse(c.await(-1, TimeUnit.SECONDS), "a negative timeout does not wait");
      assertFalse(c.await(Long.MIN_VALUE, TimeUnit.DAYS), "nor does the most negative one");
      assertTrue(c.awaitNanos(Long.MIN_VALUE) <= 0);
      assertFalse(c.awaitUntil(new Date(System.currentTimeMillis() - 1000)));
      assertTrue(lock.isHeldByCurrentThread());
    } finally {
      lock.unlock();
    }
    assertFalse(lock.isLocked());
  }

  @ParameterizedTest
  @MethodSource("allKinds")
  void anInterruptedAwaitThrowsHoldingTheLock(LockKind kind) throws Exception {
    IpcLock lock = kind.open(ipc, "l");
    Condition c = lock.newCondition();
    lock.lock();
    try {
      Thread.currentThread().interrupt();
      assertThrows(InterruptedException.class, c::await, "an interrupt pending on entry");
      assertTrue(lock.isHeldByCurrentThread());
    } finally {
      lock.unlock();
    }
    AtomicReference<Object> seen = new AtomicReference<>();
    Thread waiter = new Thread(() -> {
      lock.lock();
      try {
        c.await(1, TimeUnit.DAYS);
        seen.set("returned without an interrupt");
      } catch (InterruptedException e) {
        seen.set(lock.isHeldByCurrentThread() ? "interrupted, held" : "interrupted, not held");
      } finally {
        if (lock.isHeldByCurrentThread()) {
          lock.unlock();
        }
      }
    }, "waiter");
    waiter.start();
    Await.blocked(waiter, START);
    waiter.interrupt();
    waiter.join(START.toMillis());
    assertEquals("interrupted, held", String.valueOf(seen.get()));
    assertFalse(lock.isLocked());
  }

  @ParameterizedTest
  @MethodSource("allKinds")
  void awaitUninterruptiblyWaitsForTheSignalAndKeepsTheInterrupt(LockKind kind) throws Exception {
    IpcLock lock = kind.open(ipc, "l");
    Condition c = lock.newCondition();
    Plain flag = new Plain();                        // guarded by the lock
    AtomicReference<String> seen = new AtomicReference<>();
    Thread waiter = new Thread(() -> {
      lock.lock();
      try {
        c.awaitUninterruptibly();         // once, no loop: only the signal may end it
        seen.set("flag " + flag.n + ", interrupted " + Thread.currentThread().isInterrupted());
      } finally {
        lock.unlock();
      }
    }, "waiter");
    waiter.start();
    Await.blocked(waiter, START);
    waiter.interrupt();
    until("the waiter to block again after the interrupt", START,
        () -> !waiter.isInterrupted() && waiter.getState() == Thread.State.TIMED_WAITING);
    lock.lock();
    try {
      flag.n = 1;
      c.signalAll();
    } finally {
      lock.unlock();
    }
    waiter.join(START.toMillis());
    assertEquals("flag 1, interrupted true", seen.get());
  }

  @Test
  void anRlockAwaitReleasesEveryHoldAndRestoresThem() throws Exception {
    IpcLock lock = ipc.rlock("r");
    Condition c = lock.newCondition();
    Plain flag = new Plain();                        // guarded by the lock
    lock.lock();
    lock.lock();
    lock.lock();
    Thread other = new Thread(() -> {
      try {
        if (lock.tryLock(START.toMillis(), TimeUnit.MILLISECONDS)) {   // only while the owner awaits
          try {
            flag.n = 1;
            c.signal();
          } finally {
            lock.unlock();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "other");
    other.start();
    try {
      while (flag.n == 0) {
        assertTrue(c.await(START.toMillis(), TimeUnit.MILLISECONDS), "the other thread must get in and signal");
      }
    } finally {
      lock.unlock();
      lock.unlock();
      assertTrue(lock.isHeldByCurrentThread(), "await gave back every hold: one is left");
      assertFalse(pool.submit(() -> lock.tryLock()).get(10, TimeUnit.SECONDS), "still held once");
      lock.unlock();
    }
    other.join(START.toMillis());
    assertFalse(lock.isHeldByCurrentThread());
    assertFalse(lock.isLocked());
  }

  @ParameterizedTest
  @MethodSource("allKinds")
  void waitForReturnsOnceThePredicateHoldsRecheckingAfterEverySignal(LockKind kind) throws Exception {
    IpcLock lock = kind.open(ipc, "l");
    IpcCondition ready = lock.newCondition();
    Plain v = new Plain();                           // guarded by the lock
    AtomicInteger checks = new AtomicInteger();
    Future<Boolean> waiter = pool.submit(() -> {
      lock.lock();
      try {
        return ready.waitFor(() -> {
          checks.incrementAndGet();
          return v.n >= 3;
        }, Duration.ofSeconds(30));
      } finally {
        lock.unlock();
      }
    });
    for (int i = 1; i <= 3; i++) {
      int checked = i;
      // the waiter holds the lock from each check until its await releases it: once checked i times and the
      // lock is ours, it is waiting, and the signal reaches it
      until("the waiter checked " + checked + " times", Duration.ofSeconds(30), () -> checks.get() >= checked);
      lock.lock();
      try {
        v.n = i;
        ready.signalAll();
      } finally {
        lock.unlock();
      }
    }
    assertTrue(waiter.get(30, TimeUnit.SECONDS));
    assertTrue(checks.get() >= 3, "checked before waiting and after every signal: " + checks.get());
  }

  @ParameterizedTest
  @MethodSource("allKinds")
  void waitForIsFalseWhenTheTimeRunsOutAndTheLockIsHeldAgain(LockKind kind) throws Exception {
    IpcLock lock = kind.open(ipc, "l");
    IpcCondition c = lock.newCondition();
    lock.lock();
    try {
      assertFalse(c.waitFor(() -> false, Duration.ofMillis(30)));
      assertTrue(lock.isHeldByCurrentThread());
      assertFalse(c.waitFor(() -> false, Duration.ZERO), "a zero timeout checks once");
      assertTrue(c.waitFor(() -> true, Duration.ofMillis(-1)), "true at once needs no time");
      assertTrue(c.waitFor(() -> true, 1, TimeUnit.MILLISECONDS));
    } finally {
      lock.unlock();
    }
    assertThrows(IllegalMonitorStateException.class, () -> c.waitFor(() -> false, Duration.ofMillis(10)));
  }
}
