package dev.ipckit.testkit.suite;

import static dev.ipckit.testkit.Await.until;
import static dev.ipckit.testkit.Children.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import dev.ipckit.Task;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import dev.ipckit.testkit.LockKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every lock kind when processes die with {@code kill -9}, on any backend: a waiter takes a killed holder's lock
 * over within the 100 ms target and {@code ownerDied()} says so for that acquisition only; workers killed at
 * arbitrary points never break exclusion or wedge the lock; a condition waiter whose signaller died holding the
 * lock takes it over. The test and its children coordinate through {@link Words}. A backend runs it with a
 * subclass that says where its namespaces live ({@link #newNamespace}), which lock kinds are distinct objects
 * ({@link #kinds()}) and how much progress its locks make between kills ({@link #progressBetweenKills()}).
 */
@Tag("crash")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LockCrashSuite {
  /** The design target: a waiter takes a dead holder's lock over within this long of the kill. */
  protected static final long TAKEOVER_TARGET_MILLIS = 100;

  private static final IpcProcess.Builder CHILD = IpcProcess.builder().warmSpare(true);

  @RegisterExtension
  protected final Children children = new Children();
  private Ipc ipc;
  private Words words;

  /**
   * Starts {@code task} in a daemon child that the test reaps, from a warm spare when one is ready (the suite starts
   * many children one after another: the next one boots while a test runs).
   */
  protected final IpcProcess start(Task task) {
    return children.start(CHILD, task);
  }

  /** A new, empty namespace of the backend under test; closed after each test. */
  protected abstract Ipc newNamespace(String hint);

  /** The lock kinds that are objects of their own on this backend (all three by default). */
  protected Set<LockKind> kinds() {
    return EnumSet.allOf(LockKind.class);
  }

  /** How many critical sections a worker completes between kills in the kill-at-arbitrary-points test. */
  protected int progressBetweenKills() {
    return 5_000;
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
    ipc = newNamespace("lock-crash");
    words = Words.create(16);
  }

  @AfterEach
  void close() throws InterruptedException {
    children.close();
    ipc.close();
    words.close();
  }

  /** The namespace of the current test. */
  protected final Ipc ipc() {
    return ipc;
  }

  /** The words of the current test. */
  protected final Words words() {
    return words;
  }

  /**
   * Starts a child that runs {@code toThePoint}, sets word {@code point} of {@code w} and stays until killed;
   * returns once it is there (as {@link Crash#at}, coordinating through words instead of the backend's values).
   */
  protected final IpcProcess childAt(Words w, int point, Task toThePoint) {
    IpcProcess p = start(() -> {
      toThePoint.run();
      w.set(point, 1);
      new CountDownLatch(1).await();                    // at the point until SIGKILL
    });
    Await.until(p + " to reach its point", START, () -> w.get(point) == 1 || !p.isAlive());
    if (w.get(point) != 1) {
      fail(p + " ended before its point, exit code " + p.exitCode() + " (1: the task threw, see above)");
    }
    return p;
  }

  /**
   * The holder is killed with SIGKILL while a thread of this JVM waits: the waiter gets the lock within the
   * 100 ms target (measured from the kill; on a machine so loaded that the kernel itself takes longer to tear the
   * child down, within 100 ms of the child being reaped), and {@code ownerDied()} is true for that acquisition
   * only.
   */
  @ParameterizedTest
  @MethodSource("allKinds")
  void aKilledHolderIsTakenOverByAThreadBlockedInLock(LockKind kind) throws Exception {
    killWhileHeld(kind, false);
  }

  /** As above, with the waiter in a timed tryLock that has waited a second: it waits longest between looks by then. */
  @ParameterizedTest
  @MethodSource("allKinds")
  void aKilledHolderIsTakenOverByATimedTryLock(LockKind kind) throws Exception {
    killWhileHeld(kind, true);
  }

  private void killWhileHeld(LockKind kind, boolean timed) throws Exception {
    IpcLock lock = kind.open(ipc, "l");
    IpcProcess holder = childAt(words, 0, lock::lock);
    assertTrue(lock.isLocked(), "the child holds it");
    assertFalse(lock.tryLock(), "held by a live process: not taken over");

    AtomicReference<Object> outcome = new AtomicReference<>();
    long[] acquiredAt = new long[1];
    boolean[] died = new boolean[2];
    Thread waiter = new Thread(() -> {
      try {
        if (timed) {
          if (!lock.tryLock(30, TimeUnit.SECONDS)) {
            outcome.set("timed out");
            return;
          }
        } else {
          lock.lock();
        }
        acquiredAt[0] = System.nanoTime();
        died[0] = lock.ownerDied();
        lock.unlock();
        lock.lock();
        died[1] = lock.ownerDied();
        lock.unlock();
        outcome.set("ok");
      } catch (Throwable e) {
        outcome.set(e);
      }
    }, "waiter");
    waiter.start();
    Await.parked(waiter, START);                         // the waiter is really blocked
    if (timed) {
      // pacing, not synchronisation: this waiter has waited long enough to wait longest between looks
      Thread.sleep(1_000);
    }
    assertTrue(holder.isAlive());

    long killedAt = System.nanoTime();
    Crash.kill(holder);                                  // returns once the child is reaped
    long reapedAt = System.nanoTime();
    waiter.join(10_000);
    assertFalse(waiter.isAlive(), "the waiter got the lock");
    assertEquals("ok", outcome.get() instanceof Throwable ? outcome.get().toString() : outcome.get());
    double fromKill = (acquiredAt[0] - killedAt) / 1e6;
    double fromReap = (acquiredAt[0] - reapedAt) / 1e6;
    System.out.printf("%s, waiter in %s: acquired %.2f ms after kill(), %.2f ms after the child was reaped%n",
        kind.label(), timed ? "tryLock(30 s)" : "lock()", fromKill, fromReap);
    assertTrue(fromKill <= TAKEOVER_TARGET_MILLIS || (fromReap <= TAKEOVER_TARGET_MILLIS && fromKill < 2_000),
        "takeover took " + fromKill + " ms after kill(), " + fromReap + " ms after the child was reaped");
    assertTrue(died[0], "ownerDied() for the takeover");
    assertFalse(died[1], "ownerDied() is false for the next acquisition");
    assertFalse(lock.isLocked());
  }

  /**
   * Workers hammer the lock while they are killed one after another at arbitrary points, inside and outside the
   * critical section. The section marks itself dirty while it works; a worker that finds the mark without
   * {@code ownerDied()} has seen two holders at once and fails. At the end the counter holds every published
   * increment plus at most one per kill (the increment of a worker killed before it could publish it), and the lock
   * is free for the next taker.
   */
  @ParameterizedTest
  @MethodSource("nonReentrantKinds")
  void workersKilledAtArbitraryPointsNeverBreakExclusionOrWedgeTheLock(LockKind kind) throws Exception {
    int rounds = 3;
    int workers = rounds + 2;
    int progress = progressBetweenKills();
    Words w = words;           // 0: counter, 1: dirty, 2: repairs (all guarded by the lock), 3..: published
    IpcLock lock = kind.open(ipc, "l");
    List<IpcProcess> running = new ArrayList<>();
    List<IpcProcess> all = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      int idx = i;
      IpcProcess p = start(() -> hammer(lock, w, idx));
      running.add(p);
      all.add(p);
    }
    for (int r = 0; r < rounds; r++) {
      IpcProcess victim = running.remove(0);
      int victimIdx = all.indexOf(victim);
      long before = w.get(3 + victimIdx);
      until("worker " + victimIdx + " to make progress", START, () -> w.get(3 + victimIdx) > before + progress);
      Crash.kill(victim);
      int idx = all.size();
      IpcProcess p = start(() -> hammer(lock, w, idx));
      running.add(p);
      all.add(p);
    }
    for (IpcProcess p : running) {
      int idx = all.indexOf(p);
      long before = w.get(3 + idx);
      until("worker " + idx + " to make progress", START, () -> w.get(3 + idx) > before + progress);
      Crash.kill(p);
    }
    for (IpcProcess p : all) {
      assertEquals(137, p.exitCode().getAsInt(), p + " was killed, not failed (exit 1: it saw two holders)");
    }
    assertTrue(lock.tryLock(10, TimeUnit.SECONDS), "the lock is not wedged");
    if (lock.ownerDied()) {
      w.plainSet(1, 0);
    }
    assertEquals(0, w.plainGet(1), "a dirty mark is only ever left by a dead holder");
    lock.unlock();
    long sum = 0;
    for (int i = 0; i < workers; i++) {
      sum += w.get(3 + i);
    }
    long extra = w.get(0) - sum;
    System.out.printf("%s: %d workers killed, %,d increments, %d taken over from the dead, %d unpublished%n",
        kind.label(), workers, w.get(0), w.get(2), extra);
    assertTrue(extra >= 0 && extra <= workers, "counter " + w.get(0) + " vs published " + sum);
  }

  private static void hammer(IpcLock lock, Words w, int idx) {
    long n = 0;
    for (;;) {
      lock.lock();
      if (lock.ownerDied()) {
        w.plainSet(2, w.plainGet(2) + 1);
        w.plainSet(1, 0);                   // repair: the dead holder's section is abandoned
      } else if (w.plainGet(1) != 0) {
        throw new IllegalStateException("dirty mark under a live, clean acquisition: two holders at once");
      }
      w.plainSet(1, 1);
      w.plainSet(0, w.plainGet(0) + 1);
      w.plainSet(1, 0);
      lock.unlock();
      w.set(3 + idx, ++n);
    }
  }

  /** A condition waiter whose signaller took the lock, signalled and was killed holding it takes the lock over. */
  @ParameterizedTest
  @MethodSource("allKinds")
  void aWaiterTakesTheLockOverFromAHolderKilledAfterSignalling(LockKind kind) throws Exception {
    Words w = words;                                  // 0: held
    IpcLock lock = kind.open(ipc, "l");
    Condition c = lock.newCondition();
    lock.lock();
    IpcProcess holder = start(() -> {
      lock.lock();                         // gets it once the parent awaits
      lock.newCondition().signalAll();
      w.set(0, 1);                         // after the signal: the kill cannot come between them
      new CountDownLatch(1).await();       // holds the lock until killed
    });
    Thread killer = new Thread(() -> {
      w.await(0, 1, START);
      holder.kill();
    }, "killer");
    killer.start();
    try {
      while (w.get(0) == 0) {
        assertTrue(c.await(START.toMillis(), TimeUnit.MILLISECONDS), "the holder's signal must arrive");
      }
      // await returned: the lock is ours again, taken from the killed holder
      assertTrue(lock.isHeldByCurrentThread());
      assertTrue(lock.ownerDied(), "the lock was taken over from a dead holder");
    } finally {
      lock.unlock();
    }
    killer.join(START.toMillis());
    Children.assertKilled(holder, Children.REAP);
    assertFalse(lock.isLocked());
  }
}
