package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedLong;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.ReadBytesMarshallable;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
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
 * Chronicle Queue as the peer of {@link PipeBenchmark}, on the same work: 64-byte messages, the JMH process on
 * one side and a child JVM (started with {@link IpcProcess} in {@code @Setup}) on the other.
 *
 * <ul>
 *   <li>{@code oneWay}: the JMH thread appends, the child tails as fast as it can, copying each message into a
 *   new {@code byte[64]} as {@code recvBytes()} does. Score: messages per second appended while the child
 *   reads. The pipe aims at three times this.</li>
 *   <li>{@code roundTrip}: the JMH thread appends to a "ping" queue and busy-polls a "pong" queue that the
 *   child appends each message to after tailing it from "ping". Score: round-trip time distribution.</li>
 * </ul>
 *
 * <p>Chronicle needs module flags on Java 17+ and sends usage analytics unless
 * {@code chronicle.analytics.disable} is set: both are in {@code @Fork(jvmArgsAppend)}, and the child inherits
 * them. Queues live in a temporary directory removed after the trial (they grow by the message volume).
 *
 * <p>Run (after {@code mvn -B -q -pl ipc-core,ipc-shm,ipc-bench package -DskipTests}):
 * <pre>
 * java -jar ipc-bench/target/benchmarks.jar ChronicleQueuePeerBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 */
@Fork(value = 1, jvmArgsAppend = {
    "-Dchronicle.analytics.disable=true",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ChronicleQueuePeerBenchmark {
  static final int MESSAGE_BYTES = PipeBenchmark.MESSAGE_BYTES;

  /** A queue tailed by a child process. */
  @State(Scope.Benchmark)
  public static class OneWay {
    Path dir;
    Ipc ipc;
    IpcProcess tailer;
    ChronicleQueue queue;
    ExcerptAppender appender;
    final BytesStore<?, byte[]> message = BytesStore.wrap(new byte[MESSAGE_BYTES]);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      dir = Files.createTempDirectory("cq-one-way");
      queue = ChronicleQueue.singleBuilder(dir).build();
      appender = queue.createAppender();
      ipc = Ipc.temp();
      SharedLong ready = ipc.sharedLong("ready", 0);
      SharedLong stop = ipc.sharedLong("stop", 0);
      String path = dir.toString();
      tailer = IpcProcess.builder().name("cq-tailer").daemon(true).start(() -> drain(path, ready, stop));
      PipeBenchmark.awaitReady(ready, tailer);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      ipc.sharedLong("stop", 0).set(1);
      stopChild(tailer);
      queue.close();
      ipc.close();
      delete(dir);
    }
  }

  /** A "ping" queue the child tails and a "pong" queue it answers on. */
  @State(Scope.Benchmark)
  public static class RoundTrip {
    Path dir;
    Ipc ipc;
    IpcProcess echo;
    ChronicleQueue ping;
    ChronicleQueue pong;
    ExcerptAppender appender;
    ExcerptTailer tailer;
    final BytesStore<?, byte[]> message = BytesStore.wrap(new byte[MESSAGE_BYTES]);
    final Received received = new Received();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      dir = Files.createTempDirectory("cq-round-trip");
      ping = ChronicleQueue.singleBuilder(dir.resolve("ping")).build();
      pong = ChronicleQueue.singleBuilder(dir.resolve("pong")).build();
      appender = ping.createAppender();
      tailer = pong.createTailer();
      ipc = Ipc.temp();
      SharedLong ready = ipc.sharedLong("ready", 0);
      SharedLong stop = ipc.sharedLong("stop", 0);
      String path = dir.toString();
      echo = IpcProcess.builder().name("cq-echo").daemon(true).start(() -> echo(path, ready, stop));
      PipeBenchmark.awaitReady(ready, echo);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      ipc.sharedLong("stop", 0).set(1);
      stopChild(echo);
      ping.close();
      pong.close();
      ipc.close();
      delete(dir);
    }
  }

  /** Copies a message out into a new array, the work {@code recvBytes()} does. */
  static final class Received implements ReadBytesMarshallable {
    byte[] last;

    @Override
    public void readMarshallable(net.openhft.chronicle.bytes.BytesIn<?> in) {
      byte[] m = new byte[(int) in.readRemaining()];
      in.read(m);
      last = m;
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void oneWay(OneWay s) {
    s.appender.writeBytes(s.message);
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public byte[] roundTrip(RoundTrip s) {
    s.appender.writeBytes(s.message);
    while (!s.tailer.readBytes(s.received)) {
      Thread.onSpinWait();
    }
    return s.received.last;
  }

  /** Child: tails the queue in {@code path} until told to stop. */
  static void drain(String path, SharedLong ready, SharedLong stop) {
    try (ChronicleQueue q = ChronicleQueue.singleBuilder(Path.of(path)).build()) {
      ExcerptTailer t = q.createTailer();
      Received r = new Received();
      ready.set(1);
      long idle = 0;
      for (;;) {
        if (t.readBytes(r)) {
          continue;
        }
        if ((++idle & 0x3FF) == 0 && stop.get() != 0) {
          return;
        }
        Thread.onSpinWait();
      }
    }
  }

  /** Child: answers every "ping" on "pong" until told to stop. */
  static void echo(String path, SharedLong ready, SharedLong stop) {
    try (ChronicleQueue ping = ChronicleQueue.singleBuilder(Path.of(path, "ping")).build();
        ChronicleQueue pong = ChronicleQueue.singleBuilder(Path.of(path, "pong")).build()) {
      ExcerptTailer t = ping.createTailer();
      ExcerptAppender a = pong.createAppender();
      Received r = new Received();
      ready.set(1);
      long idle = 0;
      for (;;) {
        if (t.readBytes(r)) {
          a.writeBytes(BytesStore.wrap(r.last));
          continue;
        }
        if ((++idle & 0x3FF) == 0 && stop.get() != 0) {
          return;
        }
        Thread.onSpinWait();
      }
    }
  }

  static void stopChild(IpcProcess child) throws InterruptedException {
    if (child != null && !child.join(java.time.Duration.ofSeconds(10))) {
      child.kill();
      child.join(java.time.Duration.ofSeconds(10));
    }
  }

  static void delete(Path dir) throws IOException {
    if (dir == null) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
