package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Liveness, measured two ways.
 * <ul>
 *   <li>{@code probe}: asking whether the holder of a lock, another process, is alive ({@code isLocked()} on a lock a
 *   child holds): one liveness probe of the kernel, as a waiter makes once past spinning. AverageTime.</li>
 *   <li>{@code takeoverAfterKill}: a child holds a lock; it is killed with SIGKILL and this thread, already waiting
 *   in {@code lock()}, gets the lock ({@code ownerDied()} true). The time from {@code kill()} to the acquisition:
 *   the kernel tearing the JVM down, then at most one park of the waiter. SingleShotTime, a new child each
 *   iteration. Design bound: 100 ms.</li>
 * </ul>
 *
 * <pre>
 * mvn -B -q package -DskipTests -pl ipc-core,ipc-shm,ipc-bench
 * java -jar ipc-bench/target/benchmarks.jar LivenessBenchmark.probe -f 1 -wi 2 -i 3 -w 1s -r 1s
 * java -jar ipc-bench/target/benchmarks.jar LivenessBenchmark.takeoverAfterKill -f 1 -wi 2 -i 15
 * </pre>
 */
public class LivenessBenchmark {
  @State(Scope.Benchmark)
  public static class Held {
    Ipc ipc;
    IpcLock lock;
    IpcProcess child;

    @Setup(Level.Trial)
    public void setUp() {
      ipc = Ipc.temp();
      lock = ipc.lock("held");
      child = KillScenario.childAt(ipc.sharedInt("held-flag", 0), lock::lock);   // holds it until killed
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      child.kill();
      Children.awaitExit(child);
      ipc.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public boolean probe(Held h) {
    return h.lock.isLocked();
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long takeoverAfterKill(LockHolderKilled k) {
    return k.killAndTime();
  }
}
