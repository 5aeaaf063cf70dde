package dev.ipckit.testkit.suite;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.Await;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link Lock} and {@link Condition} behaviour of {@link ReentrantLock} (after the JSR-166 TCK's
 * ReentrantLockTest and LockTest), run over {@code ReentrantLock} and ipckit's reentrant {@code rlock}; the cases
 * that need no reentrancy also over the plain {@code lock} and the {@code fileLock}. A backend runs it with a
 * subclass that says where its namespaces live ({@link #newNamespace}).
 */
@Tag("unit")
public abstract class LockConformance {
  static final long SHORT_MS = 50;
  static final long LONG_S = 20;

  private Ipc ipc;

  /** A new, empty namespace of the backend under test; closed after each test. */
  protected abstract Ipc newNamespace(String hint);

  private Ipc ipc() {
    if (ipc == null) {
      ipc = newNamespace("lock-conformance");
    }
    return ipc;
  }

  @AfterEach
  void close() {
    if (ipc != null) {
      ipc.close();
      ipc = null;
    }
  }

  static Stream<Arguments> reentrant() {
    Function<LockConformance, Lock> jdk = t -> new ReentrantLock();
    Function<LockConformance, Lock> rlock = t -> t.ipc().rlock("r");
    return Stream.of(Arguments.of("ReentrantLock", jdk), Arguments.of("rlock", rlock));
  }

  /** With the locks that are not reentrant (locking one twice in a thread is an IllegalStateException). */
  static Stream<Arguments> all() {
    Function<LockConformance, Lock> plain = t -> t.ipc().lock("l");
    Function<LockConformance, Lock> file = t -> t.ipc().fileLock("f");
    return Stream.concat(reentrant(), Stream.of(Arguments.of("lock", plain), Arguments.of("fileLock", file)));
  }

  private static boolean heldHere(Lock lock) {
    return lock instanceof ReentrantLock ? ((ReentrantLock) lock).isHeldByCurrentThread()
        : ((dev.ipckit.IpcLock) lock).isHeldByCurrentThread();
  }

  /** Runs {@code body} in another thread and returns its future. */
  private static <T> CompletableFuture<T> other(java.util.concurrent.Callable<T> body) {
    return dev.ipckit.testkit.Threads.start(body, null);
  }

  /** Holds {@code lock} in another thread until the returned latch is counted down. */
  private static CountDownLatch holdElsewhere(Lock lock) throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    other(() -> {
      lock.lock();
      try {
        held.countDown();
        release.await(LONG_S, TimeUnit.SECONDS);
      } finally {
        lock.unlock();
      }
      return null;
    });
    assertTrue(held.await(LONG_S, TimeUnit.SECONDS));
    return release;
  }

  @ParameterizedTest(name = "{0}") @MethodSource("all")
  void lockUnlockAndTryLockWhenFree(String impl, Function<LockConformance, Lock> f) {
    Lock lock = f.apply(this);
    lock.lock();
    lock.unlock();
    assertTrue(lock.tryLock());
    lock.unlock();
  }

  @ParameterizedTest(name = "{0}") @MethodSource("all")
  void unlockWithoutHoldingIsIllegalMonitorState(String impl, Function<LockConformance, Lock> f) {
    Lock lock = f.apply(this);
    assertThrows(IllegalMonitorStateException.class, lock::unlock);
  }

  @ParameterizedTest(name = "{0}") @MethodSource("all")
  void unlockByAnotherThreadIsIllegalMonitorState(String impl, Function<LockConformance, Lock> f)
      throws Exception {
    Lock lock = f.apply(this);
    lock.lock();
    try {
      Future<Object> r = other(() -> {
        lock.unlock();
        return null;
      });
      java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
          () -> r.get(LONG_S, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof IllegalMonitorStateException, e.toString());
    } finally {
      lock.unlock();
    }
  }

  @ParameterizedTest(name = "{0}") @MethodSource("all")
  void tryLockFailsWhileAnotherThreadHoldsIt(String impl, Function<LockConformance, Lock> f) throws Exception {
    Lock lock = f.apply(this);
    CountDownLatch release = holdElsewhere(lock);
    try {
      assertFalse(lock.tryLock());
      long t0 = System.nanoTime();
      assertFalse(lock.tryLock(SHORT_MS, TimeUnit.MILLISECONDS));
      assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(SHORT_MS), "waited the timeout");
      assertFalse(lock.tryLock(0, TimeUnit.MILLISECONDS));
      assertFalse(lock.tryLock(-1, TimeUnit.MILLISECONDS));
    } finally {
      release.countDown();
    }
    assertTrue(lock.tryLock(LONG_S, TimeUnit.SECONDS), "free again once released");
    lock.unlock();
  }

  @ParameterizedTest(name = "{0}") @MethodSource("all")
  void aTimedTryLockSucceedsWhenReleasedMeanwhile(String impl, Function<LockConformance, Lock> f)
      throws Exception {
    Lock lock = f.apply(this);
    CountDownLatch release = holdElsewhere(lock);
    CompletableFuture<Boolean> waiter = other(() -> {
      boolean got = lock.tryLock(LONG_S, TimeUnit.SECONDS);
      if (got) {
        lock.unlock();
      }
      return got;
    });
    release.countDown();
    assertTrue(waiter.get(LONG_S, TimeUnit.SECONDS));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("all")
  void interruptedBeforeLockInterruptiblyOrTimedTryLockThrows(String impl, Function<LockConformance, Lock> f) {
    Lock lock = f.apply(this);
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, lock::lockInterruptibly);
    assertFalse(Thread.interrupted(), "the exception clears the status");
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> lock.tryLock(LONG_S, TimeUnit.SECONDS));
    assertFalse(Thread.interrupted());
    assertTrue(lock.tryLock(), "nothing was acquired");
    lock.unlock();
  }

  @ParameterizedTest(name = "{0}") @MethodSource("all")
  void aBlockedLockInterruptiblyIsInterrupted(String impl, Function<LockConformance, Lock> f) throws Exception {
    Lock lock = f.apply(this);
    CountDownLatch release = holdElsewhere(lock);
    try {
      Thread[] waiter = new Thread[1];
      CompletableFuture<Object> r = other(() -> {
        waiter[0] = Thread.currentThread();
        lock.lockInterruptibly();
        lock.unlock();
        return "acquired";
      });
      Await.until("the waiter runs", Duration.ofSeconds(LONG_S), () -> waiter[0] != null);
      Await.blocked(waiter[0], Duration.ofSeconds(LONG_S));
      waiter[0].interrupt();
      java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
          () -> r.get(LONG_S, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof InterruptedException, e.toString());
    } finally {
      release.countDown();
    }
  }

  @ParameterizedTest(name = "{0}") @MethodSource("reentrant")
  void theHolderReentersAndMustUnlockAsOften(String impl, Function<LockConformance, Lock> f) throws Exception {
    Lock lock = f.apply(this);
    lock.lock();
    assertTrue(lock.tryLock());
    assertTrue(lock.tryLock(SHORT_MS, TimeUnit.MILLISECONDS));
    lock.unlock();
    lock.unlock();
    assertFalse(other(lock::tryLock).get(LONG_S, TimeUnit.SECONDS), "still held once");
    lock.unlock();
    assertThrows(IllegalMonitorStateException.class, lock::unlock);
    CompletableFuture<Boolean> got = other(() -> {
      boolean b = lock.tryLock();
      if (b) {
        lock.unlock();
      }
      return b;
    });
    assertTrue(got.get(LONG_S, TimeUnit.SECONDS), "free after the last unlock");
  }

  @ParameterizedTest(name = "{0}") @MethodSource("all")
  void conditionMethodsNeedTheLock(String impl, Function<LockConformance, Lock> f) {
    Lock lock = f.apply(this);
    Condition c = lock.newCondition();
    assertThrows(IllegalMonitorStateException.class, c::await);
    assertThrows(IllegalMonitorStateException.class, () -> c.awaitNanos(1000));
    assertThrows(IllegalMonitorStateException.class, () -> c.await(1, TimeUnit.MILLISECONDS));
    assertThrows(IllegalMonitorStateException.class, c::signal);
    assertThrows(IllegalMonitorStateException.class, c::signalAll);
  }

  @ParameterizedTest(name = "{0}") @MethodSource("all")
  void timedAwaitsTimeOutHoldingTheLockAgain(String impl, Function<LockConformance, Lock> f)
      throws Exception {
    Lock lock = f.apply(this);
    Condition c = lock.newCondition();
    lock.lock();
    try {
      long left = c.awaitNanos(TimeUnit.MILLISECONDS.toNanos(SHORT_MS));
      assertTrue(left <= 0, "awaitNanos reports the time left: " + left);
      assertFalse(c.await(SHORT_MS, TimeUnit.MILLISECONDS));
      assertFalse(c.awaitUntil(new Date(System.currentTimeMillis() - 1000)), "a past deadline");
      assertTrue(heldHere(lock), "held again");
    } finally {
      lock.unlock();
    }
  }

  @ParameterizedTest(name = "{0}") @MethodSource("all")
  void signalWakesAWaiterThatThenHoldsTheLock(String impl, Function<LockConformance, Lock> f)
      throws Exception {
    Lock lock = f.apply(this);
    Condition c = lock.newCondition();
    boolean[] flag = new boolean[1];
    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<Boolean> waiter = other(() -> {
      lock.lock();
      try {
        waiting.countDown();
        while (!flag[0]) {
          if (!c.await(LONG_S, TimeUnit.SECONDS)) {
            return false;
          }
        }
        return heldHere(lock);
      } finally {
        lock.unlock();
      }
    });
    assertTrue(waiting.await(LONG_S, TimeUnit.SECONDS));
    lock.lock();                                 // only once the waiter has released it in await
    try {
      flag[0] = true;
      c.signal();
    } finally {
      lock.unlock();
    }
    assertTrue(waiter.get(LONG_S, TimeUnit.SECONDS));
  }

  @ParameterizedTest(name = "{0}") @MethodSource("all")
  void anInterruptedAwaitThrowsHoldingTheLockAgain(String impl, Function<LockConformance, Lock> f)
      throws Exception {
    Lock lock = f.apply(this);
    Condition c = lock.newCondition();
    lock.lock();
    try {
      Thread.currentThread().interrupt();
      assertThrows(InterruptedException.class, c::await);
      assertFalse(Thread.interrupted());
      assertTrue(heldHere(lock), "the lock is held again after the interrupted await");
    } finally {
      lock.unlock();
    }
  }
}
