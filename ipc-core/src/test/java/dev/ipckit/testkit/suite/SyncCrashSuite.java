package dev.ipckit.testkit.suite;

import static dev.ipckit.testkit.Await.until;
import static dev.ipckit.testkit.Children.RUN;
import static dev.ipckit.testkit.Children.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcBarrier;
import dev.ipckit.IpcEvent;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.Task;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Semaphores and barriers across real processes and real {@code kill -9}s, whatever the backend: the permits of a
 * holder that is killed come back to the others, and say so; a storm of kills at arbitrary points of acquire and
 * release loops neither loses nor makes a permit; a party killed while it waits, or while it runs the barrier
 * action as the last party, breaks the barrier for the others long before their timeouts; a party that dies before
 * it arrives is waited for like a slow one, and one that died after its generation tripped breaks no later one.
 *
 * <p>A child reaching its crash point says so through an {@link IpcEvent} of the namespace.
 */
@Tag("crash")
public abstract class SyncCrashSuite {
  /** Generous: the design bound is 100 ms after the kill. */
  private static final Duration RECLAIM = Duration.ofSeconds(10);
  /** The waiters' timeout: the break must come long before it. */
  private static final long TIMEOUT_SECONDS = 120;
  private static final AtomicInteger POINTS = new AtomicInteger();

  @RegisterExtension
  final Children children = new Children();

  protected Ipc ipc;

  /** A new, empty namespace of the backend under test. */
  protected abstract Ipc newNamespace(String hint);

  /** How many workers the storm kills (besides the last ones): fewer where each step costs more. */
  protected int stormKills() {
    return 15;
  }

  /** The most steps of its loop a storm worker runs before it is killed. */
  protected int stormSteps() {
    return 3_000;
  }

  /** Called after a storm, with its semaphore: a backend's own figures, for the log. */
  protected void afterStorm(IpcSemaphore s, int killed) {
  }

  @BeforeEach
  void open() {
    ipc = newNamespace("sync-crash");
  }

  @AfterEach
  void close() {
    ipc.close();
  }

  /** A child that runs to a point, says so, and stays there until it is killed. */
  private final class Point {
    final IpcProcess process;
    private final IpcEvent there;

    Point(Task toThePoint) {
      IpcEvent reached = ipc.event("crash-point-" + POINTS.incrementAndGet());
      this.there = reached;
      this.process = children.start(() -> {
        toThePoint.run();
        reached.set();
        new CountDownLatch(1).await();            // at the point until SIGKILL
      });
    }

    /** Waits until the child is at its point; fails at once if it ended before. */
    Point reached() {
      until(process + " to reach its crash point", START, () -> there.isSet() || !process.isAlive());
      assertTrue(there.isSet(), process + " ended before its crash point, exit code " + process.exitCode()
          + " (1: the task threw, see its stack trace above)");
      return this;
    }

    void kill() throws InterruptedException {
      Crash.kill(process);
    }
  }

  // ------------------------------------------------------------------ semaphores

  @Test
  void aMutexHolderKilledWhileHoldingIsReclaimedByAnotherProcesssBlockedAcquire() throws Exception {
    IpcSemaphore mutex = ipc.semaphore("mutex", 1);
    Point holder = new Point(mutex::acquire).reached();
    assertFalse(mutex.tryAcquire(), "held by a live process: nothing to reclaim");

    AtomicReference<Object> outcome = new AtomicReference<>();
    long[] acquiredAt = new long[1];
    Thread waiter = new Thread(() -> {
      try {
        mutex.acquire();
        acquiredAt[0] = System.nanoTime();
        outcome.set(mutex.reclaimed());
        mutex.release();
      } catch (Throwable e) {
        outcome.set(e);
      }
    }, "waiter");
    waiter.start();
    Await.parked(waiter, START);                  // past spinning: really blocked
    long killedAt = System.nanoTime();
    holder.kill();                                // returns once the child is reaped
    waiter.join(RECLAIM.toMillis());
    assertFalse(waiter.isAlive(), "the waiter got the killed holder's permit within " + RECLAIM);
    assertEquals(Boolean.TRUE, outcome.get(), "and reclaimed() says it came from a dead holder");
    System.out.printf("%s: semaphore(1) as a mutex: permit reclaimed %.1f ms after kill()%n",
        getClass().getSimpleName(), (acquiredAt[0] - killedAt) / 1e6);
    assertEquals(1, mutex.availablePermits());
    assertTrue(mutex.tryAcquire());
    assertFalse(mutex.reclaimed(), "the next acquisition took a permit nobody died with");
    mutex.release();
  }

