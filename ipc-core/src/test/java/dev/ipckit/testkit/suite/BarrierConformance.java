package dev.ipckit.testkit.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcBarrier;
import dev.ipckit.testkit.Await;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour of {@link CyclicBarrier} (after the JSR-166 TCK's CyclicBarrierTest: arrival indexes, reuse,
 * breaking by timeout, interrupt and reset, and recovery), run over {@code CyclicBarrier} and the {@link IpcBarrier}
 * of the backend of {@link #newNamespace}.
 */
@Tag("unit")
public abstract class BarrierConformance {
  static final long SHORT_MS = 50;
  static final long LONG_S = 20;

  /** The verbs both have. */
  interface Barrier {
    int await() throws InterruptedException, BrokenBarrierException;

    int await(long timeout, TimeUnit unit) throws InterruptedException, BrokenBarrierException, TimeoutException;

    void reset();

    boolean isBroken();

    int getParties();

    int getNumberWaiting();
  }

  private Ipc ipc;
  private int made;

  /** A new, empty namespace of the backend under test. */
  protected abstract Ipc newNamespace(String hint);

  @AfterEach
  void close() {
    if (ipc != null) {
      ipc.close();
    }
  }

  static Stream<Arguments> impls() {
    BiFunction<BarrierConformance, Integer, Barrier> jdk = (t, n) -> {
      CyclicBarrier b = new CyclicBarrier(n);
      return new Barrier() {
        public int await() throws InterruptedException, BrokenBarrierException {
          return b.await();
        }

        public int await(long timeout, TimeUnit unit)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
          return b.await(timeout, unit);
        }

        public void reset() {
          b.reset();
        }

        public boolean isBroken() {
          return b.isBroken();
        }

        public int getParties() {
          return b.getParties();
        }

        public int getNumberWaiting() {
          return b.getNumberWaiting();
        }
      };
    };
    BiFunction<BarrierConformance, Integer, Barrier> ours = (t, n) -> {
      if (t.ipc == null) {
        t.ipc = t.newNamespace("barrier-conformance");
      }
      IpcBarrier b = t.ipc.barrier("b" + (t.made++), n);
      return new Barrier() {
        public int await() throws InterruptedException, BrokenBarrierException {
          return b.await();
        }

        public int await(long timeout, TimeUnit unit)
            throws InterruptedException, BrokenBarrierException, TimeoutException {
          return b.await(timeout, unit);
        }

        public void reset() {
          b.reset();
        }

        public boolean isBroken() {
          return b.isBroken();
        }

        public int getParties() {
          return b.parties();
        }

        public int getNumberWaiting() {
          return b.getNumberWaiting();
        }
      };
    };
    return Stream.of(Arguments.of("CyclicBarrier", jdk), Arguments.of("IpcBarrier", ours));
  }

  private static <T> CompletableFuture<T> other(java.util.concurrent.Callable<T> body, Thread[] self) {
    return dev.ipckit.testkit.Threads.start(body, self);
  }

  private static Throwable cause(CompletableFuture<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(LONG_S, TimeUnit.SECONDS));
    return e.getCause();
  }

  @ParameterizedTest(name = "{0}") @MethodSource("impls")
  void aSinglePartyTripsAtOnceEveryTime(String impl, BiFunction<BarrierConformance, Integer, Barrier> f)
      throws Exception {
    Barrier b = f.apply(this, 1);
    assertEquals(1, b.getParties());
    for (int i = 0; i < 3; i++) {
      assertEquals(0, b.await());
      assertEquals(0, b.await(SHORT_MS, TimeUnit.MILLISECONDS));
    }
    assertFalse(b.isBroken());
  }

  @ParameterizedTest(name = "{0}") @MethodSource("impls")
  void arrivalIndexesAreDistinctAndTheBarrierIsReusable(String impl,
      BiFunction<BarrierConformance, Integer, Barrier> f) throws Exception {
    Barrier b = f.apply(this, 3);
    for (int round = 0; round < 3; round++) {
      CompletableFuture<Integer> x = other(() -> b.await(LONG_S, TimeUnit.SECONDS), null);
      CompletableFuture<Integer> y = other(() -> b.await(LONG_S, TimeUnit.SECONDS), null);
      Await.until("two parties wait", Duration.ofSeconds(LONG_S), () -> b.getNumberWaiting() == 2);
      int last = b.await(LONG_S, TimeUnit.SECONDS);
      assertEquals(0, last, "the last to arrive gets 0");
      Set<Integer> indexes = new HashSet<>(List.of(last, x.get(LONG_S, TimeUnit.SECONDS),
          y.get(LONG_S, TimeUnit.SECONDS)));
      assertEquals(Set.of(0, 1, 2), indexes);
      assertEquals(0, b.getNumberWaiting());
    }
  }

  @ParameterizedTest(name = "{0}") @MethodSource("impls")
  void aTimeoutBreaksTheBarrierForEveryoneUntilReset(String impl,
      BiFunction<BarrierConformance, Integer, Barrier> f) throws Exception {
    Barrier b = f.apply(this, 3);
    CompletableFuture<Integer> waiter = other(() -> b.await(LONG_S, TimeUnit.SECONDS), null);
    Await.until("one party waits", Duration.ofSeconds(LONG_S), () -> b.getNumberWaiting() == 1);
    assertThrows(TimeoutException.class, () -> b.await(SHORT_MS, TimeUnit.MILLISECONDS));
    assertTrue(cause(waiter) instanceof BrokenBarrierException);
    assertTrue(b.isBroken());
    assertThrows(BrokenBarrierException.class, b::await);
    assertThrows(BrokenBarrierException.class, () -> b.await(SHORT_MS, TimeUnit.MILLISECONDS));
    b.reset();
    assertFalse(b.isBroken());
    assertEquals(0, b.getNumberWaiting());
  }

  @ParameterizedTest(name = "{0}") @MethodSource("impls")
  void anInterruptedWaiterBreaksItForTheOthers(String impl, BiFunction<BarrierConformance, Integer, Barrier> f)
      throws Exception {
    Barrier b = f.apply(this, 3);
    Thread[] first = new Thread[1];
    CompletableFuture<Integer> interrupted = other(b::await, first);
    CompletableFuture<Integer> other = other(b::await, null);
    Await.until("two parties wait", Duration.ofSeconds(LONG_S), () -> b.getNumberWaiting() == 2);
    first[0].interrupt();
    assertTrue(cause(interrupted) instanceof InterruptedException);
    assertTrue(cause(other) instanceof BrokenBarrierException);
    assertTrue(b.isBroken());
  }

  @ParameterizedTest(name = "{0}") @MethodSource("impls")
  void anInterruptBeforeAwaitBreaksIt(String impl, BiFunction<BarrierConformance, Integer, Barrier> f) {
    Barrier b = f.apply(this, 2);
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, b::await);
    assertFalse(Thread.interrupted());
    assertTrue(b.isBroken());
    b.reset();
    assertFalse(b.isBroken());
  }

  @ParameterizedTest(name = "{0}") @MethodSource("impls")
  void resetBreaksTheWaitersAndStartsAfresh(String impl, BiFunction<BarrierConformance, Integer, Barrier> f)
      throws Exception {
    Barrier b = f.apply(this, 3);
    CompletableFuture<Integer> x = other(b::await, null);
    CompletableFuture<Integer> y = other(b::await, null);
    Await.until("two parties wait", Duration.ofSeconds(LONG_S), () -> b.getNumberWaiting() == 2);
    b.reset();
    assertTrue(cause(x) instanceof BrokenBarrierException);
    assertTrue(cause(y) instanceof BrokenBarrierException);
    assertFalse(b.isBroken(), "reset starts a new generation");
    CompletableFuture<Integer> p = other(() -> b.await(LONG_S, TimeUnit.SECONDS), null);
    CompletableFuture<Integer> q = other(() -> b.await(LONG_S, TimeUnit.SECONDS), null);
    Await.until("two parties wait again", Duration.ofSeconds(LONG_S), () -> b.getNumberWaiting() == 2);
    assertEquals(0, b.await(LONG_S, TimeUnit.SECONDS));
    p.get(LONG_S, TimeUnit.SECONDS);
    q.get(LONG_S, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "{0}") @MethodSource("impls")
  void aZeroOrNegativeTimeoutStillTripsAsTheLastParty(String impl,
      BiFunction<BarrierConformance, Integer, Barrier> f) throws Exception {
    Barrier b = f.apply(this, 2);
    CompletableFuture<Integer> x = other(() -> b.await(LONG_S, TimeUnit.SECONDS), null);
    Await.until("one party waits", Duration.ofSeconds(LONG_S), () -> b.getNumberWaiting() == 1);
    assertEquals(0, b.await(0, TimeUnit.MILLISECONDS));
    assertEquals(1, x.get(LONG_S, TimeUnit.SECONDS));
    assertThrows(TimeoutException.class, () -> b.await(-1, TimeUnit.MILLISECONDS));
    assertTrue(b.isBroken());
  }
}
