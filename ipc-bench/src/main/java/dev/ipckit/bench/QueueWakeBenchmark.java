package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.IpcQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * A job handed to a daemon child that has sat idle in {@code take()} for a second: {@code put} on a job queue, the
 * child answers on a reply queue, this thread takes the reply. The idle child has parked; the put rings the
 * namespace's bell (inotify) and, with {@code wake = true}, {@code IpcProcess.wake()} also writes to the child's
 * stdin pipe. Run with {@code -Dipckit.bell=false} (for this JVM and, through its flags, the child) to see the
 * child notice the job only when its park ends (up to 20 ms). SingleShotTime, one call after each 1 s pause: read
 * the median of the iterations. CPython 3.11 with two {@code multiprocessing.Queue}s
 * on this machine ({@code ipc-bench/cpython/queue_wake.py}): median 594 µs.
 *
 * <pre>
 * mvn -B -q package -DskipTests -pl ipc-core,ipc-shm,ipc-bench
 * java -jar ipc-bench/target/benchmarks.jar QueueWakeBenchmark -f 1 -wi 3 -i 15
 * </pre>
 */
public class QueueWakeBenchmark extends QueueChildBenchmark {
  @Param({"true", "false"})
  public boolean wake;

  private IpcQueue<String> jobs;
  private IpcQueue<String> replies;

  @Setup(Level.Trial)
  public void setUp() throws InterruptedException {
    ipc = Ipc.temp();
    IpcQueue<String> in = queue("jobs");
    IpcQueue<String> out = queue("replies");
    jobs = in;
    replies = out;
    startChild("queue-worker", in, () -> serve(in, out));
    for (int i = 0; i < 10_000; i++) {
      jobs.put("warm-up");
      replies.take();
    }
  }

  static void serve(IpcQueue<String> in, IpcQueue<String> out) throws InterruptedException {
    for (String job; !(job = in.take()).equals("stop"); ) {
      out.put(job);
    }
  }

  /** The pause before each measured call: pacing, not synchronisation. */
  @Setup(Level.Iteration)
  public void pause() {
    Children.pause(PAUSE);
  }

  @Benchmark
  public String afterPause() throws InterruptedException {
    jobs.put("job");
    if (wake) {
      child.wake();
    }
    return replies.take();
  }
}