  @Test
  void aTryAcquireThatFindsTooFewReclaimsTheKilledHoldersPermits() throws Exception {
    IpcSemaphore s = ipc.boundedSemaphore("s", 2);
    Point holder = new Point(() -> s.acquire(2)).reached();
    assertFalse(s.tryAcquire());
    holder.kill();
    until("a tryAcquire(2) to reclaim the killed holder's two permits", RECLAIM, () -> s.tryAcquire(2));
    assertTrue(s.reclaimed());
    s.release(2);
    assertEquals(2, s.availablePermits(), "both back, within the bound");
  }

  /**
   * Workers loop over acquire, timed and untimed tryAcquire and release of one or two permits, and are killed one
   * after another at arbitrary points of those loops, replaced as they die. The count never rises above the permits
   * meanwhile, a bounded semaphore never refuses a worker's release (a worker that throws ends with exit code 1, not
   * the kill's 137), and once every worker is dead all the permits, and no more, come back.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void killsAtRandomPointsOfAcquireAndReleaseLoopsNeitherLoseNorMakePermits(boolean bounded) throws Exception {
    int permits = 3;
    int workers = 3;
    int kills = stormKills();
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    IpcSemaphore s = bounded ? ipc.boundedSemaphore("storm", permits) : ipc.semaphore("storm", permits);
    List<IpcProcess> running = new ArrayList<>();
    List<IpcSemaphore> steps = new ArrayList<>();   // of each running worker: a permit per step it ran
    int next = 0;
    for (; next < workers; next++) {
      IpcSemaphore progress = ipc.semaphore("steps-" + next, 0);
      running.add(children.start(worker(s, progress)));
      steps.add(progress);
    }
    AtomicInteger most = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    Thread sampler = new Thread(() -> {
      while (!stop.get()) {
        most.accumulateAndGet(s.availablePermits(), Math::max);
        LockSupport.parkNanos(200_000);           // leave the cores to the workers
      }
    }, "sampler");
    sampler.start();
    try {
      for (int k = 0; k < kills + workers; k++) {
        int v = rnd.nextInt(running.size());
        IpcProcess victim = running.remove(v);
        IpcSemaphore progress = steps.remove(v);
        long at = progress.availablePermits() + 1 + rnd.nextInt(stormSteps());
        until(victim + " to run " + at + " steps", RUN, () -> progress.availablePermits() >= at);
        Crash.kill(victim);                       // wherever it is in its loop
        if (k < kills) {
          IpcSemaphore p = ipc.semaphore("steps-" + next++, 0);
          running.add(children.start(worker(s, p)));
          steps.add(p);
        }
      }
    } finally {
      stop.set(true);
      sampler.join(START.toMillis());
    }
    assertTrue(most.get() <= permits, "the count rose to " + most.get() + " of " + permits + " permits");
    assertTrue(s.tryAcquire(permits, RECLAIM.toMillis(), TimeUnit.MILLISECONDS),
        "every permit the killed workers held comes back (seed " + seed + ")");
    assertFalse(s.tryAcquire(), "and not one more (seed " + seed + ")");
    s.release(permits);
    assertEquals(permits, s.availablePermits());
    afterStorm(s, kills + workers);
  }

  private static Task worker(IpcSemaphore s, IpcSemaphore progress) {
    return () -> {
      for (long i = 0; ; i++) {
        int n = 1 + (int) (i & 1);
        switch ((int) (i % 3)) {
          case 0:
            s.acquire(n);
            for (int spin = 0; spin < 500; spin++) {
              Thread.onSpinWait();                // holds them a while: many kills land here
            }
            s.release(n);
            break;
          case 1:
            if (s.tryAcquire(n, 1, TimeUnit.SECONDS)) {
              s.release();
              if (n == 2) {
                s.release();
              }
            }
            break;
          default:
            if (s.tryAcquire()) {
              s.release();
            }
            break;
        }
        progress.release();
      }
    };
  }

  // ------------------------------------------------------------------ barriers

  /** A thread that waits at {@code b} (timed or not) and keeps what ended the wait and when. */
  private static final class Party extends Thread {
    final AtomicReference<Object> outcome = new AtomicReference<>();
    volatile long endedAt;
    private final IpcBarrier b;
    private final boolean timed;

    Party(IpcBarrier b, boolean timed, String name) {
      super(name);
      this.b = b;
      this.timed = timed;
    }

    @Override
    public void run() {
      try {
        outcome.set(timed ? b.await(TIMEOUT_SECONDS, TimeUnit.SECONDS) : b.await());
      } catch (Throwable e) {
        outcome.set(e);
      }
      endedAt = System.nanoTime();
    }

