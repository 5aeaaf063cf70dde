package dev.ipckit.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Timeouts saturate: nothing overflows into the past or the future, in any unit. */
@Tag("unit")
class DeadlineTest {
  @ParameterizedTest
  @EnumSource(TimeUnit.class)
  void negativeAndZeroTimeoutsMeanLookOnce(TimeUnit unit) {
    for (long t : new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0}) {
      assertEquals(0L, Deadline.nanos(t, unit), t + " " + unit);
      assertTrue(Deadline.passed(Deadline.after(t, unit)), t + " " + unit + " has passed at once");
      assertFalse(Deadline.isForever(Deadline.nanos(t, unit)));
    }
  }

  @ParameterizedTest
  @EnumSource(TimeUnit.class)
  void hugeTimeoutsMeanForever(TimeUnit unit) {
    for (long t : new long[] {Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE / 2}) {
      long nanos = Deadline.nanos(t, unit);
      assertTrue(Deadline.isForever(nanos), t + " " + unit);
      long deadline = Deadline.after(nanos);
      assertFalse(Deadline.passed(deadline), t + " " + unit + " must not wrap into the past");
      assertTrue(Deadline.remaining(deadline) > TimeUnit.DAYS.toNanos(365 * 50));
    }
  }

  @org.junit.jupiter.api.Test
  void durationsSaturateToo() {
    assertEquals(0L, Deadline.nanos(java.time.Duration.ofSeconds(Long.MIN_VALUE)));
    assertTrue(Deadline.isForever(Deadline.nanos(java.time.Duration.ofSeconds(Long.MAX_VALUE, 999_999_999))));
    assertEquals(1_500_000L, Deadline.nanos(java.time.Duration.ofNanos(1_500_000)));
  }

  @ParameterizedTest
  @EnumSource(TimeUnit.class)
  void ordinaryTimeoutsAreKept(TimeUnit unit) {
    assertEquals(unit.toNanos(3), Deadline.nanos(3, unit));
  }
}
