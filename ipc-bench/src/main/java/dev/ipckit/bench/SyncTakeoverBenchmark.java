package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.IpcBarrier;
import dev.ipckit.Codec;
import dev.ipckit.IpcProcess;
import dev.ipckit.IpcQueue;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.SharedInt;
import dev.ipckit.Task;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
 * What a semaphore's holdings and a barrier's waiting table cost, and how soon they act after a kill -9.
 * <ul>
 *   <li>{@code semaphoreAcquireRelease}: uncontended {@code acquire()} + {@code release()} of a semaphore(1), one
 *   thread: the price of recording the holdings (lock word, journal, entry). {@code jucSemaphoreAcquireRelease}:
 *   {@link Semaphore} in one JVM, the in-process floor. AverageTime, ns.</li>
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
public class SyncTakeoverBenchmark {
  /** How long a waiter is given to park before the kill: it is in its longest parks by then, the worst case. */
  private static final long PARKED_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** Starts a child that runs {@code toThePoint}, sets {@code there} and stays until killed; returns once it is there. */
  static IpcProcess childAt(SharedInt there, Task toThePoint) {
    there.set(0);
    IpcProcess p = IpcProcess.builder().name("victim").daemon(true).start(() -> {
      toThePoint.run();
      there.set(1);
      new CountDownLatch(1).await();
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (there.get() == 0) {
      if (System.nanoTime() - deadline > 0 || !p.isAlive()) {
        throw new IllegalStateException("the child never got to its point");
      }
      LockSupport.parkNanos(100_000);
    }
    return p;
  }

  /** Lets the waiter just started go past spinning into its long parks (setup, not measured). */
  static void letItPark() {
    long until = System.nanoTime() + PARKED_NANOS;
    for (long left; (left = until - System.nanoTime()) > 0; ) {
      LockSupport.parkNanos(left);
    }
  }

  /** Waits, without a core, for the waiter to set {@code at}; returns it. */
  static long awaitSet(AtomicLong at) {
    long t;
    while ((t = at.get()) == 0L) {
      LockSupport.parkNanos(20_000);              // leave the cores to the kernel and the waiter
    }
    return t;
  }

  @State(Scope.Benchmark)
  public static class Uncontended {
    Ipc ipc;
    IpcSemaphore semaphore;
    final Semaphore juc = new Semaphore(1);

    @Setup(Level.Trial)
    public void open() {
      ipc = Ipc.temp();
      semaphore = ipc.semaphore("uncontended", 1);
    }

    @TearDown(Level.Trial)
    public void close() {
      ipc.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @Warmup(iterations = 2, time = 1)
  @Measurement(iterations = 3, time = 1)
  public void semaphoreAcquireRelease(Uncontended u) throws InterruptedException {
    IpcSemaphore s = u.semaphore;
    s.acquire();
    s.release();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @Warmup(iterations = 2, time = 1)
  @Measurement(iterations = 3, time = 1)
  public void jucSemaphoreAcquireRelease(Uncontended u) throws InterruptedException {
    Semaphore s = u.juc;
    s.acquire();
    s.release();
  }

  /**
   * What every kill scenario has: a namespace, a child that has got to its point and is then killed, this
   * process's thread already parked beside it, and the time that thread notices the death ({@link #at}).
   * Subclasses open their object, start the child and the thread each iteration (not measured) and may check the
   * outcome.
   */
  @State(Scope.Benchmark)
  public abstract static class KillScenario {
    Ipc ipc;
    SharedInt there;
    IpcProcess child;
    Thread waiter;
    final AtomicLong at = new AtomicLong();

    @Setup(Level.Trial)
    public void openNamespace() {
      ipc = Ipc.temp();
      there = ipc.sharedInt("there", 0);
      open();
    }

    /** Opens the scenario's object in {@link #ipc}. */
    abstract void open();

    /** Starts {@code body} as this process's thread beside the child and lets it park: not measured. */
    void startWaiter(Runnable body) {
      at.set(0L);
      waiter = new Thread(body, "waiter");
      waiter.start();
      letItPark();
    }

    /** Kills the child and returns how long the waiter took to notice. */
    long killAndTime() {
      long killedAt = System.nanoTime();
      child.kill();
      return awaitSet(at) - killedAt;
    }

    @TearDown(Level.Iteration)
    public void check() throws InterruptedException {
      waiter.join();
      Children.awaitExit(child);
      verify();
    }

    /** Throws if the waiter did not see what the scenario promises. */
    void verify() {
    }

    @TearDown(Level.Trial)
    public void close() {
      ipc.close();
    }
  }

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
        try {
          s.acquire();
          long now = System.nanoTime();
          reclaimed = s.reclaimed();
          s.release();
          at.set(now);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
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
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
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
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (b.getNumberWaiting() == 0) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("the child never arrived at the barrier");
        }
        LockSupport.parkNanos(100_000);
      }
      startWaiter(() -> {
        try {
          b.await();
        } catch (BrokenBarrierException e) {
          at.set(System.nanoTime());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
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
        try {
          q.join();
          at.set(System.nanoTime());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
  }

  /**
   * A consumer took a message and is killed with SIGKILL before {@code taskDone()}; this process's thread, parked
   * in {@code join()}, returns once it counts the dead consumer's task as abandoned. The time from {@code kill()} to
   * the return. SingleShotTime, a new child each iteration. Design bound: 100 ms.
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long queueJoinAfterConsumerKill(ConsumerKilled k) {
    return k.killAndTime();
  }
}
