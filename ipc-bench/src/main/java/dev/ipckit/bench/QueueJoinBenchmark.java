package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.IpcQueue;
import dev.ipckit.SharedLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * How soon {@code IpcQueue.join()} in another process returns after the last {@code taskDone()}, when the joiner
 * has waited (parked) for a second: this thread calls the last {@code taskDone()}, the child's {@code join()}
 * returns, it counts that in a shared long and answers on a reply queue. {@code joinReturns} is the figure itself:
 * this thread polls the shared long, yielding between polls (so that it holds no core the child's threads want),
 * and sees the count within a microsecond of the child's store. {@code afterPause} is what an application that
 * waits for the answer sees: this thread takes the reply, and its own wait, parked by then, adds its wake-up. A
 * joiner announces its long park in the queue's sleep word and the last {@code taskDone()} rings the namespace's
 * bell; before that, the joiner noticed only when its park ended (up to 20 ms). SingleShotTime, one call after each
 * 1 s pause: read the median of the iterations (compare.sh keeps the {@code p(50.0000)} line). Target: at most
 * 1 ms.
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
  private SharedLong joins;

  @Setup(Level.Trial)
  public void setUp() {
    ipc = Ipc.temp();
    IpcQueue<String> t = queue("tasks");
    IpcQueue<String> g = queue("go");
    IpcQueue<String> r = queue("replies");
    SharedLong j = ipc.sharedLong("joins", 0);
    tasks = t;
    go = g;
    replies = r;
    joins = j;
    startChild("joiner", g, () -> joinEach(t, g, r, j));
  }

  static void joinEach(IpcQueue<String> tasks, IpcQueue<String> go, IpcQueue<String> replies, SharedLong joins)
      throws InterruptedException {
    while (!go.take().equals("stop")) {
      tasks.join();
      joins.incrementAndGet();
      replies.put("joined");
    }
  }

  /** One task put and taken (not yet done), the child joining it, then a 1 s pause: pacing, not synchronisation. */
  @Setup(Level.Iteration)
  public void joinerWaits() throws InterruptedException {
    replies.clear();                                  // joinReturns leaves the previous answer
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

  @Benchmark
  public long joinReturns() {
    long before = joins.get();
    tasks.taskDone();
    long now;
    while ((now = joins.get()) == before) {
      Thread.yield();
    }
    return now;
  }
}
