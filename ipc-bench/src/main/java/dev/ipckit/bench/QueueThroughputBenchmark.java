package dev.ipckit.bench;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcQueue;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Queue throughput with messages of {@code size} bytes (64: inline in a slot; 1024: in the queue's data area):
 * the JMH threads put, consumers on the other side take as fast as they
 * can. For {@code IpcQueue} the consumers are threads of one child JVM started in {@code @Setup}, so every message
 * crosses processes; {@code ArrayBlockingQueue} (consumer threads in this JVM) is the in-process reference. The
 * queue is bounded (1000, Python's {@code Queue(1000)}), so the put rate is the delivery rate.
 *
 * <p>Targets: 1 producer to 1 consumer at least 5 M msgs/s (CPython {@code multiprocessing.Queue}: 88 k here),
 * 2 to 2 at least 2 M msgs/s (CPython: 125 k).
 *
 * <p>Seen on the loaded 2-core machine (brief runs, {@code -f 1 -wi 2 -i 3}): 1 KiB messages one to one about
 * 4.3 M msgs/s through the data area (about 70 k when every message over 248 bytes went through a side file), 64 B
 * about 9 M.
 *
 * <p>Only 1 KiB messages, one to one:
 * <pre>
 * java -jar ipc-bench/target/benchmarks.jar QueueThroughputBenchmark.oneToOne -p size=1024 -p impl=IpcQueue -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 *
 * <pre>
 * mvn -B -q package -DskipTests -pl ipc-core,ipc-shm,ipc-bench
 * java -jar ipc-bench/target/benchmarks.jar QueueThroughputBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class QueueThroughputBenchmark {
  static final int CAPACITY = 1000;
  static final byte[] STOP = new byte[1];

  /** A queue with as many consumers on the other side as there are producer threads here. */
  @State(Scope.Benchmark)
  public static class Pipeline {
    @Param({"IpcQueue", "ArrayBlockingQueue"})
    public String impl;

    /** Message length in bytes. */
    @Param({"64", "1024"})
    public int size;

    byte[] message;

    BlockingQueue<byte[]> q;
    Peer consumer;

    int consumers;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
      int n = params.getThreads();
      consumers = n;
      message = new byte[size];
      if (impl.equals("IpcQueue")) {
        Ipc ipc = Ipc.temp();
        IpcQueue<byte[]> iq = ipc.queue("q", CAPACITY, Codec.bytes());
        q = iq;
        consumer = Peer.process(ipc, "queue-consumers", () -> drainWith(iq, n));
      } else {
        q = new ArrayBlockingQueue<>(CAPACITY);
        consumer = Peer.threads("abq-consumer-", n, () -> drain(q));
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      for (int i = 0; i < consumers; i++) {
        q.put(STOP);
      }
      consumer.join();
    }
  }

  static void drainWith(BlockingQueue<byte[]> q, int consumers) throws InterruptedException {
    List<Thread> ts = new ArrayList<>();
    for (int i = 1; i < consumers; i++) {
      Thread t = new Thread(() -> drain(q));
      t.start();
      ts.add(t);
    }
    drain(q);
    for (Thread t : ts) {
      t.join();
    }
  }

  static void drain(BlockingQueue<byte[]> q) {
    try {
      while (q.take().length != 1) {
        // consume
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One producer (this thread) to one consumer. */
  @Benchmark
  @Threads(1)
  public void oneToOne(Pipeline s) throws InterruptedException {
    s.q.put(s.message);
  }

  /** Two producers (two threads of this JVM) to two consumers. */
  @Benchmark
  @Threads(2)
  public void twoToTwo(Pipeline s) throws InterruptedException {
    s.q.put(s.message);
  }
}
