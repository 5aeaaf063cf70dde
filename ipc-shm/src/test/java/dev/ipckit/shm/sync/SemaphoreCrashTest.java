package dev.ipckit.shm.sync;

import static dev.ipckit.testkit.Await.until;
import static dev.ipckit.testkit.Children.RUN;
import static dev.ipckit.testkit.Children.START;
import static dev.ipckit.testkit.Children.assertExitsOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedLongArray;
import dev.ipckit.Task;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A semaphore's holdings across real processes and real {@code kill -9}s: the permits of a holder that is killed or
 * exits come back to the others, and say so; a storm of kills at arbitrary points of acquire and release loops
 * neither loses nor makes a permit; a bounded semaphore stays within its bound; anonymous and disowned permits keep
 * their meaning.
 */
@Tag("crash")
class SemaphoreCrashTest {
  /** Generous: the design bound is 100 ms after the kill, measured in JMH (SyncTakeoverBenchmark). */
  private static final Duration RECLAIM = Duration.ofSeconds(10);

  @RegisterExtension
  final Children children = new Children();

  @Test
  void aMutexHolderKilledWhileHoldingIsReclaimedByAnotherProcesssBlockedAcquire() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcSemaphore mutex = ipc.semaphore("mutex", 1);
      Crash holder = Crash.at(children, ipc, mutex::acquire);   // returns once the child holds the permit
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
      System.out.printf("semaphore(1) as a mutex: permit reclaimed %.1f ms after kill()%n",
          (acquiredAt[0] - killedAt) / 1e6);
      assertEquals(1, mutex.availablePermits());
      assertTrue(mutex.tryAcquire());
      assertFalse(mutex.reclaimed(), "the next acquisition took a permit nobody died with");
      mutex.release();
    }
  }

  @Test
  void aTryAcquireThatFindsTooFewReclaimsTheKilledHoldersPermits() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcSemaphore s = ipc.boundedSemaphore("s", 2);
      Crash holder = Crash.at(children, ipc, () -> s.acquire(2));
      assertFalse(s.tryAcquire());
      holder.kill();
      until("a tryAcquire(2) to reclaim the killed holder's two permits", RECLAIM, () -> s.tryAcquire(2));
      assertTrue(s.reclaimed());
      s.release(2);
      assertEquals(2, s.availablePermits(), "both back, within the bound");
    }
  }

  @Test
  void aHolderThatExitsWithoutReleasingGivesItsPermitsBack() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcSemaphore s = ipc.semaphore("s", 1);
      IpcProcess p = children.start(s::acquire);
      assertExitsOk(p, RUN);
      assertTrue(s.tryAcquire(RECLAIM.toMillis(), TimeUnit.MILLISECONDS), "the permit of a holder that exited");
      assertTrue(s.reclaimed());
    }
  }

  @Test
  void anAnonymousReleaseFromAnotherProcessStillWorksAndIsNobodysToReclaim() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcSemaphore s = ipc.semaphore("s", 0);
      IpcProcess p = children.start(() -> s.release(2));   // never acquired: anonymous
      assertExitsOk(p, RUN);
      assertTrue(s.tryAcquire(2, RECLAIM.toMillis(), TimeUnit.MILLISECONDS));
      assertFalse(s.reclaimed(), "released, not reclaimed");
      assertFalse(s.tryAcquire(), "the releaser's exit gives nothing back");
    }
  }

  @Test
  void aPermitHandedOverWithDisownDoesNotComeBackWhenItsAcquirerExits() throws Exception {
    try (Ipc ipc = Ipc.temp()) {
      IpcSemaphore s = ipc.semaphore("jobs", 1);
      IpcProcess p = children.start(() -> {
        s.acquire();
        if (s.disown(1) != 1) {                     // the job and its permit go to another process
          throw new IllegalStateException("the acquirer did not hold its permit");
        }
      });
      assertExitsOk(p, RUN);
      assertFalse(s.tryAcquire(500, TimeUnit.MILLISECONDS), "a disowned permit is not reclaimed");
      s.release();                                  // the job done, here: an anonymous release
      assertTrue(s.tryAcquire());
      assertFalse(s.reclaimed());
      s.release();
      assertEquals(1, s.availablePermits(), "one permit, as created");
    }
  }

  /**
   * Workers loop over acquire, timed and untimed tryAcquire and release of one or two permits, and are killed one
   * after another at arbitrary points of those loops (inside the semaphore's lock word and journal as well as
   * between calls), replaced as they die. The count never rises above the permits meanwhile, a bounded semaphore
   * never refuses a worker's release, and once every worker is dead all the permits, and no more, come back.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void killsAtRandomPointsOfAcquireAndReleaseLoopsNeitherLoseNorMakePermits(boolean bounded) throws Exception {
    int permits = 3;
    int workers = 3;
    int kills = 15;
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    try (Ipc ipc = Ipc.temp()) {
      IpcSemaphore s = bounded ? ipc.boundedSemaphore("storm", permits) : ipc.semaphore("storm", permits);
      SharedLongArray progress = ipc.longArray("progress", workers + kills);
      SharedInt refused = ipc.sharedInt("refused", 0);
      List<IpcProcess> running = new ArrayList<>();
      List<Integer> ids = new ArrayList<>();
      int next = 0;
      for (; next < workers; next++) {
        running.add(children.start(worker(s, progress, refused, next)));
        ids.add(next);
      }
      AtomicInteger most = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      Thread sampler = new Thread(() -> {
        while (!stop.get()) {
          most.accumulateAndGet(s.availablePermits(), Math::max);
          Thread.yield();                           // leave the cores to the workers
        }
      }, "sampler");
      sampler.start();
      try {
        for (int k = 0; k < kills + workers; k++) {
          int v = rnd.nextInt(running.size());
          IpcProcess victim = running.remove(v);
          int id = ids.remove(v);
          long at = progress.get(id) + 1 + rnd.nextInt(3_000);
          until("worker " + id + " to run " + at + " steps", RUN, () -> progress.get(id) >= at);
          Crash.kill(victim);                       // wherever it is in its loop
          if (k < kills) {
            running.add(children.start(worker(s, progress, refused, next)));
            ids.add(next++);
          }
        }
      } finally {
        stop.set(true);
        sampler.join(START.toMillis());
      }
      assertEquals(0, refused.get(), "a bounded semaphore refused a worker's release: a permit was made");
      assertTrue(most.get() <= permits, "the count rose to " + most.get() + " of " + permits + " permits");
      assertTrue(s.tryAcquire(permits, RECLAIM.toMillis(), TimeUnit.MILLISECONDS),
          "every permit the killed workers held comes back (seed " + seed + ")");
      assertFalse(s.tryAcquire(), "and not one more (seed " + seed + ")");
      s.release(permits);
      assertEquals(permits, s.availablePermits());
      ShmSemaphore shm = (ShmSemaphore) s;
      System.out.printf("%s: %d workers killed in their loops: %d holders' entries reclaimed, %d takeovers of the"
          + " lock word from a worker killed inside an update; count exact%n", bounded ? "boundedSemaphore"
          : "semaphore", kills + workers, shm.reclaims(), shm.lockTakeovers());
    }
  }

  private static Task worker(IpcSemaphore s, SharedLongArray progress, SharedInt refused, int id) {
    return () -> {
      try {
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
          progress.set(id, i + 1);
        }
      } catch (IllegalStateException e) {
        refused.incrementAndGet();
        throw e;
      }
    };
  }
}
