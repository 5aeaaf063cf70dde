package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
  /** A child that holds {@code lock} until killed, and says so in {@code held}. */
  static IpcProcess holder(IpcLock lock, SharedInt held) {
    held.set(0);
    IpcProcess p = IpcProcess.builder().name("holder").daemon(true).start(() -> {
      lock.lock();
      held.set(1);
      new CountDownLatch(1).await();
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (held.get() == 0) {
      if (System.nanoTime() - deadline > 0 || !p.isAlive()) {
        throw new IllegalStateException("the holder child never took the lock");
      }
      LockSupport.parkNanos(100_000);
    }
    return p;
  }

  @State(Scope.Benchmark)
  public static class Held {
    Ipc ipc;
    IpcLock lock;
    IpcProcess child;

    @Setup(Level.Trial)
    public void setUp() {
      ipc = Ipc.temp();
      lock = ipc.lock("held");
      child = holder(lock, ipc.sharedInt("held-flag", 0));
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

  @State(Scope.Benchmark)
  public static class Killed {
    Ipc ipc;
    IpcLock lock;
    SharedInt held;
    IpcProcess child;
    Thread waiter;
    volatile long acquiredAt;
    volatile boolean ownerDied;

    @Setup(Level.Trial)
    public void open() {
      ipc = Ipc.temp();
      lock = ipc.lock("killed");
      held = ipc.sharedInt("killed-flag", 0);
    }

    /** A fresh holder, and this process's waiter already blocked in lock(): setup, not measured. */
    @Setup(Level.Iteration)
    public void holderAndWaiter() {
      child = holder(lock, held);
      acquiredAt = 0L;
      waiter = new Thread(() -> {
        lock.lock();
        acquiredAt = System.nanoTime();
        ownerDied = lock.ownerDied();
        lock.unlock();
      }, "waiter");
      waiter.start();
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200); // the waiter is parked by then
      for (long left; (left = until - System.nanoTime()) > 0; ) {
        LockSupport.parkNanos(left);
      }
    }

    @TearDown(Level.Iteration)
    public void check() throws InterruptedException {
      waiter.join();
      Children.awaitExit(child);
      if (!ownerDied) {
        throw new IllegalStateException("the waiter did not see ownerDied()");
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      ipc.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long takeoverAfterKill(Killed k) {
    long killedAt = System.nanoTime();
    k.child.kill();
    while (k.acquiredAt == 0L) {
      LockSupport.parkNanos(20_000);              // leave the cores to the kernel and the waiter
    }
    return k.acquiredAt - killedAt;
  }
}
