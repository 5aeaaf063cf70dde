package dev.ipckit.spi;

import java.util.concurrent.TimeUnit;

/**
 * Timeouts and deadlines with saturating arithmetic: the one place that adds to {@link System#nanoTime()}, for
 * the library and its backends.
 *
 * <p>A timeout is a number of nanoseconds: at most 0 means "look once, do not wait"; {@link #FOREVER} or more
 * means "no deadline" (about 73 years: {@code nanoTime() + FOREVER} cannot overflow into the past, and no wait
 * lasts that long). {@link #nanos(long, TimeUnit)} turns any {@code (long, TimeUnit)} into such a number, so
 * {@code Long.MIN_VALUE} of any unit returns at once and {@code Long.MAX_VALUE} of any unit waits forever.
 * A deadline is a {@link System#nanoTime()} value, compared by difference as its javadoc asks.
 */
public final class Deadline {
  /** Timeouts from this many nanoseconds on have no deadline. */
  public static final long FOREVER = Long.MAX_VALUE / 4;

  private Deadline() {
  }

  /** {@code timeout} in nanoseconds, saturated to [0, {@link #FOREVER}]. */
  public static long nanos(long timeout, TimeUnit unit) {
    return clamp(unit.toNanos(timeout));              // toNanos saturates at Long.MIN_VALUE / MAX_VALUE
  }

  /** {@code timeout} in nanoseconds, saturated to [0, {@link #FOREVER}] (a huge Duration does not overflow). */
  public static long nanos(java.time.Duration timeout) {
    if (timeout.isNegative()) {
      return 0L;
    }
    return timeout.getSeconds() >= FOREVER / 1_000_000_000L ? FOREVER : clamp(timeout.toNanos());
  }

  /** {@code nanos} saturated to [0, {@link #FOREVER}]. */
  public static long clamp(long nanos) {
    return nanos <= 0L ? 0L : Math.min(nanos, FOREVER);
  }

  /** True when {@code nanos} (already clamped or not) means no deadline. */
  public static boolean isForever(long nanos) {
    return nanos >= FOREVER;
  }

  /** The deadline {@code nanos} from now ({@link System#nanoTime()} scale); {@code nanos} is clamped first. */
  public static long after(long nanos) {
    return System.nanoTime() + clamp(nanos);
  }

  /** The deadline {@code timeout} from now. */
  public static long after(long timeout, TimeUnit unit) {
    return after(nanos(timeout, unit));
  }

  /** True once {@code deadline} has passed (or is now). */
  public static boolean passed(long deadline) {
    return System.nanoTime() - deadline >= 0;
  }

  /** Nanoseconds left until {@code deadline}: negative once it has passed. */
  public static long remaining(long deadline) {
    return deadline - System.nanoTime();
  }
}
