package dev.ipckit.testkit.suite;

import static dev.ipckit.testkit.Children.RUN;
import static dev.ipckit.testkit.Children.START;
import static dev.ipckit.testkit.Children.assertExitsOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcBarrier;
import dev.ipckit.IpcEvent;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Semaphores, events and barriers across real child JVMs, whatever the backend: a semaphore bounds how many
 * processes are inside at once, a release or a set in a child wakes a waiter here, a barrier keeps processes in
 * step for many rounds and runs the action of the handle that arrives last in its own process, and the permits of
 * a holder that exits come back while anonymous and disowned permits keep their meaning. The handles travel in the
 * tasks; the children coordinate through the same kinds, nothing else.
 */
@Tag("process")
public abstract class SyncProcessSuite {
  /** Generous: the design bound of a reclaim is 100 ms after the death. */
  private static final Duration RECLAIM = Duration.ofSeconds(10);

  @RegisterExtension
  final Children children = new Children();

  protected Ipc ipc;

  /** A new, empty namespace of the backend under test. */
  protected abstract Ipc newNamespace(String hint);

  @BeforeEach
  void open() {
    ipc = newNamespace("sync-process");
  }

  @AfterEach
  void close() {
    ipc.close();
  }

  @Test
  void aSemaphoreLimitsHowManyProcessesAreInsideAtOnce() throws Exception {
    IpcSemaphore sem = ipc.semaphore("sem", 2);
    IpcSemaphore inside = ipc.semaphore("inside", 2);    // a third process inside would find none left
    List<IpcProcess> ps = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      ps.add(children.start(() -> {
        for (int i = 0; i < 300; i++) {
          sem.acquire();
          if (!inside.tryAcquire()) {
            throw new AssertionError("a third process inside the semaphore of two permits, round " + i);
          }
          Thread.onSpinWait();
          inside.release();
          sem.release();
        }
      }));
    }
    for (IpcProcess p : ps) {
      assertExitsOk(p, RUN);
    }
    assertEquals(2, sem.availablePermits());
    assertEquals(2, inside.availablePermits());
  }

  @Test
  void aReleaseInAChildWakesATimedAcquireHere() throws Exception {
    IpcSemaphore sem = ipc.semaphore("s0", 0);
    IpcProcess p = children.start(sem::release);
    assertTrue(sem.tryAcquire(START.toMillis(), TimeUnit.MILLISECONDS), "the permit released by the child");
    assertFalse(sem.reclaimed(), "released, not reclaimed");
    assertExitsOk(p, RUN);
  }

  @Test
  void anEventSetInAChildWakesAWaiterHere() throws Exception {
    IpcEvent ev = ipc.event("ev");
    IpcEvent go = ipc.event("go");
    IpcProcess p = children.start(() -> {
      go.await();
      ev.set();
    });
    assertFalse(ev.await(20, TimeUnit.MILLISECONDS));
    go.set();
    assertTrue(ev.await(START.toMillis(), TimeUnit.MILLISECONDS));
    assertTrue(ev.isSet());
    assertExitsOk(p, RUN);
    ev.clear();
    assertFalse(ev.isSet());
  }

  /**
   * Three processes, two rounds of the barrier per round: each releases a permit of {@code done} before the first,
   * so that after it, and before anyone passes the second, the count says every party reached the round.
   */
  @Test
  void aBarrierKeepsProcessesInStepForManyRounds() throws Exception {
    int rounds = 30;
    IpcBarrier barrier = ipc.barrier("bar", 3);
    IpcSemaphore done = ipc.semaphore("done", 0);
    List<IpcProcess> ps = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      ps.add(children.start(() -> {
        for (int r = 0; r < rounds; r++) {
          done.release();
          barrier.await(60, TimeUnit.SECONDS);
          barrier.await(60, TimeUnit.SECONDS);
        }
      }));
    }
    for (int r = 0; r < rounds; r++) {
      done.release();
      barrier.await(60, TimeUnit.SECONDS);
      assertEquals(3 * (r + 1), done.availablePermits(), "every party reached round " + r);
      barrier.await(60, TimeUnit.SECONDS);
    }
    for (IpcProcess p : ps) {
      assertExitsOk(p, RUN);
    }
    assertFalse(barrier.isBroken());
  }

  @Test
  void theActionOfTheHandleArrivingLastRunsInItsProcessBeforeAnyoneLeaves() throws Exception {
    IpcBarrier barrier = ipc.barrier("act", 2);
    IpcEvent ran = ipc.event("ran");
    URI where = ipc.location();
    IpcProcess p = children.start(() -> {
      try (Ipc own = Ipc.open(where)) {
        IpcBarrier mine = own.barrier("act", 2, ran::set);
        Await.until("the parent to arrive", START, () -> mine.getNumberWaiting() == 1);   // arrive last
        mine.await(60, TimeUnit.SECONDS);
      }
    });
    assertEquals(1, barrier.await(60, TimeUnit.SECONDS), "this process arrived first");
    assertTrue(ran.isSet(), "the child's action ran before this party left");
    assertExitsOk(p, RUN);
  }

  @Test
  void aHolderThatExitsWithoutReleasingGivesItsPermitsBack() throws Exception {
    IpcSemaphore s = ipc.semaphore("s", 1);
    IpcProcess p = children.start(s::acquire);
    assertExitsOk(p, RUN);
    assertTrue(s.tryAcquire(RECLAIM.toMillis(), TimeUnit.MILLISECONDS), "the permit of a holder that exited");
    assertTrue(s.reclaimed());
  }

  @Test
  void anAnonymousReleaseFromAnotherProcessStillWorksAndIsNobodysToReclaim() throws Exception {
    IpcSemaphore s = ipc.semaphore("s", 0);
    IpcProcess p = children.start(() -> s.release(2));   // never acquired: anonymous
    assertExitsOk(p, RUN);
    assertTrue(s.tryAcquire(2, RECLAIM.toMillis(), TimeUnit.MILLISECONDS));
    assertFalse(s.reclaimed(), "released, not reclaimed");
    assertFalse(s.tryAcquire(), "the releaser's exit gives nothing back");
  }

  @Test
  void aPermitHandedOverWithDisownDoesNotComeBackWhenItsAcquirerExits() throws Exception {
    IpcSemaphore s = ipc.semaphore("jobs", 1);
    IpcProcess p = children.start(() -> {
      s.acquire();
      if (s.disown(1) != 1) {                     // the job and its permit go to another process
        throw new IllegalStateException("the acquirer did not hold its permit");
      }
    });
    assertExitsOk(p, RUN);
    assertFalse(s.tryAcquire(300, TimeUnit.MILLISECONDS), "a disowned permit is not reclaimed");
    s.release();                                  // the job done, here: an anonymous release
    assertTrue(s.tryAcquire());
    assertFalse(s.reclaimed());
    s.release();
    assertEquals(1, s.availablePermits(), "one permit, as created");
  }
}
