package dev.ipckit.bench;

import dev.ipckit.Codec;
import dev.ipckit.Connection;
import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.Pipe;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The CPU an idle reader costs: a child process blocked in {@code recv()} on a pipe nobody writes to. Each
 * invocation lets the reader wait for {@link #WINDOW_MILLIS} and reports, as the auxiliary counter
 * {@code readerCpuPercent}, the CPU time the child used meanwhile as a percentage of one core (from
 * {@link ProcessHandle.Info#totalCpuDuration()}, which Linux counts in 10 ms ticks, so the window is long).
 * Target: under 2 %. JMH adds the counter up over iterations: measure one iteration.
 *
 * <p>Run (after {@code mvn -B -q -pl ipc-core,ipc-shm,ipc-bench package -DskipTests}):
 * <pre>
 * java -jar ipc-bench/target/benchmarks.jar PipeIdleReaderBenchmark -f 1 -wi 1 -i 1
 * </pre>
 */
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 1)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class PipeIdleReaderBenchmark {
  static final long WINDOW_MILLIS = 10_000;

  Ipc ipc;
  IpcProcess reader;
  Connection<byte[]> out;

  /** What the measurement saw, reported beside the score. */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class Cpu {
    public double readerCpuPercent;
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    ipc = Ipc.temp();
    Pipe<byte[]> pipe = ipc.pipe("idle", false, Codec.bytes());
    reader = PipeBenchmark.startOn(ipc, pipe.left(), "idle-reader", in -> in.recv()); // idle until the end
    out = pipe.right();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    PipeBenchmark.stop(out, reader, ipc);
  }

  @Benchmark
  public void idleReader(Cpu cpu) throws InterruptedException {
    ProcessHandle child = reader.toHandle();
    long before = cpuNanos(child);
    long t0 = System.nanoTime();
    Thread.sleep(WINDOW_MILLIS); // paces the measurement window; nothing is synchronised by it
    long wall = System.nanoTime() - t0;
    long used = cpuNanos(child) - before;
    cpu.readerCpuPercent = 100.0 * used / wall;
  }

  private static long cpuNanos(ProcessHandle p) {
    return p.info().totalCpuDuration()
        .orElseThrow(() -> new IllegalStateException("this OS does not report the CPU time of " + p.pid()))
        .toNanos();
  }
}
