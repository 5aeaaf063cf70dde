package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedLong;
import dev.ipckit.SharedLongArray;
import dev.ipckit.spi.Deadline;
import java.time.Duration;
import java.util.Locale;

/**
 * The counter race from the Python {@code multiprocessing} tutorials, in Java: two processes add to one shared
 * value, without a lock, with a lock around the whole loop, with a lock around each add; then the same race at
 * scale, counting lost updates.
 *
 * <p>Run it (from the project directory):
 * <pre>
 * mvn -B -q install -DskipTests &amp;&amp; java -cp ipc-bench/target/benchmarks.jar dev.ipckit.bench.RaceDemo
 * </pre>
 */
public final class RaceDemo {
  /** Adds per process in parts 1 to 3. */
  static final int ADDS = 5;
  /** Pause after each add in parts 1 to 3, so that the two processes take turns on the console. */
  static final long PAUSE_MS = 20;
  /** Increments per process in part 4. */
  static final int MANY = 5_000_000;

  /** How a process guards its adds. */
  enum Guard { NONE, WHOLE_LOOP, EACH_ADD }

  /** How a process increments in part 4. */
  enum Increment { GET_THEN_SET, INCREMENT_AND_GET, LOCKED_GET_THEN_SET }

  private RaceDemo() {
  }

  public static void main(String[] args) throws Exception {
    System.out.println("ipckit race demo: two processes (two JVMs) share one number, a SharedLong that lives in a");
    System.out.println("memory-mapped file. Process A adds 1 five times, process B adds 3 five times, pausing "
        + PAUSE_MS + " ms after");
    System.out.println("each add and printing the value it left. Right answer: 5 x 1 + 5 x 3 = 20.");
    try (Ipc ipc = Ipc.temp()) {
      part(ipc, 1, Guard.NONE,
          "Part 1 - no lock. Both processes run at the same time, so their lines interleave (a line can even\n"
              + "  come out before the one it follows: printing is not part of the add). Each add is\n"
              + "  v.set(v.get() + n): a read, then a write; if the other process writes in between, an add is lost.");
      part(ipc, 2, Guard.WHOLE_LOOP,
          "Part 2 - a lock around the whole loop. The process that gets the lock first does all five adds,\n"
              + "  then the other does its five: 1..5 then 8..20, or 3..15 then 16..20.");
      part(ipc, 3, Guard.EACH_ADD,
          "Part 3 - a lock around each add. The lines interleave again, but no add can be lost: 20 every time.");
      System.out.println();
      System.out.printf(Locale.ROOT, "Part 4 - the same race at scale: two processes each add 1 to the value "
          + "%,d times, with no pauses.%n", MANY);
      scale(ipc, Increment.GET_THEN_SET, "v.set(v.get() + 1), no lock",
          "the read and the write are two steps; the other process slips in between and an add is lost");
      scale(ipc, Increment.INCREMENT_AND_GET, "v.incrementAndGet()",
          "one atomic read-add-write on the shared memory (like AtomicLong): nothing lost, no lock needed");
      scale(ipc, Increment.LOCKED_GET_THEN_SET, "lock(); v.set(v.get() + 1); unlock()",
          "ipc.lock(...) makes the read and the write one unit: nothing lost, the price is the lock");
      System.out.println("  (times: the slower process's loop, wall clock, after a warm-up of the same loop; both"
          + " processes");
      System.out.println("  leave a spinning gate together. CPython's multiprocessing loses 25-47 % of the"
          + " unlocked adds on");
      System.out.println("  the same 2-core machine: Value('i', lock=False), v.value += 1.)");
    }
  }

  private static void part(Ipc ipc, int number, Guard guard, String explanation) throws Exception {
    System.out.println();
    System.out.println(explanation);
    SharedLong v = ipc.sharedLong("part" + number, 0);
    SharedLong gate = ipc.sharedLong("part" + number + "-gate", 0);
    IpcLock lock = ipc.lock("part" + number + "-lock");
    IpcProcess a = IpcProcess.builder().name("A").start(() -> addFive(v, 1, "A (+1)", guard, lock, gate));
    IpcProcess b = IpcProcess.builder().name("B").start(() -> addFive(v, 3, "B (+3)", guard, lock, gate));
    joinOk(a);
    joinOk(b);
    long total = v.get();
    if (total != 20) {
      System.out.println("  final value: " + total + " (WRONG: " + (20 - total) + " lost to the race)");
    } else if (guard == Guard.NONE) {
      System.out.println("  final value: 20 (right this time: get and set are nanoseconds apart, the pauses are");
      System.out.println("  milliseconds; part 4 shows how often it goes wrong without pauses)");
    } else {
      System.out.println("  final value: 20 (right)");
    }
  }

