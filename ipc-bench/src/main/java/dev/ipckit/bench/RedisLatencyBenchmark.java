package dev.ipckit.bench;

import dev.ipckit.Codec;
import dev.ipckit.Connection;
import dev.ipckit.IpcQueue;
import dev.ipckit.Pipe;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Round trips on both backends, beside {@link RedisBenchmark}'s rates ({@code backend=redis}: a real {@code
 * redis-server} started on a free loopback port for the trial; {@code backend=shm}: a local temporary namespace),
 * a child JVM echoing: a 64-byte message to the child and back, one synchronous call each way.
 * <ul>
 *   <li>{@code queueRoundTrip}: {@code put} on one queue of capacity 16, the child's {@code take} and {@code put}
 *   on a second, {@code take} from it.</li>
 *   <li>{@code pipeRoundTrip}: {@code sendBytes} and {@code recvBytes} on the left end of a duplex pipe whose right
 *   end the child echoes on.</li>
 * </ul>
 * SampleTime, µs: read p0.50. Target for Redis on a 2-core machine: queue round trip at most 250 µs.
 *
 * <pre>
 * mvn -B -q package -DskipTests
 * java -jar ipc-bench/target/benchmarks.jar RedisLatencyBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisLatencyBenchmark extends RedisOrShmBenchmark {
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
  public byte[] pipeRoundTrip(PipeEcho e) throws Exception {
    e.mine.sendBytes(MESSAGE);
    return e.mine.recvBytes();
  }
}
