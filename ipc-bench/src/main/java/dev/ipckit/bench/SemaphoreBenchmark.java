package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.IpcSemaphore;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Uncontended {@code acquire()} + {@code release()} of a semaphore(1) in one process, one thread: the price of
 * recording the holdings (lock word, journal, entry) that let {@link SyncTakeoverBenchmark} hand a killed holder's
 * permit on. {@code semaphoreAcquireRelease} is the {@link IpcSemaphore}; {@code jucSemaphoreAcquireRelease} is
 * {@link Semaphore} in one JVM, the in-process floor.
 *
 * <pre>
 * mvn -B -q package -DskipTests
 * java -jar ipc-bench/target/benchmarks.jar SemaphoreBenchmark -f 1
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SemaphoreBenchmark {
  @State(Scope.Benchmark)
  public static class Uncontended {
    Ipc ipc;
    IpcSemaphore semaphore;
    final Semaphore juc = new Semaphore(1);

    @Setup(Level.Trial)
    public void open() {
      ipc = Ipc.temp();
      semaphore = ipc.semaphore("uncontended", 1);
    }

    @TearDown(Level.Trial)
    public void close() {
      ipc.close();
    }
  }

  @Benchmark
  public void semaphoreAcquireRelease(Uncontended u) throws InterruptedException {
    IpcSemaphore s = u.semaphore;
    s.acquire();
    s.release();
  }

  @Benchmark
  public void jucSemaphoreAcquireRelease(Uncontended u) throws InterruptedException {
    Semaphore s = u.juc;
    s.acquire();
    s.release();
  }
}
