package dev.ipckit.shm.sync;

import static dev.ipckit.testkit.Children.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcBarrier;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedInt;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A barrier across real processes and real {@code kill -9}s: a party killed while it waits, or while it runs the
 * barrier action as the last party, breaks the barrier for the others long before their timeouts, and wakes an
 * untimed {@code await()} too; a party that dies before it arrives is waited for like a slow one; a party that died
 * after its generation tripped breaks no later one.
 */
@Tag("crash")
class BarrierCrashTest {
  /** The waiters' timeout: the break must come long before it. */
  private static final long TIMEOUT_SECONDS = 120;
  /** Generous: the design bound is 100 ms after the kill, measured in JMH (SyncTakeoverBenchmark). */
  private static final Duration BREAK = Duration.ofSeconds(10);

  @RegisterExtension
  final Children children = new Children();

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
      join(BREAK.toMillis());
      assertFalse(isAlive(), getName() + " still waits " + BREAK + " after the kill");
      assertTrue(outcome.get() instanceof BrokenBarrierException, getName() + " ended with " + outcome.get());
      return (endedAt - killedAt) / 1e6;
    }
  }

  @Test
  void aPartyKilledWhileWaitingBreaksTheBarrierForTimedAndUntimedWaiters() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcBarrier b = ipc.barrier("b", 4);
      IpcProcess child = children.start(b::await);
      Await.until("the child to arrive", START, () -> b.getNumberWaiting() == 1);
      Party timed = new Party(b, true, "timed");
      Party untimed = new Party(b, false, "untimed");
      timed.start();
      untimed.start();
      Await.until("three parties waiting", START, () -> b.getNumberWaiting() == 3);
      Await.parked(timed, START);
      Await.parked(untimed, START);
      long killedAt = System.nanoTime();
      Crash.kill(child);
      double t = timed.assertBrokenAfter(killedAt);
      double u = untimed.assertBrokenAfter(killedAt);
      System.out.printf("barrier: a waiting party killed; BrokenBarrierException %.1f ms (await(%d s)) and %.1f ms "
          + "(await()) after kill()%n", t, TIMEOUT_SECONDS, u);
      assertTrue(b.isBroken());
      b.reset();
      assertFalse(b.isBroken());
    }
  }

  @Test
  void theLastPartyKilledDuringItsBarrierActionBreaksTheBarrier() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcBarrier b = ipc.barrier("act", 2);
      SharedInt inAction = ipc.sharedInt("in-action", 0);
      String dir = ipc.dir().toString();
      Party first = new Party(b, true, "first");
      first.start();
      Await.until("the first party to arrive", START, () -> b.getNumberWaiting() == 1);
      IpcProcess last = children.start(() -> {
        try (Ipc own = Ipc.open(Path.of(dir))) {
          own.barrier("act", 2, () -> {
            inAction.set(1);
            for (;;) {
              LockSupport.park();                   // the action never ends: killed here
            }
          }).await();
        }
      });
      Await.value(inAction, 1, START);
      Party beyond = new Party(b, false, "beyond");  // arrives while the action runs: beyond the parties
      beyond.start();
      Await.parked(beyond, START);
      Await.parked(first, START);
      long killedAt = System.nanoTime();
      Crash.kill(last);
      double f = first.assertBrokenAfter(killedAt);
      double x = beyond.assertBrokenAfter(killedAt);
      System.out.printf("barrier: the last party killed in its action; BrokenBarrierException %.1f ms (waiting) "
          + "and %.1f ms (arrived beyond the parties) after kill()%n", f, x);
    }
  }

  /** The choice documented in IpcBarrier: nothing tells a party that died before arriving from a slow one. */
  @Test
  void aPartyThatDiesBeforeItArrivesIsWaitedForLikeASlowOne() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcBarrier b = ipc.barrier("b", 2);
      Crash never = Crash.at(children, ipc, () -> b.isBroken());  // opened the barrier, never arrives
      never.kill();
      assertThrows(TimeoutException.class, () -> b.await(300, TimeUnit.MILLISECONDS));
      assertTrue(b.isBroken(), "the timeout breaks it, as CyclicBarrier's does");
    }
  }

  @Test
  void aPartyKilledAfterItsGenerationTrippedBreaksNoLaterGeneration() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcBarrier b = ipc.barrier("b", 2);
      Crash gone = Crash.start(children, ipc, b::await);         // trips with this process, then stays
      int mine = b.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      gone.awaitPoint(START);
      gone.kill();
      Party waiting = new Party(b, true, "waiting");
      waiting.start();
      Await.until("a party waiting", START, () -> b.getNumberWaiting() == 1);
      Await.parked(waiting, START);                 // probing the dead process's entry by now
      assertFalse(Await.within(Duration.ofMillis(300), b::isBroken), "a death in an earlier generation");
      int last = b.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      waiting.join(Children.RUN.toMillis());
      assertEquals(1, last + (Integer) waiting.outcome.get(), "the next generation trips: " + waiting.outcome);
      assertTrue(mine == 0 || mine == 1);
    }
  }
}
