package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.SharedLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Small objects in the namespace's slab ({@code docs/small-objects.md}):
 * <ul>
 *   <li>{@code create}: new {@code SharedLong}s, one per operation, in a namespace that already holds {@code
 *       objects} of them (the handle is closed again, as an app that makes one counter per key and moves on):
 *       target at least 100,000 objects/s;</li>
 *   <li>{@code open}: opening an existing one by name among {@code objects} (and closing the handle): the same
 *       at a thousand objects as at a million, since a lookup is a hash and a probe or two;</li>
 *   <li>{@code openFile}: the same for a value that is a file of its own (a name too long for a slot), for
 *       comparison, among a thousand.</li>
 * </ul>
 * The per-operation costs (a counter's {@code getAndAdd}, a lock's {@code lock}/{@code unlock}) are compared
 * between the slab and files of their own by the {@code layout} parameter of {@link CounterBenchmark} and {@link
 * LockBenchmark}.
 *
 * <p>Run: {@code java -jar ipc-bench/target/benchmarks.jar SmallObjectBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class SmallObjectBenchmark {
  /** A suffix that makes a name too long for a slab slot: the object is a file of its own. */
  static final String FILE_SUFFIX = "-with-a-name-too-long-for-a-slab-slot-a-file-of-its-own";

  /** {@code base}, or a name for the same object as a file of its own when {@code layout} is {@code file}. */
  static String named(String base, String layout) {
    switch (layout) {
      case "slab": return base;
      case "file": return base + FILE_SUFFIX;
      default: throw new IllegalArgumentException("layout " + layout + ": slab or file");
    }
  }

  /** Objects in the namespace before the measurement. */
  @Param({"1000", "1000000"})
  public int objects;

  private Ipc ipc;
  private long next;
  private int probe;

  @Setup(Level.Trial)
  public void fill() {
    ipc = Ipc.temp();
    for (int i = 0; i < objects; i++) {
      ipc.sharedLong("o" + i, i).close();
    }
    for (int i = 0; i < 1000; i++) {
      ipc.sharedLong("f" + i + FILE_SUFFIX, i).close();
    }
    next = objects;
  }

  @TearDown(Level.Trial)
  public void close() {
    ipc.close();
  }

  @Benchmark
  public long create() {
    SharedLong v = ipc.sharedLong("n" + next++, 1);
    long x = v.get();
    v.close();
    return x;
  }

  @Benchmark
  public long open() {
    probe = probe + 7919 < objects ? probe + 7919 : (probe + 7919) % objects;
    SharedLong v = ipc.sharedLong("o" + probe, -1);
    long x = v.get();
    v.close();
    return x;
  }

  @Benchmark
  public long openFile() {
    probe = probe + 7919 < 1000 ? probe + 7919 : (probe + 7919) % 1000;
    SharedLong v = ipc.sharedLong("f" + probe + FILE_SUFFIX, -1);
    long x = v.get();
    v.close();
    return x;
  }

  /** A lock per key, made on first use: the pattern the slab is for. */
  @Benchmark
  public void lockPerKey() {
    IpcLock l = ipc.lock("k" + next++);
    l.lock();
    l.unlock();
    l.close();
  }
}
