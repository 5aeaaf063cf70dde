package dev.ipckit.bench;

import dev.ipckit.Pool;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code Pool(1).apply} of a trivial task: back to back (SampleTime: read p0.50), and after the pool has been idle
 * for a second (SingleShotTime, {@code afterPause}: each measured call follows a 1 s pause, so the worker waits as long as it does
 * between a server's sporadic requests). CPython 3.11's {@code Pool(1).apply} on this machine
 * ({@code ipc-bench/cpython/pool_apply.py}): 208 µs back to back, 723 µs after 1 s idle (medians).
 *
 * <pre>
 * mvn -B -q package -DskipTests -pl ipc-core,ipc-shm,ipc-bench
 * java -jar ipc-bench/target/benchmarks.jar PoolLatencyBenchmark -f 1 -wi 3 -i 10 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PoolLatencyBenchmark {
  private Pool pool;

  @Setup(Level.Trial)
  public void setUp() throws InterruptedException, ExecutionException {
    pool = Pool.create(1);
    for (int i = 0; i < 20_000; i++) {
      pool.apply(() -> 1);                       // the worker is a fresh JVM: warm its code up
    }
  }

  /** The pause before each after-idle call: pacing, not synchronisation. */
  @Setup(Level.Iteration)
  public void idle() {
    Children.pause(Duration.ofSeconds(1));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pool.terminate();
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  public int backToBack() throws InterruptedException, ExecutionException {
    return pool.apply(() -> 1);
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  public int afterPause() throws InterruptedException, ExecutionException {
    return pool.apply(() -> 1);
  }
}
