package dev.ipckit.bench;

import dev.ipckit.Codec;
import dev.ipckit.Connection;
import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcQueue;
import dev.ipckit.Pipe;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedLong;
import dev.ipckit.Task;
import dev.ipckit.redis.RedisTestServer;
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
 * The same code on both backends, side by side on one machine: {@code backend=redis} runs against a real
 * {@code redis-server} started on a free loopback port for the trial ({@code --save '' --appendonly no}), {@code
 * backend=shm} against a local temporary namespace. Every figure is of synchronous calls, one thread per process,
 * with a second process (a child JVM) working on the same object at the same time.
 * <ul>
 *   <li>{@code counter}: {@code incrementAndGet()} while the child does the same (ops/s of this client).</li>
 *   <li>{@code lockedCounter}: {@code lock(); v.set(v.get() + 1); unlock()}, the child the same (ops/s).</li>
 *   <li>{@code queueThroughput}: {@code put} of 64-byte messages into a queue of capacity 1024 that the child
 *   drains with {@code take} (messages/s, one producer and one consumer).</li>
 *   <li>{@code queueRoundTrip}, {@code pipeRoundTrip}: a 64-byte message to the child's echo and back (µs,
 *   SampleTime: read p0.50).</li>
 *   <li>{@link Takeover}: a child holds a lock and is killed with SIGKILL while this process waits in
 *   {@code lock()}; the time from the kill to the acquisition (with {@code ownerDied()} true).</li>
 * </ul>
 * Targets for Redis on a 2-core machine: counter at least 15 k ops/s per client, queue at least 12 k messages/s,
 * queue round trip at most 250 µs, takeover at most 100 ms.
 *
 * <pre>
 * mvn -B -q package -DskipTests &amp;&amp; java -jar ipc-bench/target/benchmarks.jar RedisBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RedisBenchmark {
  static final byte[] MESSAGE = new byte[64];
  static final byte[] STOP = new byte[1];

  /** A namespace of the chosen backend (for Redis, on a server of its own), and the child working beside us. */
  @State(Scope.Benchmark)
  public static class Ns {
    @Param({"redis", "shm"})
    public String backend;

    RedisTestServer server;
    Ipc ipc;
    IpcProcess child;
    SharedInt stop;
    private Task stopChild;

    @Setup(Level.Trial)
    public void open(org.openjdk.jmh.infra.BenchmarkParams params) {
      ipc = open(this);
      stop = ipc.sharedInt("stop", 0);
      prepare(params.getBenchmark());
    }

    /** Opens the benchmark's objects and starts the child (after the namespace is open). */
    void prepare(String benchmark) {
    }

    static Ipc open(Ns ns) {
      if (ns.backend.equals("redis")) {
        ns.server = RedisTestServer.start();
        return Ipc.temp(ns.server.base());
      }
      return Ipc.temp();
    }

    /** Starts the child with {@code body}, told to stop by the stop flag its loop checks; returns once it runs. */
    void startChild(String name, Task body) {
      SharedInt s = stop;
      startChild(name, body, () -> s.set(1));
    }

    /** Starts the child with {@code body}, told to stop by {@code stopIt}; returns once it runs. */
    void startChild(String name, Task body, Task stopIt) {
      stopChild = stopIt;
      child = Children.start(name, ipc.sharedInt("ready-" + name, 0), body);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      if (child != null) {
        stopChild.run();
        Children.awaitExit(child);
      }
      ipc.close();
      if (server != null) {
        server.close();
      }
    }
  }

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

  /** Two queues and the child's echo between them. */
  @State(Scope.Benchmark)
  public static class QueueEcho extends Ns {
    IpcQueue<byte[]> ping;
    IpcQueue<byte[]> pong;

    @Override
    void prepare(String benchmark) {
      IpcQueue<byte[]> in = ipc.queue("ping", 16, Codec.bytes());
      IpcQueue<byte[]> out = ipc.queue("pong", 16, Codec.bytes());
      ping = in;
      pong = out;
      startChild("queue-echo", () -> QueueLatencyBenchmark.echo(in, out), () -> in.put(STOP));
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public byte[] queueRoundTrip(QueueEcho e) throws InterruptedException {
    e.ping.put(MESSAGE);
    return e.pong.take();
  }

  /** A duplex pipe whose right end the child echoes on. */
  @State(Scope.Benchmark)
  public static class PipeEcho extends Ns {
    Connection<byte[]> mine;

    @Override
    void prepare(String benchmark) {
      Pipe<byte[]> pipe = ipc.pipe("p", true, Codec.bytes());
      Connection<byte[]> theirs = pipe.right();
      mine = pipe.left();
      startChild("pipe-echo", () -> echo(theirs), () -> mine.sendBytes(STOP));
    }

    /** The child: sends back what it receives until a 1-byte message, as {@link QueueLatencyBenchmark#echo}. */
    static void echo(Connection<byte[]> c) throws Exception {
      for (byte[] m; (m = c.recvBytes()).length != 1; ) {
        c.sendBytes(m);
      }
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public byte[] pipeRoundTrip(PipeEcho e) throws Exception {
    e.mine.sendBytes(MESSAGE);
    return e.mine.recvBytes();
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
