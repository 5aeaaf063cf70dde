package dev.ipckit.bench;

import dev.ipckit.Codec;
import dev.ipckit.Connection;
import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.Pipe;
import dev.ipckit.SharedLong;
import java.io.EOFException;
import java.io.Serializable;
import java.time.Duration;
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
 * {@code ipc.pipe} between two processes, 64-byte messages: the JMH process on one end, a child JVM started with
 * {@link IpcProcess} in {@code @Setup} on the other.
 *
 * <ul>
 *   <li>{@code oneWay}: the JMH thread sends, the child receives as fast as it can (each receive returns a new
 *   {@code byte[64]}); the score is messages per second through the pipe. Target: at least 10 M msgs/s
 *   (CPython's {@code multiprocessing.Pipe} on this machine: 220 k duplex, 413 k half-duplex).</li>
 *   <li>{@code roundTrip}: the JMH thread sends and waits for the child's echo, both sides busy; the score is
 *   the distribution of round-trip times. Target: median at most 2 µs (CPython: 17–25 µs).</li>
 * </ul>
 *
 * <p>Chronicle Queue on the same work: {@link ChronicleQueuePeerBenchmark}. An idle reader's CPU use:
 * {@link PipeIdleReaderBenchmark}.
 *
 * <p>Run (after {@code mvn -B -q -pl ipc-core,ipc-shm,ipc-bench package -DskipTests}):
 * <pre>
 * java -jar ipc-bench/target/benchmarks.jar PipeBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PipeBenchmark {
  static final int MESSAGE_BYTES = 64;

  /** A pipe whose left end is drained by a child process. */
  @State(Scope.Benchmark)
  public static class OneWay {
    @Param({"true", "false"})
    public boolean duplex;

    Ipc ipc;
    IpcProcess reader;
    Connection<byte[]> out;
    final byte[] message = new byte[MESSAGE_BYTES];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      ipc = Ipc.temp();
      Pipe<byte[]> pipe = ipc.pipe("one-way", duplex, Codec.bytes());
      reader = startOn(ipc, pipe.left(), "pipe-reader", PipeBenchmark::drain);
      out = pipe.right();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      stop(out, reader, ipc);
    }
  }

  /** A duplex pipe whose right end is held by a child process that echoes every message. */
  @State(Scope.Benchmark)
  public static class RoundTrip {
    Ipc ipc;
    IpcProcess echo;
    Connection<byte[]> conn;
    final byte[] message = new byte[MESSAGE_BYTES];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      ipc = Ipc.temp();
      Pipe<byte[]> pipe = ipc.pipe("round-trip", true, Codec.bytes());
      echo = startOn(ipc, pipe.right(), "pipe-echo", PipeBenchmark::echo);
      conn = pipe.left();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      stop(conn, echo, ipc);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void oneWay(OneWay s) throws Exception {
    s.out.sendBytes(s.message);
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public byte[] roundTrip(RoundTrip s) throws Exception {
    s.conn.sendBytes(s.message);
    return s.conn.recvBytes();
  }

  /** What a child does on its end of a pipe, once it has claimed it. */
  @FunctionalInterface
  interface OnEnd extends Serializable {
    void run(Connection<byte[]> end) throws Exception;
  }

  /**
   * Starts a daemon child named {@code name} that claims {@code end} (a poll), says so and runs {@code body} on it;
   * returns once the end is claimed.
   */
  static IpcProcess startOn(Ipc ipc, Connection<byte[]> end, String name, OnEnd body) {
    SharedLong ready = ipc.sharedLong("ready", 0);
    IpcProcess child = IpcProcess.builder().name(name).daemon(true).start(() -> {
      end.poll(Duration.ZERO);
      ready.set(1);
      body.run(end);
    });
    awaitReady(ready, child);
    return child;
  }

  /** Child: receives until the JMH side closes its end. */
  static void drain(Connection<byte[]> in) throws Exception {
    long bytes = 0;
    try {
      for (;;) {
        bytes += in.recvBytes().length;
      }
    } catch (EOFException done) {
      if (bytes < 0) {
        throw new AssertionError(bytes);
      }
    }
  }

  /** Child: echoes every message until the JMH side closes its end. */
  static void echo(Connection<byte[]> conn) throws Exception {
    try {
      for (;;) {
        conn.sendBytes(conn.recvBytes());
      }
    } catch (EOFException done) {
      // the benchmark is over
    }
  }

  /** Returns once {@code child} has set {@code ready} (it claims its end first). */
  static void awaitReady(SharedLong ready, IpcProcess child) {
    Children.await(() -> ready.get() != 0, child, "ready");
  }

  static void stop(Connection<?> conn, IpcProcess child, Ipc ipc) throws InterruptedException {
    try {
      if (conn != null) {
        conn.close(); // the child sees EOF and exits
      }
      if (child != null && !child.join(Duration.ofSeconds(10))) {
        child.kill();
        child.join(Duration.ofSeconds(10));
      }
    } finally {
      if (ipc != null) {
        ipc.close();
      }
    }
  }
}
