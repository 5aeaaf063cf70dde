package dev.ipckit.testkit.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcBarrier;
import dev.ipckit.IpcEvent;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Serialized;
import dev.ipckit.testkit.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Semaphores, events and barriers in one JVM, whatever the backend: permits several at once, draining, bounds,
 * holdings (what acquiring, releasing, draining and disowning record, and the permits of a dead holder coming back,
 * played by the backend's {@link #playDeadHolder}), an event's flag and wake-ups, a barrier's breaking, reset,
 * abort and action, and a dead party played by {@link #playDeadParty}. Real processes and real kills are in
 * {@link SyncProcessSuite} and {@link SyncCrashSuite}.
 */
@Tag("unit")
public abstract class SyncSuite {
  /** Generous bound of every wait that must end. */
  protected static final Duration BOUND = Duration.ofSeconds(30);
  private static final long WAIT_S = BOUND.getSeconds();

  protected Ipc ipc;
  private final List<Ipc> others = new ArrayList<>();
  private final ExecutorService pool = Executors.newCachedThreadPool();

  /** A new, empty namespace of the backend under test. */
  protected abstract Ipc newNamespace(String hint);

  /** The permits this process holds of {@code s}, as the backend records them. */
  protected abstract long heldByThisProcess(IpcSemaphore s);

  /**
   * Writes into {@code s} what a process that is gone and held {@code permits} leaves there (dead process number
   * {@code which}, 0 or 1: two different ones).
   */
  protected abstract void playDeadHolder(IpcSemaphore s, int which, long permits);

  /** The permits dead process {@code which} of {@link #playDeadHolder} still holds of {@code s}. */
  protected abstract long heldByDeadHolder(IpcSemaphore s, int which);

  /**
   * Writes into {@code b} what a process that is gone leaves there when it had a party arrive in the current
   * generation (without counting it); with {@code runningItsAction}, that party was the last one, and died while it
   * ran its barrier action: the generation counts every party and is tripping.
   */
  protected abstract void playDeadParty(IpcBarrier b, boolean runningItsAction);

  @BeforeEach
  void open() {
    ipc = newNamespace("sync");
  }

  @AfterEach
  void close() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(WAIT_S, TimeUnit.SECONDS));
    for (Ipc o : others) {
      o.close();
    }
    ipc.close();
  }

  @Test
  void aReferenceCarriesThePermitsOrPartiesAndNoFlagOrCodec() {
    References.assertPlain(ipc, List.of(3L, 2L, 4L, 0L), ipc.semaphore("s", 3), ipc.boundedSemaphore("b", 2),
        ipc.barrier("p", 4), ipc.event("e"));
  }

  /** Another Ipc on the same namespace, as another handle of this process opens it; closed after the test. */
  private Ipc sameNamespace() {
    Ipc o = Ipc.open(ipc.location());
    others.add(o);
    return o;
  }

  private static void assertBroken(Future<?> f) throws Exception {
    try {
      f.get(WAIT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertTrue(e.getCause() instanceof BrokenBarrierException, e.getCause().toString());
      return;
    }
    throw new AssertionError("the wait returned normally instead of breaking");
  }

  private static Throwable failureOf(Future<?> f) throws Exception {
    try {
      f.get(WAIT_S, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  // ------------------------------------------------------------------ semaphores: permits and bounds

  /** The verbs both have. */
  private interface Sem {
    boolean tryAcquire(int n);

    boolean tryAcquire(int n, long ms) throws InterruptedException;

    void release(int n);

    int drainPermits();

    int availablePermits();
  }

  private static Sem of(Semaphore s) {
    return new Sem() {
      public boolean tryAcquire(int n) {
        return s.tryAcquire(n);
      }

      public boolean tryAcquire(int n, long ms) throws InterruptedException {
        return s.tryAcquire(n, ms, TimeUnit.MILLISECONDS);
      }

      public void release(int n) {
        s.release(n);
      }

      public int drainPermits() {
        return s.drainPermits();
      }

      public int availablePermits() {
        return s.availablePermits();
      }
    };
  }

  private static Sem of(IpcSemaphore s) {
    return new Sem() {
      public boolean tryAcquire(int n) {
        return s.tryAcquire(n);
      }

      public boolean tryAcquire(int n, long ms) throws InterruptedException {
        return s.tryAcquire(n, ms, TimeUnit.MILLISECONDS);
      }

      public void release(int n) {
        s.release(n);
      }

      public int drainPermits() {
        return s.drainPermits();
      }

      public int availablePermits() {
        return s.availablePermits();
      }
    };
  }

  @Test
  void severalPermitsAtOnceGiveSemaphoresAnswers() throws Exception {
    Sem ref = of(new Semaphore(5));
    Sem ours = of(ipc.semaphore("s", 5));
    for (Sem s : new Sem[] {ref, ours}) {
      assertTrue(s.tryAcquire(3));
      assertFalse(s.tryAcquire(3), "two left");
      assertTrue(s.tryAcquire(0), "zero permits are always there");
      assertFalse(s.tryAcquire(3, 20), "times out with nothing taken");
      assertEquals(2, s.availablePermits());
      s.release(4);
      assertEquals(6, s.availablePermits());
      assertEquals(6, s.drainPermits());
      assertEquals(0, s.drainPermits());
      assertFalse(s.tryAcquire(1));
      s.release(0);
      assertEquals(0, s.availablePermits());
      assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(-1));
      assertThrows(IllegalArgumentException.class, () -> s.release(-1));
    }
  }

  @Test
  void anAcquireOfSeveralWaitsForAllOfThemAndBoundsHold() throws Exception {
    IpcSemaphore s = ipc.semaphore("s", 1);
    AtomicBoolean got = new AtomicBoolean();
    Thread t = new Thread(() -> {
      try {
        s.acquire(3);
        got.set(true);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    t.start();
    Await.blocked(t, BOUND);
    s.release(1);
    assertFalse(Await.within(Duration.ofMillis(100), got::get), "two of three are not enough");
    assertEquals(2, s.availablePermits(), "and none of them was taken meanwhile");
    s.release(1);
    t.join(BOUND.toMillis());
    assertTrue(got.get());
    assertEquals(0, s.availablePermits());

    IpcSemaphore b = ipc.boundedSemaphore("b", 3);
    assertTrue(b.tryAcquire(2));
    assertThrows(IllegalStateException.class, () -> b.release(3), "past the bound: nothing returned");
    assertEquals(1, b.availablePermits());
    b.release(2);
    assertEquals(3, b.availablePermits());
  }

  @Test
  void aBoundedSemaphoreRefusesAReleasePastItsBoundAndAnotherBound() {
    IpcSemaphore sem = ipc.boundedSemaphore("b", 1);
    IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
    assertTrue(e.getMessage().contains("released too many times") && e.getMessage().contains("\"b\""), e.getMessage());
    assertEquals(1, sem.availablePermits(), "the count is left unchanged");
    IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> ipc.boundedSemaphore("b", 3));
    assertTrue(m.getMessage().contains("\"b\"") && m.getMessage().contains("bound 1") && m.getMessage().contains("3"),
        m.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ipc.semaphore("neg", -1));
    assertThrows(IllegalArgumentException.class, () -> ipc.semaphore("b", 1), "a bounded one is not a plain one");
  }

  @Test
  void aPlainSemaphoreOpenedAgainWithOtherPermitsIsTheSameOne() {
    IpcSemaphore s = ipc.semaphore("s", 2);
    IpcSemaphore again = ipc.semaphore("s", 7);
    assertTrue(again.tryAcquire());
    assertEquals(1, s.availablePermits(), "the permits it was created with, less the one taken");
    again.release();
    assertEquals(2, s.availablePermits());
  }

  @Test
  void aSemaphoreHandleTravelsAsAReferenceToTheSameSemaphore() throws Exception {
    IpcSemaphore s = ipc.boundedSemaphore("b", 2);
    IpcSemaphore copy = Serialized.roundTrip(s);
    assertTrue(copy.tryAcquire(2));
    assertEquals(0, s.availablePermits());
    copy.release(2);
    assertThrows(IllegalStateException.class, copy::release, "the copy has the same bound");
    copy.close();
  }

  // ------------------------------------------------------------------ semaphores: holdings

  @Test
  void acquiringAddsToThisProcesssHoldingsAndReleasingTakesFromThemFirst() throws Exception {
    IpcSemaphore s = ipc.semaphore("s", 3);
    Semaphore ref = new Semaphore(3);
    s.acquire(2);
    ref.acquire(2);
    assertEquals(2, heldByThisProcess(s));
    s.release(1);
    ref.release(1);
    assertEquals(1, heldByThisProcess(s));
    s.release(3);                                 // one of its own, two anonymous
    ref.release(3);
    assertEquals(0, heldByThisProcess(s));
    assertEquals(ref.availablePermits(), s.availablePermits(), "as java.util.concurrent.Semaphore counts");
    assertEquals(5, s.availablePermits());
    assertFalse(s.reclaimed(), "nothing was reclaimed");
  }

  /** As the JSR-166 TCK's release-before-acquire tests: a release needs no acquire, in any amount. */
  @Test
  void releasingWithoutAcquiringKeepsWorking() throws Exception {
    IpcSemaphore s = ipc.semaphore("s", 0);
    s.release();
    assertEquals(1, s.availablePermits());
    assertTrue(s.tryAcquire());
    s.release(3);
    assertEquals(3, s.availablePermits());
    s.acquire(3);
    assertEquals(0, s.availablePermits());
    assertEquals(3, heldByThisProcess(s), "what it acquired, it holds");
    s.release(4);
    assertEquals(4, s.availablePermits());
    assertEquals(0, heldByThisProcess(s));
  }

  @Test
  void drainingAddsToTheHoldingsAndDisowningTakesThemOutForGood() throws Exception {
    IpcSemaphore s = ipc.semaphore("s", 4);
    assertEquals(4, s.drainPermits());
    assertEquals(4, heldByThisProcess(s));
    assertEquals(3, s.disown(3));
    assertEquals(1, heldByThisProcess(s));
    assertEquals(1, s.disown(5), "no more than it holds");
    assertEquals(0, s.disown(1));
    assertEquals(0, heldByThisProcess(s));
    assertThrows(IllegalArgumentException.class, () -> s.disown(-1));
    assertEquals(0, s.availablePermits(), "disowned permits stay taken");
  }

  @Test
  void theHandlesOfOneProcessShareItsHoldings() throws Exception {
    IpcSemaphore s = ipc.semaphore("s", 2);
    IpcSemaphore other = sameNamespace().semaphore("s", 2);
    s.acquire(2);
    other.release(2);                             // the process's own permits, through another handle
    assertEquals(0, heldByThisProcess(s));
    assertEquals(2, s.availablePermits());
  }

  @Test
  void aDeadHoldersPermitsComeBackToAnAcquireThatFindsTooFewAndItSaysSo() throws Exception {
    IpcSemaphore s = ipc.semaphore("s", 2);
    assertEquals(2, s.drainPermits());
    s.disown(2);                                  // as if a process now dead had taken them:
    playDeadHolder(s, 0, 2);                      // it holds two
    assertEquals(0, s.availablePermits(), "not counted before they are reclaimed");

    assertTrue(s.tryAcquire(), "a tryAcquire that finds none reclaims the dead holder's");
    assertTrue(s.reclaimed(), "and this acquisition took a reclaimed permit");
    assertEquals(0, heldByDeadHolder(s, 0), "the dead holder holds nothing any more");
    AtomicBoolean other = new AtomicBoolean();
    Thread t = new Thread(() -> other.set(s.tryAcquire() && s.reclaimed()));
    t.start();
    t.join(BOUND.toMillis());
    assertTrue(other.get(), "the second reclaimed permit is reported by whoever takes it");
    assertTrue(s.reclaimed(), "another thread's acquisition changes nothing for this one");
    s.release(1);
    assertTrue(s.tryAcquire());
    assertFalse(s.reclaimed(), "a permit that was not reclaimed");
    assertFalse(s.tryAcquire(), "exactly the two came back");
  }

  @Test
  void aWaiterReclaimsADeadHoldersPermits() throws Exception {
    IpcSemaphore s = ipc.semaphore("s", 1);
    assertTrue(s.tryAcquire());
    s.disown(1);
    Future<Boolean> waiter = pool.submit(() -> {
      s.acquire();
      return s.reclaimed();
    });
    assertFalse(Await.within(Duration.ofMillis(50), waiter::isDone), "nobody holds a permit that could come back");
    playDeadHolder(s, 0, 1);                      // now one does, and is gone
    assertTrue(waiter.get(WAIT_S, TimeUnit.SECONDS), "the waiter took the dead holder's permit, and says so");
  }

  @Test
  void aBoundedSemaphoreNeverPassesItsBoundByReclaiming() throws Exception {
    IpcSemaphore s = ipc.boundedSemaphore("b", 2);
    playDeadHolder(s, 0, 1);                      // its permit was made up for already: the count is at the bound
    assertFalse(s.tryAcquire(3), "more than the bound is never there");
    assertEquals(2, s.availablePermits(), "and nothing was given back past the bound");
    assertEquals(0, heldByDeadHolder(s, 0), "the dead holder's entry was looked at and emptied");

    assertTrue(s.tryAcquire());
    playDeadHolder(s, 1, 3);
    assertTrue(s.tryAcquire(2), "one permit left, one reclaimed up to the bound");
    assertTrue(s.reclaimed());
    assertEquals(3, heldByThisProcess(s));
    s.release(2);
    assertEquals(2, s.availablePermits());
    assertThrows(IllegalStateException.class, s::release, "at the bound: the third cannot be returned");
    assertEquals(2, s.availablePermits());
  }

  @Test
  void aClosedSemaphoreHandleSaysSoAndKeepsItsPermitsHeld() throws Exception {
    IpcSemaphore s = ipc.semaphore("closed-sem", 1);
    s.acquire();
    s.close();
    s.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, s::tryAcquire);
    assertTrue(e.getMessage().contains("closed") && e.getMessage().contains("closed-sem"), e.getMessage());
    assertThrows(IllegalStateException.class, s::release);
    IpcSemaphore again = ipc.semaphore("closed-sem", 1);
    assertEquals(1, heldByThisProcess(again), "closing a handle returns nothing");
    again.release();
    assertEquals(1, again.availablePermits());
  }

  // ------------------------------------------------------------------ events

  @Test
  void anEventIsCreatedClearAndSetWakesEveryWaiter() throws Exception {
    IpcEvent ev = ipc.event("ev");
    assertFalse(ev.isSet());
    assertFalse(ev.await(20, TimeUnit.MILLISECONDS));
    assertFalse(ev.await(0, TimeUnit.SECONDS), "zero only looks");
    Thread[] waiters = new Thread[2];
    CompletableFuture<Boolean> timed = Threads.start(() -> ev.await(WAIT_S, TimeUnit.SECONDS), waiters);
    CompletableFuture<Boolean> untimed = Threads.start(() -> {
      ev.await();
      return true;
    }, null);
    Await.blocked(waiters[0], BOUND);
    ev.set();
    assertTrue(timed.get(WAIT_S, TimeUnit.SECONDS));
    assertTrue(untimed.get(WAIT_S, TimeUnit.SECONDS));
    assertTrue(ev.isSet());
    ev.set();
    assertTrue(ev.isSet(), "setting a set event changes nothing");
    ev.await();
    assertTrue(ev.await(0, TimeUnit.SECONDS), "a set event returns at once");
  }

  @Test
  void aClearedEventMakesWaitersWaitForTheNextSet() throws Exception {
    IpcEvent ev = ipc.event("ev");
    IpcEvent other = sameNamespace().event("ev");
    ev.set();
    assertTrue(other.isSet(), "one event, whichever handle");
    other.clear();
    assertFalse(ev.isSet());
    long t0 = System.nanoTime();
    assertFalse(ev.await(50, TimeUnit.MILLISECONDS));
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(50), "the timeout elapsed");
    CompletableFuture<Boolean> waiter = Threads.start(() -> ev.await(WAIT_S, TimeUnit.SECONDS), null);
    other.set();
    assertTrue(waiter.get(WAIT_S, TimeUnit.SECONDS));
  }

  @Test
  void anEventWaitHonoursInterrupts() throws Exception {
    IpcEvent ev = ipc.event("ev");
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, ev::await);
    assertFalse(Thread.interrupted(), "the interrupt status is cleared");
    Thread[] waiter = new Thread[1];
    CompletableFuture<Boolean> f = Threads.start(() -> ev.await(WAIT_S, TimeUnit.SECONDS), waiter);
    Await.blocked(waiter[0], BOUND);
    waiter[0].interrupt();
    assertTrue(failureOf(f) instanceof InterruptedException);
    assertFalse(ev.isSet());
  }

  @Test
  void closedHandlesSaySo() {
    IpcEvent ev = ipc.event("closed-ev");
    ev.close();
    ev.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, ev::set);
    assertTrue(e.getMessage().contains("closed") && e.getMessage().contains("closed-ev"), e.getMessage());
    IpcBarrier b = ipc.barrier("closed-b", 2);
    b.close();
    assertThrows(IllegalStateException.class, b::await);
    assertThrows(IllegalStateException.class, b::isBroken);
    assertEquals(2, b.parties(), "what the handle knows needs nothing open");
  }

  @Test
  void closingAHandleEndsItsThreadsWaits() throws Exception {
    IpcEvent ev = ipc.event("ev");
    Thread[] waiter = new Thread[1];
    CompletableFuture<Boolean> f = Threads.start(() -> ev.await(WAIT_S, TimeUnit.SECONDS), waiter);
    Await.blocked(waiter[0], BOUND);
    ev.close();
    assertTrue(failureOf(f) instanceof IllegalStateException);
  }

  // ------------------------------------------------------------------ barriers

  @Test
  void aBarrierTimeoutBreaksItForTheOthersAndResetRepairsIt() throws Exception {
    IpcBarrier barrier = ipc.barrier("tb", 3);
    Future<Integer> other = pool.submit(() -> barrier.await(WAIT_S, TimeUnit.SECONDS));
    Await.until("the other party to arrive", BOUND, () -> barrier.getNumberWaiting() >= 1);
    TimeoutException t = assertThrows(TimeoutException.class, () -> barrier.await(10, TimeUnit.MILLISECONDS));
    assertTrue(t.getMessage().contains("\"tb\""), t.getMessage());
    assertBroken(other);
    assertTrue(barrier.isBroken());
    assertThrows(BrokenBarrierException.class, barrier::await);
    barrier.reset();
    assertFalse(barrier.isBroken());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ipc.barrier("tb", 4));
    assertTrue(e.getMessage().contains("\"tb\"") && e.getMessage().contains("parties 3")
        && e.getMessage().contains("4"), e.getMessage());
  }

  @Test
  void resetBreaksTheCurrentWaitersAndTheNextGenerationWorks() throws Exception {
    IpcBarrier barrier = ipc.barrier("rb", 2);
    Future<Integer> waiter = pool.submit(() -> barrier.await(WAIT_S, TimeUnit.SECONDS));
    Await.until("the waiter to arrive", BOUND, () -> barrier.getNumberWaiting() >= 1);
    barrier.reset();
    assertBroken(waiter);
    assertFalse(barrier.isBroken());
    Future<Integer> a = pool.submit(() -> barrier.await(WAIT_S, TimeUnit.SECONDS));
    int mine = barrier.await(WAIT_S, TimeUnit.SECONDS);
    assertEquals(1, mine + a.get(WAIT_S, TimeUnit.SECONDS));
  }

  @Test
  void twoResetsInARowStillBreakTheFirstGenerationsWaiters() throws Exception {
    IpcBarrier barrier = ipc.barrier("rr", 3);
    List<Future<Integer>> waiters = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      waiters.add(pool.submit(() -> barrier.await(WAIT_S, TimeUnit.SECONDS)));
    }
    Await.until("two waiters", BOUND, () -> barrier.getNumberWaiting() == 2);
    barrier.reset();
    barrier.reset();
    for (Future<Integer> w : waiters) {
      assertBroken(w);
    }
  }

  @Test
  void abortBreaksTheBarrierForTheWaitingAndTheLateUntilReset() throws Exception {
    IpcBarrier b = ipc.barrier("b", 3);
    Future<Integer> waiter = pool.submit(() -> b.await());
    Await.until("a party to arrive", BOUND, () -> b.getNumberWaiting() == 1);
    b.abort();
    assertBroken(waiter);
    assertTrue(b.isBroken());
    assertThrows(BrokenBarrierException.class, () -> b.await(1, TimeUnit.SECONDS));
    b.abort();
    b.reset();
    assertFalse(b.isBroken());
    assertEquals(0, b.getNumberWaiting());
  }

  @Test
  void theHandlesOfABarrierInOneProcessAreItsParties() throws Exception {
    IpcBarrier b = ipc.barrier("b", 3);
    IpcBarrier other = sameNamespace().barrier("b", 3);
    IpcBarrier copy = Serialized.roundTrip(b);
    Future<Integer> x = pool.submit(() -> other.await(WAIT_S, TimeUnit.SECONDS));
    Future<Integer> y = pool.submit(() -> copy.await(WAIT_S, TimeUnit.SECONDS));
    Await.until("two parties waiting", BOUND, () -> b.getNumberWaiting() == 2);
    int last = b.await(WAIT_S, TimeUnit.SECONDS);
    Set<Integer> indexes = new HashSet<>(List.of(last, x.get(WAIT_S, TimeUnit.SECONDS),
        y.get(WAIT_S, TimeUnit.SECONDS)));
    assertEquals(Set.of(0, 1, 2), indexes);
    assertEquals(3, copy.parties());
    copy.close();
  }

  @Test
  void theLastPartyRunsTheActionBeforeAnyoneLeavesOncePerGeneration() throws Exception {
    AtomicInteger actions = new AtomicInteger();
    IpcBarrier b = ipc.barrier("b", 3, actions::incrementAndGet);
    for (int generation = 1; generation <= 5; generation++) {
      List<Future<Integer>> seen = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        seen.add(pool.submit(() -> {
          b.await(WAIT_S, TimeUnit.SECONDS);
          return actions.get();              // every party leaves after the action ran
        }));
      }
      for (Future<Integer> f : seen) {
        assertEquals(generation, f.get(WAIT_S, TimeUnit.SECONDS));
      }
      assertEquals(generation, actions.get(), "one action per generation");
    }
    assertEquals(0, b.getNumberWaiting());
  }

  @Test
  void aHandleWithoutActionRunsNoneAndAnotherHandlesActionIsItsOwn() throws Exception {
    AtomicInteger mine = new AtomicInteger();
    IpcBarrier withAction = ipc.barrier("b", 2, mine::incrementAndGet);
    IpcBarrier plain = sameNamespace().barrier("b", 2);
    Future<Integer> first = pool.submit(() -> withAction.await(WAIT_S, TimeUnit.SECONDS));
    Await.until("a party waiting", BOUND, () -> plain.getNumberWaiting() == 1);
    assertEquals(0, plain.await(WAIT_S, TimeUnit.SECONDS), "the plain handle arrived last");
    first.get(WAIT_S, TimeUnit.SECONDS);
    assertEquals(0, mine.get(), "the last party's handle had no action");
    Future<Integer> second = pool.submit(() -> plain.await(WAIT_S, TimeUnit.SECONDS));
    Await.until("a party waiting", BOUND, () -> withAction.getNumberWaiting() == 1);
    assertEquals(0, withAction.await(WAIT_S, TimeUnit.SECONDS));
    second.get(WAIT_S, TimeUnit.SECONDS);
    assertEquals(1, mine.get(), "the action's handle arrived last");
  }

  @Test
  void anActionThatThrowsBreaksTheBarrierAndReachesTheLastParty() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    IpcBarrier b = ipc.barrier("b", 2, () -> {
      throw boom;
    });
    Future<Integer> waiter = pool.submit(() -> b.await(WAIT_S, TimeUnit.SECONDS));
    Await.until("a party waiting", BOUND, () -> b.getNumberWaiting() == 1);
    assertSame(boom, assertThrows(IllegalStateException.class, () -> b.await(WAIT_S, TimeUnit.SECONDS)));
    assertBroken(waiter);
    assertTrue(b.isBroken());
    b.reset();
    assertFalse(b.isBroken());
  }

  @Test
  void aPartyArrivingWhileTheActionRunsWaitsForTheNextGeneration() throws Exception {
    CompletableFuture<Void> release = new CompletableFuture<>();
    AtomicBoolean inAction = new AtomicBoolean();
    IpcBarrier b = ipc.barrier("b", 2, () -> {
      inAction.set(true);
      release.join();
    });
    IpcBarrier plain = sameNamespace().barrier("b", 2);
    Future<Integer> first = pool.submit(() -> plain.await(WAIT_S, TimeUnit.SECONDS));
    Await.until("a party waiting", BOUND, () -> b.getNumberWaiting() == 1);
    Future<Integer> last = pool.submit(() -> b.await(WAIT_S, TimeUnit.SECONDS));
    Await.until("the action to run", BOUND, inAction::get);
    Future<Integer> beyond = pool.submit(() -> plain.await(WAIT_S, TimeUnit.SECONDS));
    assertFalse(Await.within(Duration.ofMillis(50), beyond::isDone), "the third waits while the action runs");
    release.complete(null);
    assertEquals(1, first.get(WAIT_S, TimeUnit.SECONDS));
    assertEquals(0, last.get(WAIT_S, TimeUnit.SECONDS));
    Await.until("the third party to wait in the next generation", BOUND, () -> b.getNumberWaiting() == 1);
    assertEquals(0, plain.await(WAIT_S, TimeUnit.SECONDS));
    assertEquals(1, beyond.get(WAIT_S, TimeUnit.SECONDS));
  }

  @Test
  void anActionIsRequired() {
    assertThrows(NullPointerException.class, () -> ipc.barrier("b", 2, null));
    assertThrows(IllegalArgumentException.class, () -> ipc.barrier("b", 0, () -> { }));
  }

  @Test
  void aDeadPartyOfTheCurrentGenerationBreaksItForTimedAndUntimedWaiters() throws Exception {
    IpcBarrier b = ipc.barrier("b", 4);
    Future<?> untimed = pool.submit(() -> b.await());
    Future<?> timed = pool.submit(() -> b.await(1, TimeUnit.HOURS));
    Await.until("two parties waiting", BOUND, () -> b.getNumberWaiting() == 2);
    assertFalse(b.isBroken());
    playDeadParty(b, false);
    assertBroken(untimed);
    assertBroken(timed);
    assertTrue(b.isBroken());
    b.reset();
    assertFalse(b.isBroken(), "reset() makes it usable again: the dead party's generation is over");
    Future<Integer> again = pool.submit(() -> b.await(WAIT_S, TimeUnit.SECONDS));
    Await.until("a party waiting", BOUND, () -> b.getNumberWaiting() == 1);
    assertFalse(Await.within(Duration.ofMillis(100), b::isBroken), "the dead party is not in the new generation");
    b.abort();
    assertBroken(again);
  }

  /** The last party killed while its action runs: the generation says tripping, and that party is dead. */
  @Test
  void aLastPartyThatDiedInItsActionBreaksItForTheWaitingAndForThoseArrivingBeyondTheParties() throws Exception {
    IpcBarrier b = ipc.barrier("b", 2);
    Future<?> waiting = pool.submit(() -> b.await(1, TimeUnit.HOURS));
    Await.until("a party waiting", BOUND, () -> b.getNumberWaiting() == 1);
    playDeadParty(b, true);
    Future<?> late = pool.submit(() -> b.await());  // arrives beyond the parties while the action "runs"
    assertBroken(waiting);
    assertBroken(late);
  }
}
