package dev.ipckit.redis;

import java.time.Duration;

/**
 * The Redis backend's configuration: system properties, else environment variables. Credentials live here, never
 * in a location: {@code ipckit.redis.user} / {@code IPCKIT_REDIS_USER} and {@code ipckit.redis.password} /
 * {@code IPCKIT_REDIS_PASSWORD} (Redis 6 ACL user and password, or the {@code requirepass} password alone). A
 * child JVM started by {@code IpcProcess} inherits both the properties given on its parent's command line and the
 * environment. Prefer the environment for the password: a {@code -D} flag on a command line is visible to every
 * local user ({@code ps}).
 *
 * <ul>
 *   <li>{@code ipckit.redis.leaseMillis} (10000): how long a process counts as alive without renewing its lease;
 *   it renews every third of it. A machine that dies, or is cut off, loses its locks after this long.
 *   <li>{@code ipckit.redis.probeMillis} (10): how often a waiter looks again when nothing woke it (the longest a
 *   takeover after a process death waits for, beside the server's own delay).
 *   <li>{@code ipckit.redis.spinMicros} (300): how long a waiter keeps asking again at once before it waits for a
 *   message (µs): an answer from a busy peer comes within a few round trips, sooner than a wake-up.
 *   <li>{@code ipckit.redis.timeoutMillis} (5000): connect and socket read timeout of each call.
 *   <li>{@code ipckit.redis.allowEviction} (false): open a server whose {@code maxmemory-policy} may evict keys,
 *   with a warning, instead of refusing it.
 * </ul>
 */
final class RedisConfig {
  final String user;
  final String password;
  final Duration lease;
  final Duration probe;
  final Duration spin;
  final int timeoutMillis;
  final boolean allowEviction;

  private RedisConfig(String user, String password, Duration lease, Duration probe, Duration spin, int timeoutMillis,
                      boolean allowEviction) {
    this.user = user;
    this.password = password;
    this.lease = lease;
    this.probe = probe;
    this.spin = spin;
    this.timeoutMillis = timeoutMillis;
    this.allowEviction = allowEviction;
  }

  static RedisConfig fromEnvironment() {
    long lease = number("ipckit.redis.leaseMillis", 10_000, 100, 86_400_000L);
    long probe = number("ipckit.redis.probeMillis", 10, 1, 10_000);
    long timeout = number("ipckit.redis.timeoutMillis", 5_000, 100, 600_000);
    long spin = number("ipckit.redis.spinMicros", 300, 0, 1_000_000);
    return new RedisConfig(text("ipckit.redis.user", "IPCKIT_REDIS_USER"),
        text("ipckit.redis.password", "IPCKIT_REDIS_PASSWORD"), Duration.ofMillis(lease), Duration.ofMillis(probe),
        Duration.ofNanos(spin * 1000), (int) timeout,
        Boolean.parseBoolean(System.getProperty("ipckit.redis.allowEviction", "false")));
  }

  private static String text(String property, String env) {
    String v = System.getProperty(property);
    if (v == null || v.isEmpty()) {
      v = System.getenv(env);
    }
    return v == null || v.isEmpty() ? null : v;
  }

  private static long number(String property, long dflt, long min, long max) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    long n;
    try {
      n = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("system property " + property + " must be a whole number, not \""
          + v + "\"");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException("system property " + property + " must be between " + min + " and " + max
          + ": " + n);
    }
    return n;
  }
}
