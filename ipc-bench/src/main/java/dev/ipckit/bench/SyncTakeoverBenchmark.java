package dev.ipckit.bench;

import dev.ipckit.Codec;
import dev.ipckit.IpcBarrier;
import dev.ipckit.IpcQueue;
import dev.ipckit.IpcSemaphore;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * How soon a semaphore's holdings, a barrier's waiting table and a queue's task table act after a kill -9 (what
 * recording the holdings costs when nobody dies: {@link SemaphoreBenchmark}). SingleShotTime, ms.
 * <ul>
 *   <li>{@code semaphoreReclaimAfterKill}: a child holds the only permit of a semaphore(1) used as a mutex; it is
 *   killed with SIGKILL, and this process's thread, already waiting in {@code acquire()}, gets the permit with
 *   {@code reclaimed()} true. The time from {@code kill()} to the acquisition. SingleShotTime, a new child each
 *   iteration. Design bound: 100 ms.</li>
 *   <li>{@code barrierBreakAfterKill}: a child waits at a barrier of three parties, and so does a thread of this
 *   process; the child is killed with SIGKILL, and the thread's untimed {@code await()} throws
 *   {@link BrokenBarrierException}. The time from {@code kill()} to the exception. SingleShotTime, a new child each
 *   iteration. Design bound: 100 ms.</li>
 *   <li>{@code queueJoinAfterConsumerKill}: a consumer killed between {@code take} and {@code taskDone}; the time
 *   until a parked {@code join()} returns. Design bound: 100 ms.</li>
 * </ul>
 *
 * <pre>
 * mvn -B -q package -DskipTests
 * java -jar ipc-bench/target/benchmarks.jar SyncTakeoverBenchmark -f 1 -wi 2 -i 10
 * </pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SyncTakeoverBenchmark {
  public static class SemaphoreHolderKilled extends KillScenario {
    IpcSemaphore semaphore;
    volatile boolean reclaimed;

    @Override
    void open() {
      semaphore = ipc.semaphore("mutex", 1);
    }

    /** A fresh holder of the only permit, and this process's waiter already parked in acquire(): not measured. */
    @Setup(Level.Iteration)
    public void holderAndWaiter() {
      IpcSemaphore s = semaphore;
      child = childAt(there, s::acquire);
      startWaiter(() -> {
        s.acquire();
        long now = System.nanoTime();
        reclaimed = s.reclaimed();
        s.release();
        at.set(now);
      });
    }

    @Override
    void verify() {
      if (!reclaimed) {
        throw new IllegalStateException("the waiter did not see reclaimed()");
      }
    }
  }

  @Benchmark
  public long semaphoreReclaimAfterKill(SemaphoreHolderKilled k) {
    return k.killAndTime();
  }

  public static class BarrierPartyKilled extends KillScenario {
    IpcBarrier barrier;

    @Override
    void open() {
      barrier = ipc.barrier("three", 3);             // never trips: the third party never comes
    }

    /** A child waiting at the barrier, and this process's waiter parked beside it: not measured. */
    @Setup(Level.Iteration)
    public void partiesWaiting() {
      IpcBarrier b = barrier;
      b.reset();
      child = childAt(there, () -> {
        new Thread(() -> {
          try {
            b.await();
          } catch (InterruptedException | BrokenBarrierException e) {
            // killed first
          }
        }).start();
      });
      Children.await(() -> b.getNumberWaiting() != 0, child, "waiting at the barrier");
      startWaiter(() -> {
        try {
          b.await();
        } catch (BrokenBarrierException e) {
          at.set(System.nanoTime());
        }
      });
    }
  }

  @Benchmark
  public long barrierBreakAfterKill(BarrierPartyKilled k) {
    return k.killAndTime();
  }

  public static class ConsumerKilled extends KillScenario {
    IpcQueue<Integer> queue;

    @Override
    void open() {
      queue = ipc.queue("jobs", 16, Codec.serializable(Integer.class));
    }

    /**
     * A child that took the only message and never marks it done, and this process's thread parked in
     * {@code join()}: not measured.
     */
    @Setup(Level.Iteration)
    public void consumerHolding() throws InterruptedException {
      IpcQueue<Integer> q = queue;
      q.put(1);
      child = childAt(there, q::take);
      startWaiter(() -> {
        q.join();
        at.set(System.nanoTime());
      });
    }
  }

  /**
   * A consumer took a message and is killed with SIGKILL before {@code taskDone()}; this process's thread, parked
   * in {@code join()}, returns once it counts the dead consumer's task as abandoned. The time from {@code kill()} to
   * the return. SingleShotTime, a new child each iteration. Design bound: 100 ms.
   */
  @Benchmark
  public long queueJoinAfterConsumerKill(ConsumerKilled k) {
    return k.killAndTime();
  }
}
