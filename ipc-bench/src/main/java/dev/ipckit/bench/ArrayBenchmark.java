package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.SharedDoubleArray;
import dev.ipckit.SharedIntArray;
import dev.ipckit.SharedLongArray;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Shared arrays in one process: an element read, an element compareAndSet, and a bulk read of the whole array into a
 * Java array ({@code get(0, into)}), for {@code int}. The JVM also reads {@code long} and {@code double} arrays in
 * its setup, as a program using several element types does, so that code shared by the element types is measured
 * with the profile such a program gives it, not with one type alone.
 *
 * <p>Run: {@code java -jar ipc-bench/target/benchmarks.jar ArrayBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ArrayBenchmark {
  /** One namespace with an int array of {@code length} elements. */
  @State(Scope.Benchmark)
  public static class Arrays {
    @Param({"4096"})
    public int length;

    Ipc ipc;
    SharedIntArray ints;
    int[] into;
    int i;

    @Setup(Level.Trial)
    public void setUp() {
      ipc = Ipc.temp();
      ints = ipc.intArray("ints", length);
      into = new int[length];
      SharedLongArray longs = ipc.longArray("longs", length);
      SharedDoubleArray doubles = ipc.doubleArray("doubles", length);
      long[] l = new long[length];
      double[] d = new double[length];
      for (int r = 0; r < 20_000; r++) {       // the other element types' bulk paths, hot before measuring
        longs.get(0, l);
        doubles.get(0, d);
        ints.get(0, into);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      ipc.close();
    }
  }

  @Benchmark
  public int get(Arrays s) {
    int i = s.i = (s.i + 1) & (s.length - 1);
    return s.ints.get(i);
  }

  @Benchmark
  public boolean compareAndSet(Arrays s) {
    int i = s.i = (s.i + 1) & (s.length - 1);
    int v = s.ints.get(i);
    return s.ints.compareAndSet(i, v, v + 1);
  }

  @Benchmark
  public int[] bulkGet(Arrays s) {
    s.ints.get(0, s.into);
    return s.into;
  }
}
