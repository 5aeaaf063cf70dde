package dev.ipckit.bench;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcQueue;
import dev.ipckit.Task;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What {@link QueueJoinBenchmark} and {@link QueueWakeBenchmark} share: a daemon child that works on string queues
 * of a temporary namespace until it takes {@code "stop"} from its command queue, and single calls timed in
 * microseconds, each after a pause of {@link #PAUSE} that lets the child park.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class QueueChildBenchmark {
  /** The pause before each measured call: pacing, not synchronisation. */
  static final Duration PAUSE = Duration.ofSeconds(1);

  Ipc ipc;
  IpcProcess child;
  private IpcQueue<String> commands;

  /** A string queue of {@link #ipc}, 16 deep. */
  IpcQueue<String> queue(String name) {
    return ipc.queue(name, 16, Codec.string());
  }

  /** Starts the child named {@code name} running {@code body}, told to stop by {@code "stop"} on {@code commands}. */
  void startChild(String name, IpcQueue<String> commands, Task body) {
    this.commands = commands;
    child = IpcProcess.builder().name(name).daemon(true).start(body);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    commands.put("stop");
    Children.awaitExit(child);
    ipc.close();
  }
}
