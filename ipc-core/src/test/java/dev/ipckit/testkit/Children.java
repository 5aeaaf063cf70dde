package dev.ipckit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ipckit.IpcProcess;
import dev.ipckit.SharedInt;
import dev.ipckit.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The child JVMs of a test, always reaped: {@link #start} starts daemon {@link IpcProcess} children and
 * {@link #launch} plain JVMs; {@link #close()} (run after each test when this is a
 * {@code @RegisterExtension} field) kills what still runs and waits, bounded, for each to be gone. The static
 * methods check how a child ended and whether a pid still runs.
 *
 * <p>Thread-safe: tests may start children from several threads.
 */
public final class Children implements AutoCloseable, AfterEachCallback {
  /** How long a child JVM may take to start on a loaded 2-core machine before a test gives up. */
  public static final Duration START = Duration.ofSeconds(30);
  /** How long a child may take to finish a counting run. */
  public static final Duration RUN = Duration.ofSeconds(60);
  /** How long the kernel may take to tear down a killed child before a test gives up. */
  public static final Duration REAP = Duration.ofSeconds(30);
  /** The exit code of a process killed by SIGKILL (128 + 9). */
  public static final int SIGKILL_EXIT = 137;

  private final List<IpcProcess> children = new ArrayList<>();
  private final List<Process> plain = new ArrayList<>();

  /** Starts {@code task} in a daemon child JVM that {@link #close()} kills if it still runs. */
  public IpcProcess start(Task task) {
    return start(IpcProcess.builder(), task);
  }

  /** Starts {@code task} with {@code builder} (its name, JVM options, spare) as a daemon child, reaped on close. */
  public IpcProcess start(IpcProcess.Builder builder, Task task) {
    return track(builder.daemon(true).start(task));
  }

  /** Has {@link #close()} reap {@code p}, a child started some other way; returns it. */
  public IpcProcess track(IpcProcess p) {
    synchronized (children) {
      children.add(p);
    }
    return p;
  }

  /**
   * Starts {@code main} in a plain JVM (not an {@link IpcProcess}) on this class path, its standard output and
   * error going to {@code out} and {@code err}: a parent whose output a test can read and which it can kill.
   */
  public Process launch(Class<?> main, Path out, Path err, List<String> jvmFlags, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      synchronized (children) {
        plain.add(p);
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills every child still running (SIGKILL) and waits, bounded, for each to be gone. Closing twice is harmless. */
  @Override
  public void close() throws InterruptedException {
    List<IpcProcess> all;
    List<Process> launched;
    synchronized (children) {
      all = new ArrayList<>(children);
      launched = new ArrayList<>(plain);
      children.clear();
      plain.clear();
    }
    for (IpcProcess p : all) {
      if (p.isAlive()) {
        p.kill();
      }
    }
    launched.forEach(Process::destroyForcibly);
    for (IpcProcess p : all) {
      p.join(REAP);
    }
    for (Process p : launched) {
      p.waitFor(REAP.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    close();
  }

  // ---- how a child ended ----

  /** Waits at most {@code timeout} for {@code p} to exit and checks that its task returned normally. */
  public static void assertExitsOk(IpcProcess p, Duration timeout) throws InterruptedException {
    assertExits(p, 0, timeout, "exit code (1: the task threw, see its stack trace above)");
  }

  /** Waits at most {@code timeout} for {@code p} to end and checks that it was killed by SIGKILL (exit code 137). */
  public static void assertKilled(IpcProcess p, Duration timeout) throws InterruptedException {
    assertExits(p, SIGKILL_EXIT, timeout, "was killed, not ended (exit 1: the task threw, see its stack trace)");
  }

  private static void assertExits(IpcProcess p, int expected, Duration timeout, String what)
      throws InterruptedException {
    if (!p.join(timeout)) {
      p.kill();
      fail(p + " did not end within " + timeout.toMillis() + " ms");
    }
    OptionalInt code = p.exitCode();
    assertEquals(expected, code.orElse(-1), p + " " + what);
  }

  public static void assertAlive(IpcProcess p) {
    assertTrue(p.isAlive(), p + " should still be running");
  }

  /** Waits for plain process {@code p} to exit (bounded; killed and failed if not) and returns its exit code. */
  public static int exitOf(Process p, Duration timeout) throws InterruptedException {
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      fail("process " + p.pid() + " still running after " + timeout.toMillis() + " ms");
    }
    return p.exitValue();
  }

  // ---- pids, whoever started them ----

  /** Whether {@code pid} is gone: no such process, or a zombie nobody has reaped yet (it runs nothing). */
  public static boolean isDead(long pid) {
    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        int close = stat.lastIndexOf(')');
        return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
      } catch (IOException e) {
        return true;                          // vanished between the two looks
      }
    }
    return true;
  }

  /** Milliseconds until {@code pid} is dead, or -1 if it still runs after {@code timeout}. */
  public static long millisUntilDead(long pid, Duration timeout) {
    long t0 = System.nanoTime();
    if (!Await.within(timeout, () -> isDead(pid))) {
      return -1;
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  /** SIGKILLs {@code pid} if it still runs (cleanup after a failed test). */
  public static void killQuietly(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  // ---- in a child ----

  /**
   * In a child: counts {@code ready} up, then spins until {@code go} is set, so that workers start together (the
   * test awaits {@code ready} and sets {@code go}). Spins rather than parks: a parked worker would start late.
   */
  public static void readySetGo(SharedInt ready, SharedInt go) {
    ready.incrementAndGet();
    long deadline = System.nanoTime() + START.toNanos();
    while (go.get() == 0) {
      if (System.nanoTime() - deadline >= 0) {
        throw new IllegalStateException("no go signal within " + START.toMillis() + " ms");
      }
      Thread.onSpinWait();
    }
  }
}
