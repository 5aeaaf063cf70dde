package dev.ipckit.bench;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Put-to-take latency with an active consumer, 64-byte messages, as a ping-pong: this thread puts on {@code ping},
 * an echo on the other side takes it and puts it on {@code pong}, this thread takes it back. One operation is a full
 * round trip (two put-to-take hops); the one-way latency is half. For {@code IpcQueue} the echo is a child JVM
 * started in {@code @Setup}; for {@code ArrayBlockingQueue} a thread of this JVM (the in-process reference).
 * SampleTime mode: read the p0.50 line.
 *
 * <p>Target: one-way put-to-take median at most 5 µs (CPython {@code multiprocessing.Queue}: 62 µs).
 *
 * <pre>
 * mvn -B -q package -DskipTests -pl ipc-core,ipc-shm,ipc-bench
 * java -jar ipc-bench/target/benchmarks.jar QueueLatencyBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class QueueLatencyBenchmark {
  static final byte[] MESSAGE = new byte[64];
  static final byte[] STOP = new byte[1];

  @Param({"IpcQueue", "ArrayBlockingQueue"})
  public String impl;

  BlockingQueue<byte[]> ping;
  BlockingQueue<byte[]> pong;
  Peer peer;

  @Setup(Level.Trial)
  public void setUp() throws InterruptedException {
    if (impl.equals("IpcQueue")) {
      Ipc ipc = Ipc.temp();
      IpcQueue<byte[]> in = ipc.queue("ping", 16, Codec.bytes());
      IpcQueue<byte[]> out = ipc.queue("pong", 16, Codec.bytes());
      ping = in;
      pong = out;
      peer = Peer.process(ipc, "queue-echo", () -> echo(in, out));
    } else {
      ArrayBlockingQueue<byte[]> in = new ArrayBlockingQueue<>(16);
      ArrayBlockingQueue<byte[]> out = new ArrayBlockingQueue<>(16);
      ping = in;
      pong = out;
      peer = Peer.thread("abq-echo", () -> echo(in, out));
    }
    roundTrip(); // the echo is up
  }

  static void echo(BlockingQueue<byte[]> in, BlockingQueue<byte[]> out) throws InterruptedException {
    for (;;) {
      byte[] m = in.take();
      if (m.length == 1) {
        return;
      }
      out.put(m);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    ping.put(STOP);
    peer.join();
  }

  @Benchmark
  public byte[] roundTrip() throws InterruptedException {
    ping.put(MESSAGE);
    return pong.take();
  }
}
