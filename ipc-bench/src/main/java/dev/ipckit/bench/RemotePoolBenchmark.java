package dev.ipckit.bench;

import dev.ipckit.Pool;
import dev.ipckit.PoolWorker;
import dev.ipckit.redis.RedisTestServer;
import dev.ipckit.spi.Deadline;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A pool across machines ({@code Pool.builder().remote}, two {@code PoolWorker} JVMs on a redis-server of its own on
 * this machine) beside the local {@code Pool.create(2)}: {@code apply} of a trivial task back to back (SampleTime,
 * µs: read p0.50; the target for the remote pool is at most 1.5 ms) and {@code map} of a trivial function over
 * 10,000 integers (items per second). The setup runs both for 5 s first: the workers are fresh JVMs.
 *
 * <pre>
 * mvn -B -q package -DskipTests
 * java -jar ipc-bench/target/benchmarks.jar RemotePoolBenchmark -f 1 -wi 1 -i 2
 * </pre>
 */
@State(Scope.Benchmark)
public class RemotePoolBenchmark {
  static final int ITEMS = 10_000;

  @Param({"remote", "local"})
  public String pool;

  private RedisTestServer server;
  private final List<Process> workers = new ArrayList<>();
  private Pool p;
  private List<Integer> items;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    items = new ArrayList<>(ITEMS);
    for (int i = 0; i < ITEMS; i++) {
      items.add(i);
    }
    if (pool.equals("remote")) {
      server = RedisTestServer.start();
      URI at = URI.create(server.base() + "/bench");
      for (int i = 0; i < 2; i++) {
        workers.add(startWorker(at, i));
      }
      p = Pool.builder().remote(at, "bench").build();
    } else {
      p = Pool.create(2);
    }
    long until = Deadline.after(5, TimeUnit.SECONDS);
    while (!Deadline.passed(until)) {
      p.map(x -> x + 1, items);
      for (int i = 0; i < 200; i++) {
        p.apply(() -> 1);
      }
    }
  }

  private static Process startWorker(URI at, int i) throws IOException {
    Path out = Files.createTempFile("pool-worker-" + i, ".out");
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), PoolWorker.class.getName(), at.toString(), "bench");
    Process w = new ProcessBuilder(cmd).redirectOutput(out.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    long deadline = Deadline.after(60, TimeUnit.SECONDS);
    while (!Files.readString(out).contains("serving with")) {
      if (Deadline.passed(deadline) || !w.isAlive()) {
        w.destroyForcibly();
        throw new IllegalStateException("the pool worker did not start");
      }
      LockSupport.parkNanos(5_000_000);
    }
    Files.deleteIfExists(out);
    return w;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    p.terminate();
    for (Process w : workers) {
      w.destroyForcibly();
      w.waitFor(30, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int apply() throws InterruptedException, ExecutionException {
    return p.apply(() -> 1);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(ITEMS)
  public List<Integer> map() throws InterruptedException, ExecutionException {
    return p.map(x -> x + 1, items);
  }
}