  /** One process of parts 1 to 3. */
  static void addFive(SharedLong v, int n, String who, Guard guard, IpcLock lock, SharedLong gate)
      throws InterruptedException {
    startTogether(gate, 2);
    if (guard == Guard.WHOLE_LOOP) {
      lock.lock();
    }
    try {
      for (int i = 0; i < ADDS; i++) {
        if (guard == Guard.EACH_ADD) {
          lock.lock();
        }
        try {
          long now = v.get() + n;             // read ...
          v.set(now);                         // ... then write: another process may have written in between
          System.out.println("  " + who + ": " + now);
        } finally {
          if (guard == Guard.EACH_ADD) {
            lock.unlock();
          }
        }
        Thread.sleep(PAUSE_MS);
      }
    } finally {
      if (guard == Guard.WHOLE_LOOP) {
        lock.unlock();
      }
    }
  }

  private static void scale(Ipc ipc, Increment how, String label, String explanation) throws Exception {
    String key = how.name().toLowerCase(Locale.ROOT);
    SharedLong v = ipc.sharedLong(key, 0);
    SharedLong gate = ipc.sharedLong(key + "-gate", 0);
    SharedLongArray nanos = ipc.longArray(key + "-nanos", 2);
    IpcLock lock = ipc.lock(key + "-lock");
    SharedLong warmA = ipc.sharedLong(key + "-warm-a", 0);
    SharedLong warmB = ipc.sharedLong(key + "-warm-b", 0);
    IpcProcess a = IpcProcess.start(() -> incrementMany(v, warmA, how, lock, gate, nanos, 0));
    IpcProcess b = IpcProcess.start(() -> incrementMany(v, warmB, how, lock, gate, nanos, 1));
    joinOk(a);
    joinOk(b);
    long total = v.get();
    long expected = 2L * MANY;
    double ms = Math.max(nanos.get(0), nanos.get(1)) / 1e6;
    System.out.printf(Locale.ROOT, "  %-37s %,9d of %,d   lost %,9d (%4.1f %%)   %,7.1f ms%n      %s%n", label,
        total, expected, expected - total, 100.0 * (expected - total) / expected, ms, explanation);
  }

  /**
   * One process of part 4: runs the loop on its own value {@code warm} until the JIT has compiled it, meets the
   * other process at a spinning gate, then runs it on the shared {@code v}; its loop time goes to
   * {@code nanos[slot]}.
   */
  static void incrementMany(SharedLong v, SharedLong warm, Increment how, IpcLock lock, SharedLong gate,
      SharedLongArray nanos, int slot) {
    for (int round = 0; round < WARM_ROUNDS; round++) {
      increment(warm, how, lock, MANY / 10);
    }
    startTogether(gate, 2);
    long t0 = System.nanoTime();
    increment(v, how, lock, MANY);
    nanos.set(slot, System.nanoTime() - t0);
  }

  /** Rounds of the part 4 loop, a tenth as long, that each process runs first so that the race runs compiled. */
  static final int WARM_ROUNDS = 10;

  /** The loop of part 4: {@code n} increments of {@code v}, the way {@code how} says. */
  static void increment(SharedLong v, Increment how, IpcLock lock, int n) {
    switch (how) {
      case GET_THEN_SET -> {
        for (int i = 0; i < n; i++) {
          v.set(v.get() + 1);
        }
      }
      case INCREMENT_AND_GET -> {
        for (int i = 0; i < n; i++) {
          v.incrementAndGet();
        }
      }
      case LOCKED_GET_THEN_SET -> {
        for (int i = 0; i < n; i++) {
          lock.lock();
          try {
            v.set(v.get() + 1);
          } finally {
            lock.unlock();
          }
        }
      }
    }
  }

  /**
   * Counts this process in at {@code gate} and spins (at most 60 s) until {@code parties} have arrived, so that
   * every process leaves within a microsecond of the last arrival.
   */
  static void startTogether(SharedLong gate, int parties) {
    gate.incrementAndGet();
    long deadline = Deadline.after(Deadline.nanos(Duration.ofSeconds(60)));
    while (gate.get() < parties) {
      if (Deadline.passed(deadline)) {
        throw new IllegalStateException("the other process never arrived at the start");
      }
      Thread.onSpinWait();
    }
  }

  private static void joinOk(IpcProcess p) throws InterruptedException {
    if (!p.join(Duration.ofMinutes(5))) {
      p.kill();
      throw new IllegalStateException(p + " did not finish within 5 minutes");
    }
    if (p.exitCode().getAsInt() != 0) {
      throw new IllegalStateException(p + " failed (its error is printed above)");
    }
  }
}
