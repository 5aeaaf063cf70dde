package dev.ipckit.shm.wait;

import java.util.List;

/**
 * Every {@code ipckit.*} system property of the shared-memory backend, in one place: its name, default, unit,
 * valid range and meaning. The README's tuning table is {@link #markdown()}.
 *
 * <p>A property is read at its first use and kept. A value that is not a number in its range is an
 * {@link IllegalArgumentException} naming the property, the value and the range, thrown at that first use and at
 * every later one (never an {@code ExceptionInInitializerError} that would leave the class unusable).
 *
 * <p><b>Thread safety.</b> Safe for any number of threads: a racing first read parses the same string twice.
 */
public final class Tuning {
  /** Spin steps ({@link Thread#onSpinWait()}) before a waiter yields. */
  public static final Property SPINS = new Property("ipckit.spins", 2_000, 0, 100_000_000, "steps",
      "spin steps before a waiter yields");
  /** Yields before a waiter may park (together with {@link #YIELD_MICROS}). */
  public static final Property YIELDS = new Property("ipckit.yields", 100, 0, 100_000_000, "yields",
      "least number of yields before a waiter parks");
  /** How long a waiter yields, at least, before it parks. */
  public static final Property YIELD_MICROS = new Property("ipckit.yieldMicros", 300, 0, 10_000_000, "µs",
      "least time a waiter yields before it parks");
  /** Longest park while the park length doubles. */
  public static final Property MAX_PARK_MICROS = new Property("ipckit.maxParkMicros", 2_000, 1, 1_000_000, "µs",
      "longest park of a waiter while its parks double from 1 µs");
  /** Longest park of a waiter that has waited long. */
  public static final Property IDLE_PARK_MICROS = new Property("ipckit.idleParkMicros", 20_000, 1, 1_000_000,
      "µs", "longest park of a waiter that has waited long (a tenth of its time parked so far)");
  /** Spin steps of a pipe waiter before it yields. */
  public static final Property PIPE_SPINS = new Property("ipckit.pipe.spins", 5_000, 0, 100_000_000, "steps",
      "spin steps of a pipe waiter before it yields (longer than a parked peer takes to wake)");
  /** Longest adaptive spin of a queue waiter whose last wait was short. */
  public static final Property QUEUE_MAX_SPIN_MICROS = new Property("ipckit.queue.maxSpinMicros", 1_000, 0,
      1_000_000, "µs", "longest adaptive spin of a queue waiter whose last wait was short");
  /** A queue waiter's adaptive spin yields once every this many steps. */
  public static final Property QUEUE_SPINS_PER_YIELD = new Property("ipckit.queue.spinsPerYield", 16, 1, 1 << 20,
      "steps", "a queue waiter's adaptive spin yields once every this many steps");
  /** Longest pause, in spin steps, between two polls of a held lock. */
  public static final Property LOCK_MAX_SPIN_PAUSE = new Property("ipckit.lock.maxSpinPause", 64, 1, 1 << 20,
      "steps", "longest pause between two polls of a held lock while spinning (doubles from 1)");
  /** Whether long waiters are woken through the namespace's bell file. */
  public static final Flag BELL = new Flag("ipckit.bell", true,
      "false turns the bell off: a long waiter then notices a change up to one park (20 ms) late");

  private static final List<Setting<?>> ALL = List.of(SPINS, YIELDS, YIELD_MICROS, MAX_PARK_MICROS, IDLE_PARK_MICROS,
      PIPE_SPINS, QUEUE_MAX_SPIN_MICROS, QUEUE_SPINS_PER_YIELD, LOCK_MAX_SPIN_PAUSE, BELL);

  private Tuning() {
  }

  /** The README's table of these properties: name, default, unit, range, meaning. */
  public static String markdown() {
    StringBuilder b = new StringBuilder("| property | default | unit | range | what it sets |\n|---|---|---|---|---|\n");
    for (Setting<?> o : ALL) {
      b.append(o).append('\n');
    }
    return b.toString();
  }

  /**
   * What every property has: its name, default and meaning, its value read from the system property at the first
   * {@code get()} and kept, the start of its error message and its row of the README table.
   *
   * @param <T> the type of the value
   */
  public abstract static class Setting<T> {
    private final String name;
    private final T defaultValue;
    private final String meaning;
    private volatile T value;

    Setting(String name, T defaultValue, String meaning) {
      this.name = name;
      this.defaultValue = defaultValue;
      this.meaning = meaning;
    }

    /** The property's name, {@code ipckit.…}. */
    public final String name() {
      return name;
    }

    /** The value: the system property's, parsed, if set, else the default; read at the first call and kept. */
    final T value() {
      T v = value;
      if (v == null) {
        String s = System.getProperty(name);
        v = s == null ? defaultValue : parse(s);
        value = v;
      }
      return v;
    }

    /** The value the set system property {@code s} stands for; IllegalArgumentException if it is not valid. */
    abstract T parse(String s);

    final T defaultValue() {
      return defaultValue;
    }

    /** The error for the system property set to {@code s}, which is not {@code expected}. */
    final IllegalArgumentException invalid(String s, String expected, Exception cause) {
      return new IllegalArgumentException("system property " + name + "=\"" + s + "\" is not valid: expected "
          + expected, cause);
    }

    /** The unit, for the README table ("—" for none). */
    abstract String unit();

    /** The valid values, for the README table. */
    abstract String range();

    /** For tests: forget the value read, so the next {@code get()} reads the system property again. */
    public final void reset() {
      value = null;
    }

    /** The property's row of the README table ({@link #markdown()}). */
    @Override
    public final String toString() {
      return "| `" + name + "` | " + defaultValue + " | " + unit() + " | " + range() + " | " + meaning + " |";
    }
  }

  /** A numeric property: read once, checked against its range. */
  public static final class Property extends Setting<Long> {
    private final long min;
    private final long max;
    private final String unit;

    Property(String name, long defaultValue, long min, long max, String unit, String meaning) {
      super(name, defaultValue, meaning);
      this.min = min;
      this.max = max;
      this.unit = unit;
    }

    /** The value: the system property's if set, else the default. IllegalArgumentException if out of range. */
    public long get() {
      return value();
    }

    /** {@link #get()} as an int (every range fits). */
    public int getInt() {
      return (int) get();
    }

    /** {@link #get()} times 1000: a microseconds property in nanoseconds. */
    public long nanos() {
      return get() * 1_000L;
    }

    @Override
    Long parse(String s) {
      long v;
      try {
        v = Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw invalid(s, expected(), e);
      }
      if (v < min || v > max) {
        throw invalid(s, expected(), null);
      }
      return v;
    }

    private String expected() {
      return "an integer from " + min + " to " + max + " (" + unit + "; default " + defaultValue() + ")";
    }

    @Override
    String unit() {
      return unit;
    }

    @Override
    String range() {
      return min + "–" + max;
    }
  }

  /** A boolean property: {@code true} or {@code false}, nothing else. */
  public static final class Flag extends Setting<Boolean> {
    Flag(String name, boolean defaultValue, String meaning) {
      super(name, defaultValue, meaning);
    }

    /** The value; IllegalArgumentException if the property is set to anything but true or false. */
    public boolean get() {
      return value();
    }

    @Override
    Boolean parse(String s) {
      String t = s.trim();
      if (t.equalsIgnoreCase("true")) {
        return true;
      }
      if (t.equalsIgnoreCase("false")) {
        return false;
      }
      throw invalid(s, "true or false (default " + defaultValue() + ")", null);
    }

    @Override
    String unit() {
      return "—";
    }

    @Override
    String range() {
      return "true, false";
    }
  }
}