    /** Waits (bounded) for the wait to end and checks that it ended with BrokenBarrierException. */
    double assertBrokenAfter(long killedAt) throws InterruptedException {
      join(RECLAIM.toMillis());
      assertFalse(isAlive(), getName() + " still waits " + RECLAIM + " after the kill");
      assertTrue(outcome.get() instanceof BrokenBarrierException, getName() + " ended with " + outcome.get());
      return (endedAt - killedAt) / 1e6;
    }
  }

  @Test
  void aPartyKilledWhileWaitingBreaksTheBarrierForTimedAndUntimedWaiters() throws Exception {
    IpcBarrier b = ipc.barrier("b", 4);
    IpcProcess child = children.start(b::await);
    until("the child to arrive", START, () -> b.getNumberWaiting() == 1);
    Party timed = new Party(b, true, "timed");
    Party untimed = new Party(b, false, "untimed");
    timed.start();
    untimed.start();
    until("three parties waiting", START, () -> b.getNumberWaiting() == 3);
    Await.parked(timed, START);
    Await.parked(untimed, START);
    long killedAt = System.nanoTime();
    Crash.kill(child);
    double t = timed.assertBrokenAfter(killedAt);
    double u = untimed.assertBrokenAfter(killedAt);
    System.out.printf("%s: barrier: a waiting party killed; BrokenBarrierException %.1f ms (await(%d s)) and %.1f ms "
        + "(await()) after kill()%n", getClass().getSimpleName(), t, TIMEOUT_SECONDS, u);
    assertTrue(b.isBroken());
    b.reset();
    assertFalse(b.isBroken());
  }

  @Test
  void theLastPartyKilledDuringItsBarrierActionBreaksTheBarrier() throws Exception {
    IpcBarrier b = ipc.barrier("act", 2);
    IpcEvent inAction = ipc.event("in-action");
    URI where = ipc.location();
    Party first = new Party(b, true, "first");
    first.start();
    until("the first party to arrive", START, () -> b.getNumberWaiting() == 1);
    IpcProcess last = children.start(() -> {
      try (Ipc own = Ipc.open(where)) {
        own.barrier("act", 2, () -> {
          inAction.set();
          for (;;) {
            LockSupport.park();                   // the action never ends: killed here
          }
        }).await();
      }
    });
    assertTrue(inAction.await(START.toMillis(), TimeUnit.MILLISECONDS), "the last party runs its action");
    Party beyond = new Party(b, false, "beyond");  // arrives while the action runs: beyond the parties
    beyond.start();
    Await.parked(beyond, START);
    Await.parked(first, START);
    long killedAt = System.nanoTime();
    Crash.kill(last);
    double f = first.assertBrokenAfter(killedAt);
    double x = beyond.assertBrokenAfter(killedAt);
    System.out.printf("%s: barrier: the last party killed in its action; BrokenBarrierException %.1f ms (waiting) "
        + "and %.1f ms (arrived beyond the parties) after kill()%n", getClass().getSimpleName(), f, x);
  }

  /** The choice documented in IpcBarrier: nothing tells a party that died before arriving from a slow one. */
  @Test
  void aPartyThatDiesBeforeItArrivesIsWaitedForLikeASlowOne() throws Exception {
    IpcBarrier b = ipc.barrier("b", 2);
    Point never = new Point(b::isBroken).reached();   // opened the barrier, never arrives
    never.kill();
    assertThrows(TimeoutException.class, () -> b.await(300, TimeUnit.MILLISECONDS));
    assertTrue(b.isBroken(), "the timeout breaks it, as CyclicBarrier's does");
  }

  @Test
  void aPartyKilledAfterItsGenerationTrippedBreaksNoLaterGeneration() throws Exception {
    IpcBarrier b = ipc.barrier("b", 2);
    Point gone = new Point(b::await);             // trips with this process, then stays
    int mine = b.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    gone.reached();
    gone.kill();
    Party waiting = new Party(b, true, "waiting");
    waiting.start();
    until("a party waiting", START, () -> b.getNumberWaiting() == 1);
    Await.parked(waiting, START);                 // probing the barrier by now
    assertFalse(Await.within(Duration.ofMillis(300), b::isBroken), "a death in an earlier generation");
    int last = b.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    waiting.join(RUN.toMillis());
    assertEquals(1, last + (Integer) waiting.outcome.get(), "the next generation trips: " + waiting.outcome);
    assertTrue(mine == 0 || mine == 1);
  }
}
