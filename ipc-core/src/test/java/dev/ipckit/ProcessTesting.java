package dev.ipckit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Helpers for tests that start real processes: bounded waits, liveness that counts zombies as dead, launchers. */
public final class ProcessTesting {
  private ProcessTesting() {
  }

  /** Polls {@code condition} every millisecond or so until it holds; fails naming {@code what} after {@code timeout}. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline >= 0) {
        fail("timed out after " + timeout.toMillis() + " ms waiting for " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

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

  /** Milliseconds until {@code pid} is dead, or -1 if it is still running after {@code timeout}. */
  public static long millisUntilDead(long pid, Duration timeout) {
    long t0 = System.nanoTime();
    long deadline = t0 + timeout.toNanos();
    while (!isDead(pid)) {
      if (System.nanoTime() - deadline >= 0) {
        return -1;
      }
      LockSupport.parkNanos(2_000_000);
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** SIGKILLs {@code pid} if it still runs (cleanup after a failed test). */
  public static void killQuietly(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  /**
   * Starts {@link ProcessTestMain} in a plain JVM (not an {@link IpcProcess}) on this class path, its standard
   * output and error going to {@code out} and {@code err}: a parent whose output we can read and which we can kill.
   */
  public static Process launchParent(Path out, Path err, List<String> jvmFlags, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ProcessTestMain.class.getName());
    cmd.addAll(List.of(args));
    try {
      return new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for {@code p} to exit (bounded) and returns its exit code. */
  public static int exitOf(Process p, Duration timeout) throws InterruptedException {
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      fail("process " + p.pid() + " still running after " + timeout.toMillis() + " ms");
    }
    return p.exitValue();
  }

  public static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value of the last line {@code key=value} in {@code file}, or null. */
  public static String valueIn(Path file, String key) {
    String v = null;
    for (String line : read(file).split("\n")) {
      if (line.startsWith(key + "=")) {
        v = line.substring(key.length() + 1).trim();
      }
    }
    return v;
  }

  // ---- helpers that run inside child JVMs (they take Strings: Path is not serializable) ----

  /** In a child: waits until {@code file} exists, at most {@code seconds}; throws if it never does. */
  public static void waitForFile(String file, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    File f = new File(file);
    while (!f.exists()) {
      if (System.nanoTime() - deadline >= 0) {
        throw new IllegalStateException("never released: " + file);
      }
      Thread.sleep(2);
    }
  }

  /** In a child: writes {@code text} to {@code file} and publishes it by a rename, so readers never see half. */
  public static void writeFile(String file, String text) throws IOException {
    Path tmp = Path.of(file + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, Path.of(file), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
