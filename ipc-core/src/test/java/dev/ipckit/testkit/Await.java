package dev.ipckit.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ipckit.SharedInt;
import dev.ipckit.SharedLong;
import java.io.File;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits on a condition, a shared value, a thread's state or a file: each polls with a short park (50 µs,
 * doubling to 1 ms) until what it waits for holds, and fails naming what it waited for, how long, and, for a value,
 * the last value it saw. Never a sleep to synchronise. Usable in a child JVM too (a failure there ends the child
 * with exit code 1 and the message on its standard error).
 */
public final class Await {
  private static final long FIRST_PARK_NANOS = 50_000;
  private static final long LONGEST_PARK_NANOS = 1_000_000;

  private Await() {
  }

  /** One look at what a test waits for; may act (ring, nudge) before it answers. */
  @FunctionalInterface
  public interface Attempt {
    /** True once what is waited for holds. */
    boolean done() throws Exception;
  }

  /** Whether {@code condition} holds within {@code timeout}: the bounded wait for callers that report themselves. */
  public static boolean within(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long park = FIRST_PARK_NANOS;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      LockSupport.parkNanos(park);
      park = Math.min(2 * park, LONGEST_PARK_NANOS);
    }
    return true;
  }

  /** Waits until {@code condition} holds; fails naming {@code what} after {@code timeout}. */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    if (!within(timeout, condition)) {
      fail(timedOut(what, timeout));
    }
  }

  /**
   * Runs {@code attempt} again and again until it returns true; fails naming {@code what} after {@code timeout}.
   * For waits that must act while they wait (ring until woken, join with a short timeout); what it throws, this
   * throws.
   */
  public static void retry(String what, Duration timeout, Attempt attempt) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long park = FIRST_PARK_NANOS;
    while (!attempt.done()) {
      if (System.nanoTime() - deadline >= 0) {
        fail(timedOut(what, timeout));
      }
      LockSupport.parkNanos(park);
      park = Math.min(2 * park, LONGEST_PARK_NANOS);
    }
  }

  /** Waits until {@code value} reads {@code expected}; the failure says what it read last. */
  public static void value(SharedInt value, int expected, Duration timeout) {
    if (!within(timeout, () -> value.get() == expected)) {
      fail(timedOut(value + " == " + expected, timeout) + " (it was " + value.get() + ")");
    }
  }

  /** Waits until {@code value} reads {@code expected}; the failure says what it read last. */
  public static void value(SharedLong value, long expected, Duration timeout) {
    if (!within(timeout, () -> value.get() == expected)) {
      fail(timedOut(value + " == " + expected, timeout) + " (it was " + value.get() + ")");
    }
  }

  /** Waits until {@code t} is parked or waiting (blocked in a wait of its own, not running). */
  public static void blocked(Thread t, Duration timeout) {
    if (!within(timeout, () -> t.getState() == Thread.State.TIMED_WAITING || t.getState() == Thread.State.WAITING)) {
      fail(timedOut(t.getName() + " to block", timeout) + " (it was " + t.getState() + ")");
    }
  }

  /** Waits until {@code t} is in a timed wait (a waiter that has gone past spinning into parking). */
  public static void parked(Thread t, Duration timeout) {
    if (!within(timeout, () -> t.getState() == Thread.State.TIMED_WAITING)) {
      fail(timedOut(t.getName() + " to park", timeout) + " (it was " + t.getState() + ")");
    }
  }

  /** Waits until {@code file} exists. Takes a String so that a task sent to a child can capture it. */
  public static void file(String file, Duration timeout) {
    File f = new File(file);
    until(file + " to exist", timeout, f::exists);
  }

  private static String timedOut(String what, Duration timeout) {
    return "timed out after " + timeout.toMillis() + " ms waiting for " + what;
  }
}
