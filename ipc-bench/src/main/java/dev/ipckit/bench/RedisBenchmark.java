package dev.ipckit.bench;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcQueue;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same code on both backends, side by side on one machine: {@code backend=redis} runs against a real
 * {@code redis-server} started on a free loopback port for the trial ({@code --save '' --appendonly no}), {@code
 * backend=shm} against a local temporary namespace. Every figure is of synchronous calls, one thread per process,
 * with a second process (a child JVM) working on the same object at the same time.
 * <ul>
 *   <li>{@code counter}: {@code incrementAndGet()} while the child does the same (ops/s of this client).</li>
 *   <li>{@code lockedCounter}: {@code lock(); v.set(v.get() + 1); unlock()}, the child the same (ops/s).</li>
 *   <li>{@code queueThroughput}: {@code put} of 64-byte messages into a queue of capacity 1024 that the child
 *   drains with {@code take} (messages/s, one producer and one consumer).</li>
 *   <li>{@link RedisLatencyBenchmark}: {@code queueRoundTrip}, {@code pipeRoundTrip}, a 64-byte message to the
 *   child's echo and back (µs, SampleTime: read p0.50), on these namespaces.</li>
 *   <li>{@link Takeover}: a child holds a lock and is killed with SIGKILL while this process waits in
 *   {@code lock()}; the time from the kill to the acquisition (with {@code ownerDied()} true).</li>
 * </ul>
 * Targets for Redis on a 2-core machine: counter at least 15 k ops/s per client, queue at least 12 k messages/s,
 * takeover at most 100 ms (the queue round trip's: {@link RedisLatencyBenchmark}).
 *
 * <pre>
 * mvn -B -q package -DskipTests &amp;&amp; java -jar ipc-bench/target/benchmarks.jar RedisBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RedisBenchmark extends RedisOrShmBenchmark {
  /** The counter, with the child incrementing it too. */
  @State(Scope.Benchmark)
  public static class Counter extends Ns {
    SharedLong v;
    IpcLock lock;

    @Override
    void prepare(String benchmark) {
      v = ipc.sharedLong("v", 0);
      lock = ipc.lock("lock");
      boolean locked = benchmark.endsWith("lockedCounter");
      SharedLong cv = v;
      IpcLock cl = lock;
      SharedInt s = stop;
      startChild("counter", () -> {
        while (s.get() == 0) {
          for (int i = 0; i < 100; i++) {
            if (locked) {
              cl.lock();
              cv.set(cv.get() + 1);
              cl.unlock();
            } else {
              cv.incrementAndGet();
            }
          }
        }
      });
    }
  }

  @Benchmark
  public long counter(Counter c) {
    return c.v.incrementAndGet();
  }

  @Benchmark
  public void lockedCounter(Counter c) {
    c.lock.lock();
    try {
      c.v.set(c.v.get() + 1);
    } finally {
      c.lock.unlock();
    }
  }

  /** A queue the child drains. */
  @State(Scope.Benchmark)
  public static class Drained extends Ns {
    IpcQueue<byte[]> q;

    @Override
    void prepare(String benchmark) {
      IpcQueue<byte[]> queue = ipc.queue("q", 1024, Codec.bytes());
      q = queue;
      startChild("consumer", () -> QueueThroughputBenchmark.drain(queue), () -> queue.put(STOP));
    }
  }

  @Benchmark
  public void queueThroughput(Drained d) throws InterruptedException {
    d.q.put(MESSAGE);
  }

  /** A lock holder killed with SIGKILL while this process waits in lock(). */
  public static class Takeover extends LockHolderKilled {
    @Param({"redis", "shm"})
    public String backend;

    private final Ns ns = new Ns();

    @Override
    Ipc newNamespace() {
      ns.backend = backend;
      return Ns.open(ns);
    }

    @Override
    void closed() {
      if (ns.server != null) {
        ns.server.close();
      }
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 10)
  public long takeover(Takeover t) {
    return t.killAndTime() / 1_000_000;
  }
}
