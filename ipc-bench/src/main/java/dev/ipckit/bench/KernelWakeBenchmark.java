package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.IpcQueue;
import dev.ipckit.SharedLong;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The floor under {@link QueueJoinBenchmark#joinReturns}: the same wake-up chain without ipckit. A child process
 * that has been idle for a second wakes, through the kernel, on a byte this thread writes to a file of a watched
 * directory: the JDK's watch service thread reads the inotify event, a listening thread takes the key and unparks a
 * waiting thread, which counts the wake-up in a shared long that this thread polls while yielding. These are the
 * three idle threads a parked {@code join()} passes through after the last {@code taskDone()} (the watch service's,
 * the namespace bell's, the joiner's); what {@code joinReturns} measures above this is ipckit's own part. On a
 * virtual machine most of it is the idle virtual processors waking up: compare {@code -p idleMillis=10}, 10 ms of
 * idleness instead of a second. SingleShotTime, one call after each pause: read the median.
 *
 * <pre>
 * mvn -B -q package -DskipTests -pl ipc-core,ipc-shm,ipc-bench
 * java -jar ipc-bench/target/benchmarks.jar KernelWakeBenchmark -f 1 -wi 3 -i 15
 * java -jar ipc-bench/target/benchmarks.jar KernelWakeBenchmark -f 1 -wi 3 -i 50 -p idleMillis=10
 * </pre>
 */
public class KernelWakeBenchmark extends QueueChildBenchmark {
  private static final ByteBuffer BYTE = ByteBuffer.allocateDirect(1);

  /** How long the child idles before each wake-up, in milliseconds (1000: as {@link QueueJoinBenchmark}). */
  @Param({"1000"})
  public long idleMillis;

  private Path dir;
  private FileChannel file;
  private SharedLong wakes;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    ipc = Ipc.temp();
    dir = Files.createTempDirectory("ipckit-wake");
    file = FileChannel.open(dir.resolve("bell"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    IpcQueue<String> commands = queue("commands");
    SharedLong w = ipc.sharedLong("wakes", 0);
    wakes = w;
    String watched = dir.toString();
    startChild("kernel-wake", commands, () -> listen(watched, commands, w));
    // the child is listening once it has counted the first wake-up
    Children.await(() -> {
      ring();
      return w.get() > 0;
    }, child, "listening");
  }

  /** The child: a listening thread and a waiting thread, until {@code "stop"}. */
  static void listen(String watched, IpcQueue<String> commands, SharedLong wakes) throws Exception {
    WatchService ws = FileSystems.getDefault().newWatchService();
    Paths.get(watched).register(ws, StandardWatchEventKinds.ENTRY_MODIFY);
    Thread waiter = new Thread(() -> {
      for (;;) {
        LockSupport.park();
        if (Thread.interrupted()) {
          return;
        }
        wakes.incrementAndGet();
      }
    }, "waiter");
    waiter.setDaemon(true);
    waiter.start();
    Thread listener = new Thread(() -> {
      try {
        for (;;) {
          WatchKey key = ws.take();
          key.pollEvents();
          key.reset();
          LockSupport.unpark(waiter);
        }
      } catch (InterruptedException | ClosedWatchServiceException e) {
        // stopping
      }
    }, "listener");
    listener.setDaemon(true);
    listener.start();
    while (!commands.take().equals("stop")) {
      // nothing else to do
    }
    ws.close();
    waiter.interrupt();
  }

  /** The pause that lets the child's threads go idle: pacing, not synchronisation. */
  @Setup(Level.Iteration)
  public void childIdles() {
    Children.pause(Duration.ofMillis(idleMillis));
  }

  @Benchmark
  public long wakeAfterIdle() {
    long before = wakes.get();
    ring();
    long now;
    while ((now = wakes.get()) == before) {
      Thread.yield();
    }
    return now;
  }

  private void ring() {
    try {
      file.write(BYTE.duplicate(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @TearDown(Level.Trial)
  public void removeDir() throws IOException {
    file.close();
    Files.deleteIfExists(dir.resolve("bell"));
    Files.deleteIfExists(dir);
  }
}
