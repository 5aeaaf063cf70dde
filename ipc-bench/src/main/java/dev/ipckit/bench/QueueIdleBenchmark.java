package dev.ipckit.bench;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcQueue;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.AuxCounters;
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

/**
 * What an idle consumer costs: a child JVM blocked in {@code take()} on an empty {@code IpcQueue}; the benchmark
 * thread only paces (parks 10 ms per operation) while the child's CPU time is sampled from the kernel. The
 * {@code childCpuMicros} counter is the child's CPU time in microseconds per second of wall time: 10,000 is 1 % of
 * one core (it includes the child JVM's own background threads). Target: under 2 %, i.e. under 20,000.
 *
 * <pre>
 * mvn -B -q package -DskipTests -pl ipc-core,ipc-shm,ipc-bench
 * java -jar ipc-bench/target/benchmarks.jar QueueIdleBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Measurement(time = 2)
@State(Scope.Benchmark)
public class QueueIdleBenchmark {
  Ipc ipc;
  IpcQueue<byte[]> q;
  IpcProcess child;

  @Setup(Level.Trial)
  public void setUp() throws InterruptedException {
    ipc = Ipc.temp();
    IpcQueue<byte[]> queue = ipc.queue("idle", 16, Codec.bytes());
    IpcQueue<byte[]> ready = ipc.queue("ready", 1, Codec.bytes());
    q = queue;
    child = IpcProcess.builder().name("idle-consumer").start(() -> {
      ready.put(new byte[1]);
      queue.take();
    });
    ready.take(); // the child is up and about to block
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    q.put(new byte[1]);
    Children.awaitExit(child);
    ipc.close();
  }

  /** Child CPU over wall time, per iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Cpu {
    /** Child CPU microseconds this iteration; JMH divides by the iteration's time. */
    public long childCpuMicros;
    long cpu0;

    @Setup(Level.Iteration)
    public void start(QueueIdleBenchmark b) {
      childCpuMicros = 0;
      cpu0 = cpuNanos(b.child);
    }

    @TearDown(Level.Iteration)
    public void stop(QueueIdleBenchmark b) {
      childCpuMicros = (cpuNanos(b.child) - cpu0) / 1_000;
    }

    static long cpuNanos(IpcProcess p) {
      return p.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
  }

  @Benchmark
  public void idleConsumer(Cpu cpu) {
    LockSupport.parkNanos(10_000_000); // pacing only: the child is what is measured
  }
}
