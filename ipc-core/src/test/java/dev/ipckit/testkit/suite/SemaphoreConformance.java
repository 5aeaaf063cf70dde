package dev.ipckit.testkit.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.testkit.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour of {@link Semaphore} (after the JSR-166 TCK's SemaphoreTest: blocking, timed and interrupted
 * acquisition, releases without acquisition, argument checks), run over {@code Semaphore} and the
 * {@link IpcSemaphore} of the backend of {@link #newNamespace}.
 */
@Tag("unit")
public abstract class SemaphoreConformance {
  static final long SHORT_MS = 50;
  static final long LONG_S = 20;

  /** The verbs both have. */
  interface Sem {
    void acquire() throws InterruptedException;

    void acquire(int n) throws InterruptedException;

    boolean tryAcquire();

    boolean tryAcquire(int n);

    boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException;

    boolean tryAcquire(int n, long timeout, TimeUnit unit) throws InterruptedException;

    void release();

    void release(int n);

    int availablePermits();

    int drainPermits();
  }

  private Ipc ipc;

  /** A new, empty namespace of the backend under test. */
  protected abstract Ipc newNamespace(String hint);

  @AfterEach
  void close() {
    if (ipc != null) {
      ipc.close();
    }
  }

  static Stream<Arguments> impls() {
    BiFunction<SemaphoreConformance, Integer, Sem> jdk = (t, n) -> jdk(new Semaphore(n));
    BiFunction<SemaphoreConformance, Integer, Sem> ours = (t, n) -> {
      if (t.ipc == null) {
        t.ipc = t.newNamespace("semaphore-conformance");
      }
      return ipc(t.ipc.semaphore("s" + n, n));
    };
    return Stream.of(Arguments.of("Semaphore", jdk), Arguments.of("IpcSemaphore", ours));
  }

  static Sem jdk(Semaphore s) {
    return new Sem() {
      public void acquire() throws InterruptedException {
        s.acquire();
      }

      public void acquire(int n) throws InterruptedException {
        s.acquire(n);
      }

      public boolean tryAcquire() {
        return s.tryAcquire();
      }

      public boolean tryAcquire(int n) {
        return s.tryAcquire(n);
      }

      public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return s.tryAcquire(timeout, unit);
      }

      public boolean tryAcquire(int n, long timeout, TimeUnit unit) throws InterruptedException {
        return s.tryAcquire(n, timeout, unit);
      }

      public void release() {
        s.release();
      }

      public void release(int n) {
        s.release(n);
      }

      public int availablePermits() {
        return s.availablePermits();
      }

      public int drainPermits() {
        return s.drainPermits();
      }
    };
  }

  static Sem ipc(IpcSemaphore s) {
    return new Sem() {
      public void acquire() throws InterruptedException {
        s.acquire();
      }

      public void acquire(int n) throws InterruptedException {
        s.acquire(n);
      }

      public boolean tryAcquire() {
        return s.tryAcquire();
      }

      public boolean tryAcquire(int n) {
        return s.tryAcquire(n);
      }

      public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return s.tryAcquire(timeout, unit);
      }

      public boolean tryAcquire(int n, long timeout, TimeUnit unit) throws InterruptedException {
        return s.tryAcquire(n, timeout, unit);
      }

      public void release() {
        s.release();
      }

      public void release(int n) {
        s.release(n);
      }

      public int availablePermits() {
        return s.availablePermits();
      }

      public int drainPermits() {
        return s.drainPermits();
      }
    };
  }

  private static <T> CompletableFuture<T> other(java.util.concurrent.Callable<T> body, Thread[] self) {
    return dev.ipckit.testkit.Threads.start(body, self);
  }

  @ParameterizedTest(name = "{0}") @MethodSource("impls")
  void acquireAndReleaseCountPermits(String impl, BiFunction<SemaphoreConformance, Integer, Sem> f)
      throws Exception {
    Sem s = f.apply(this, 2);
    assertEquals(2, s.availablePermits());
    s.acquire();
    assertTrue(s.tryAcquire());
    assertEquals(0, s.availablePermits());
    assertFalse(s.tryAcquire());
    s.release();
    s.release();
    assertEquals(2, s.availablePermits());
    s.acquire(2);
    assertEquals(0, s.availablePermits());
    s.release(2);
  }

  @ParameterizedTest(name = "{0}") @MethodSource("impls")
  void releasingWithoutAcquiringAddsPermits(String impl, BiFunction<SemaphoreConformance, Integer, Sem> f) {
    Sem s = f.apply(this, 0);
    assertFalse(s.tryAcquire());
    s.release();
    assertEquals(1, s.availablePermits());
    s.release(3);
    assertEquals(4, s.availablePermits());
    assertTrue(s.tryAcquire(4));
    assertEquals(0, s.availablePermits());
  }

  @ParameterizedTest(name = "{0}") @MethodSource("impls")
  void timedTryAcquireTimesOutThenSucceedsOnRelease(String impl, BiFunction<SemaphoreConformance, Integer, Sem> f)
      throws Exception {
    Sem s = f.apply(this, 0);
    long t0 = System.nanoTime();
    assertFalse(s.tryAcquire(SHORT_MS, TimeUnit.MILLISECONDS));
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(SHORT_MS));
    assertFalse(s.tryAcquire(2, 0, TimeUnit.MILLISECONDS));
    assertFalse(s.tryAcquire(-5, TimeUnit.MILLISECONDS));
    Thread[] waiter = new Thread[1];
    CompletableFuture<Boolean> got = other(() -> s.tryAcquire(2, LONG_S, TimeUnit.SECONDS), waiter);
    Await.blocked(waiter[0], Duration.ofSeconds(LONG_S));
    s.release();
    assertFalse(got.isDone() && got.get(), "one permit is not two");
    s.release();
    assertTrue(got.get(LONG_S, TimeUnit.SECONDS));
    assertEquals(0, s.availablePermits());
  }

  @ParameterizedTest(name = "{0}") @MethodSource("impls")
  void interruptsAreHonouredAndTakeNothing(String impl, BiFunction<SemaphoreConformance, Integer, Sem> f)
      throws Exception {
    Sem s = f.apply(this, 0);
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, s::acquire);
    assertFalse(Thread.interrupted());
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> s.tryAcquire(LONG_S, TimeUnit.SECONDS));
    assertFalse(Thread.interrupted());
    Thread[] waiter = new Thread[1];
    CompletableFuture<Object> blocked = other(() -> {
      s.acquire(1);
      return "acquired";
    }, waiter);
    Await.blocked(waiter[0], Duration.ofSeconds(LONG_S));
    waiter[0].interrupt();
    ExecutionException e = assertThrows(ExecutionException.class, () -> blocked.get(LONG_S, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof InterruptedException, e.toString());
    s.release();
    assertEquals(1, s.availablePermits(), "the interrupted waiter took nothing");
  }

  @ParameterizedTest(name = "{0}") @MethodSource("impls")
  void negativeArgumentsAreRefused(String impl, BiFunction<SemaphoreConformance, Integer, Sem> f) {
    Sem s = f.apply(this, 3);
    assertThrows(IllegalArgumentException.class, () -> s.acquire(-1));
    assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(-1));
    assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(-1, 1, TimeUnit.MILLISECONDS));
    assertThrows(IllegalArgumentException.class, () -> s.release(-1));
    assertEquals(3, s.availablePermits());
  }

  @ParameterizedTest(name = "{0}") @MethodSource("impls")
  void drainTakesAllAvailable(String impl, BiFunction<SemaphoreConformance, Integer, Sem> f) throws Exception {
    Sem s = f.apply(this, 5);
    s.acquire(2);
    assertEquals(3, s.drainPermits());
    assertEquals(0, s.availablePermits());
    assertEquals(0, s.drainPermits());
    s.release(2);
    assertEquals(2, s.availablePermits());
  }

  @ParameterizedTest(name = "{0}") @MethodSource("impls")
  void zeroPermitsAreAlwaysAvailable(String impl, BiFunction<SemaphoreConformance, Integer, Sem> f)
      throws Exception {
    Sem s = f.apply(this, 0);
    assertTrue(s.tryAcquire(0));
    s.acquire(0);
    assertTrue(s.tryAcquire(0, 0, TimeUnit.SECONDS));
    s.release(0);
    assertEquals(0, s.availablePermits());
  }
}
