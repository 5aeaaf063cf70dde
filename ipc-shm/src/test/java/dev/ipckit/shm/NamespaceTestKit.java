package dev.ipckit.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedLong;
import dev.ipckit.Task;
import dev.ipckit.shm.liveness.Registry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * What the cross-process tests share: the three lock kinds, child JVMs that are always reaped, and bounded waits
 * on shared flags (never a sleep to synchronise).
 */
public final class NamespaceTestKit {
  /** How long a child JVM may take to start on a loaded 2-core machine before a test gives up. */
  public static final Duration START = Duration.ofSeconds(30);
  /** How long a child may take to finish a counting run. */
  public static final Duration RUN = Duration.ofSeconds(60);

  /** The three kinds of {@link IpcLock} a namespace makes. */
  public enum LockKind {
    LOCK, RLOCK, FILE_LOCK;

    public IpcLock open(Ipc ipc, String name) {
      switch (this) {
        case LOCK: return ipc.lock(name);
        case RLOCK: return ipc.rlock(name);
        default: return ipc.fileLock(name);
      }
    }

    public String label() {
      switch (this) {
        case LOCK: return "lock";
        case RLOCK: return "rlock";
        default: return "fileLock";
      }
    }
  }

  private final List<IpcProcess> children = new ArrayList<>();

  /** Starts {@code task} in a daemon child JVM that {@link #close()} kills if it is still running. */
  public IpcProcess start(Task task) {
    IpcProcess p = IpcProcess.builder().daemon(true).start(task);
    synchronized (children) {
      children.add(p);
    }
    return p;
  }

  /** Waits at most {@code timeout} for {@code p} to exit and checks that its task returned normally. */
  public static void assertExitsOk(IpcProcess p, Duration timeout) throws InterruptedException {
    if (!p.join(timeout)) {
      p.kill();
      fail(p + " did not finish within " + timeout);
    }
    OptionalInt code = p.exitCode();
    assertEquals(0, code.orElse(-1), p + " exit code (1: the task threw, see its stack trace above)");
  }

  /** Waits (bounded) until {@code condition} holds, polling every 100 µs; fails naming {@code what}. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("timed out after " + timeout + " waiting for " + what);
      }
      LockSupport.parkNanos(100_000);
    }
  }

  public static void awaitValue(SharedInt flag, int expected, Duration timeout) {
    await(flag + " == " + expected, timeout, () -> flag.get() == expected);
  }

  public static void awaitValue(SharedLong flag, long expected, Duration timeout) {
    await(flag + " == " + expected, timeout, () -> flag.get() == expected);
  }

  /** In a child: counts {@code ready} up, then spins until {@code go} is set, so that workers start together. */
  public static void readySetGo(SharedInt ready, SharedInt go) {
    ready.incrementAndGet();
    long deadline = System.nanoTime() + START.toNanos();
    while (go.get() == 0) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("no go signal within " + START);
      }
      Thread.onSpinWait();
    }
  }

  /** The registry of the JVM-wide namespace instance for {@code dir} (in a child: where handles reopened). */
  public static Registry registryOf(Ipc ipc) {
    return (Registry) ((ShmNamespace) ipc.namespace()).liveness();
  }

  public static void assertAlive(IpcProcess p) {
    assertTrue(p.isAlive(), p + " should still be running");
  }

  /** Kills every child still running and waits (bounded) for each to be gone. */
  public void close() throws InterruptedException {
    List<IpcProcess> all;
    synchronized (children) {
      all = new ArrayList<>(children);
      children.clear();
    }
    for (IpcProcess p : all) {
      if (p.isAlive()) {
        p.kill();
      }
    }
    for (IpcProcess p : all) {
      p.join(Duration.ofSeconds(10));
    }
  }
}
