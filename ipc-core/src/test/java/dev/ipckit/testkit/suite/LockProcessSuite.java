package dev.ipckit.testkit.suite;

import static dev.ipckit.testkit.Children.RUN;
import static dev.ipckit.testkit.Children.START;
import static dev.ipckit.testkit.Children.assertAlive;
import static dev.ipckit.testkit.Children.assertExitsOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import dev.ipckit.Task;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.LockKind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every lock kind across real child JVMs, on any backend: mutual exclusion of processes, interrupting a waiter for
 * another process's lock, conditions signalled between processes, and waiting without burning CPU. The test and
 * its children coordinate through {@link Words}, not through the backend's shared values. A backend runs it with a
 * subclass that says where its namespaces live ({@link #newNamespace}), which lock kinds are distinct objects
 * ({@link #kinds()}) and how much counting its locks afford ({@link #incrementsPerProcess()}).
 */
@Tag("process")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LockProcessSuite {
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

  /** How many locked increments each of two processes makes in the counting test. */
  protected int incrementsPerProcess() {
    return 1_000_000;
  }

  final List<LockKind> allKinds() {
    return new ArrayList<>(kinds());
  }

  @BeforeEach
  void open() {
    ipc = newNamespace("lock-process");
    words = Words.create(8);
  }

  @AfterEach
  void close() throws InterruptedException {
    children.close();
    ipc.close();
    words.close();
  }

  @ParameterizedTest
  @MethodSource("allKinds")
  void twoProcessesCountExactlyUnderTheLock(LockKind kind) throws Exception {
    Words w = words;                                  // 0: the plain counter, 1: ready, 2: go
    IpcLock lock = kind.open(ipc, "l");
    int n = incrementsPerProcess();
    IpcProcess a = start(() -> countUnder(lock, w, n));
    IpcProcess b = start(() -> countUnder(lock, w, n));
    w.await(1, 2, START);
    long t0 = System.nanoTime();
    w.set(2, 1);
    assertExitsOk(a, RUN);
    assertExitsOk(b, RUN);
    long nanos = System.nanoTime() - t0;
    System.out.printf("%s: 2 processes x %,d locked plain increments in %d ms (both JVMs' exits included)%n",
        kind.label(), n, nanos / 1_000_000);
    assertEquals(2L * n, w.get(0), "only the lock keeps the plain counter exact");
    assertFalse(lock.isLocked(), "released by both");
  }

  private static void countUnder(IpcLock lock, Words w, int n) {
    w.readySetGo(1, 2);
    for (int i = 0; i < n; i++) {
      lock.lock();
      w.plainSet(0, w.plainGet(0) + 1);
      lock.unlock();
    }
  }

  /** A thread waiting for a lock another process holds leaves on interrupt, in lockInterruptibly and timed tryLock. */
  @ParameterizedTest
  @MethodSource("allKinds")
  void aWaiterForAnotherProcessLeavesOnInterrupt(LockKind kind) throws Exception {
    Words w = words;                                  // 0: held, 1: release
    IpcLock lock = kind.open(ipc, "l");
    IpcProcess holder = start(() -> {
      lock.lock();
      w.set(0, 1);
      w.await(1, 1, RUN);
      lock.unlock();
    });
    w.await(0, 1, START);
    for (boolean timed : new boolean[] {false, true}) {
      AtomicReference<Object> outcome = new AtomicReference<>();
      Thread waiter = new Thread(() -> {
        try {
          if (timed) {
            outcome.set("tryLock returned " + lock.tryLock(60, TimeUnit.SECONDS));
          } else {
            lock.lockInterruptibly();
            outcome.set("acquired a held lock");
          }
        } catch (Throwable e) {
          outcome.set(e);
        }
      }, "waiter");
      waiter.start();
      Await.parked(waiter, START);
      waiter.interrupt();
      waiter.join(10_000);
      assertFalse(waiter.isAlive(), "the interrupted waiter left");
      assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
    }
    assertFalse(lock.tryLock(50, TimeUnit.MILLISECONDS), "still held by the child: timed out");
    w.set(1, 1);
    assertExitsOk(holder, START);
    assertTrue(lock.tryLock(10, TimeUnit.SECONDS));
    assertFalse(lock.ownerDied(), "released cleanly");
    lock.unlock();
  }

  @ParameterizedTest
  @MethodSource("allKinds")
  void processesWaitForAndSignalEachOther(LockKind kind) throws Exception {
    Words w = words;                                  // 0: waiting, 1: v, guarded by the lock
    IpcLock lock = kind.open(ipc, "l");
    // a child waits for the parent's signal
    IpcProcess child = start(() -> {
      Condition c = lock.newCondition();   // the child's own condition object: same lock, same signal
      lock.lock();
      try {
        w.set(0, 1);
        while (w.plainGet(1) == 0) {
          c.await();
        }
        w.plainSet(1, w.plainGet(1) * 10);
        c.signalAll();                     // and wakes the parent, which waits next
      } finally {
        lock.unlock();
      }
    });
    w.await(0, 1, START);
    Condition c = lock.newCondition();
    lock.lock();                          // free only because the child awaits
    try {
      w.plainSet(1, 7);
      c.signal();
      while (w.plainGet(1) == 7) {
        assertTrue(c.await(START.toMillis(), TimeUnit.MILLISECONDS), "the child must answer");
      }
      assertEquals(70, w.plainGet(1));
    } finally {
      lock.unlock();
    }
    assertExitsOk(child, START);
  }

  /**
   * A process blocked for seconds on a held lock uses under 2 % of a core: each child JVM does nothing but
   * wait, and its whole CPU time (every thread) is measured over 3 s by the kernel's accounting.
   */
  /**
   * The most of a core, in percent, that a process blocked in {@code lock()} on a held lock may use. 2 by default
   * (the shared-memory waiter parks and its liveness probe is a system call).
   */
  protected double idleCpuLimit() {
    return 2.0;
  }

  @Test
  void aProcessBlockedOnAHeldLockStaysIdle() throws Exception {
    Words w = words;                                  // 0: waiting, 1: got
    Map<LockKind, IpcLock> locks = new EnumMap<>(LockKind.class);
    Map<LockKind, IpcProcess> waiters = new EnumMap<>(LockKind.class);
    for (LockKind kind : kinds()) {
      IpcLock lock = kind.open(ipc, "l-" + kind.label());
      lock.lock();
      locks.put(kind, lock);
    }
    for (LockKind kind : kinds()) {
      IpcLock lock = locks.get(kind);
      waiters.put(kind, start(() -> {
        w.incrementAndGet(0);
        lock.lock();
        w.incrementAndGet(1);
        lock.unlock();
      }));
    }
    w.await(0, kinds().size(), START);
    Thread.sleep(1_000); // pacing, not synchronisation: let start-up compilation in the children finish
    Map<LockKind, Duration> before = new EnumMap<>(LockKind.class);
    for (LockKind kind : kinds()) {
      before.put(kind, cpu(waiters.get(kind)));
    }
    long t0 = System.nanoTime();
    Thread.sleep(3_000); // the measurement window
    double window = (System.nanoTime() - t0) / 1e9;
    StringBuilder report = new StringBuilder();
    boolean ok = true;
    for (LockKind kind : kinds()) {
      IpcProcess p = waiters.get(kind);
      assertAlive(p);
      double used = cpu(p).minus(before.get(kind)).toNanos() / 1e9;
      double share = 100 * used / window;
      report.append(String.format("%s waiter: %.1f ms CPU in %.2f s = %.2f %% of a core; ",
          kind.label(), used * 1e3, window, share));
      ok &= share < idleCpuLimit();
    }
    System.out.println(report);
    assertEquals(0, w.get(1), "nobody got a held lock");
    assertTrue(ok, report.toString());
    for (IpcLock lock : locks.values()) {
      lock.unlock();
    }
    for (IpcProcess p : waiters.values()) {
      assertExitsOk(p, RUN);
    }
    assertEquals(kinds().size(), w.get(1));
  }

  /**
   * CPU time of every thread of {@code p}: the scheduler's exact run time from {@code /proc/PID/task/TID/schedstat}
   * where it exists (tick-sampled {@code /proc/PID/stat}, which {@link ProcessHandle.Info#totalCpuDuration()}
   * reads, charges a whole tick to a thread that merely wakes on it), else {@code totalCpuDuration()}.
   */
  private static Duration cpu(IpcProcess p) throws IOException {
    Path tasks = Path.of("/proc/" + p.pid() + "/task");
    if (Files.isDirectory(tasks)) {
      long nanos = 0;
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
        for (Path t : ds) {
          try {
            long n = Long.parseLong(Files.readString(t.resolve("schedstat")).trim().split("\\s+")[0]);
            nanos += n;
          } catch (NoSuchFileException threadEnded) {
            // a thread that ended meanwhile
          }
        }
      }
      return Duration.ofNanos(nanos);
    }
    return p.toHandle().info().totalCpuDuration()
        .orElseThrow(() -> new AssertionError("no CPU accounting for " + p));
  }
}
