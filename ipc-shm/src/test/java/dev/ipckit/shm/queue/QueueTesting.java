package dev.ipckit.shm.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.IpcProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Helpers shared by the cross-process queue tests. */
final class QueueTesting {
  private QueueTesting() {
  }

  /** Polls {@code condition} until true; fails with {@code what} after {@code timeout}. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** Joins {@code p} within {@code timeout} and asserts it exited 0. */
  static void joinOk(IpcProcess p, Duration timeout) throws InterruptedException {
    if (!p.join(timeout)) {
      p.kill();
      throw new AssertionError(p.name() + " did not finish within " + timeout);
    }
    assertEquals(0, p.exitCode().getAsInt(), p.name() + " failed (its stack trace is on stderr)");
  }

  /** Side files of queue {@code name} left in {@code dir}. */
  static List<String> sideFiles(Path dir, String name) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(f -> f.startsWith(name + "@")).collect(Collectors.toList());
    }
  }

  static void assertNoSideFiles(Path dir, String name) throws IOException {
    List<String> left = sideFiles(dir, name);
    assertTrue(left.isEmpty(), "side files left behind: " + left);
  }
}
