package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.IpcQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * How soon {@code IpcQueue.join()} in another process returns after the last {@code taskDone()}, when the joiner
 * has waited (parked) for a second: this thread calls the last {@code taskDone()}, the child's {@code join()}
 * returns and it answers on a reply queue, which this thread takes (spinning: about a microsecond). A joiner
 * announces its long park in the queue's sleep word and the last {@code taskDone()} rings the namespace's bell;
 * before that, the joiner noticed only when its park ended (up to 20 ms). SingleShotTime, one call after each
 * 1 s pause: read the median of the iterations. Target: at most 1 ms.
 *
 * <pre>
 * mvn -B -q package -DskipTests -pl ipc-core,ipc-shm,ipc-bench
 * java -jar ipc-bench/target/benchmarks.jar QueueJoinBenchmark -f 1 -wi 3 -i 15
 * </pre>
 */
public class QueueJoinBenchmark extends QueueChildBenchmark {
  private IpcQueue<String> tasks;
  private IpcQueue<String> go;
  private IpcQueue<String> replies;

  @Setup(Level.Trial)
  public void setUp() {
    ipc = Ipc.temp();
    IpcQueue<String> t = queue("tasks");
    IpcQueue<String> g = queue("go");
    IpcQueue<String> r = queue("replies");
    tasks = t;
    go = g;
    replies = r;
    startChild("joiner", g, () -> joinEach(t, g, r));
  }

  static void joinEach(IpcQueue<String> tasks, IpcQueue<String> go, IpcQueue<String> replies)
      throws InterruptedException {
    while (!go.take().equals("stop")) {
      tasks.join();
      replies.put("joined");
    }
  }

  /** One task put and taken (not yet done), the child joining it, then a 1 s pause: pacing, not synchronisation. */
  @Setup(Level.Iteration)
  public void joinerWaits() throws InterruptedException {
    tasks.put("task");
    tasks.take();
    go.put("join");
    Children.pause(PAUSE);
  }

  @Benchmark
  public String afterPause() throws InterruptedException {
    tasks.taskDone();
    return replies.take();
  }
}
