package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The cross-process counter: two processes increment one {@code SharedLong} - the JMH thread in this JVM and a
 * child JVM ({@link IpcProcess}, started in the trial's setup) that does the same operation in a loop until a
 * shared stop flag is set. Python's {@code multiprocessing} counter, done the five ways a reader compares:
 * <ul>
 *   <li>{@code unlockedGetSet}: {@code v.set(v.get() + 1)} - two atomic steps, not one: races, loses updates;</li>
 *   <li>{@code incrementAndGet}: one atomic {@code getAndAdd} - exact, no lock;</li>
 *   <li>{@code lock}, {@code rlock}, {@code fileLock}: {@code lock(); v.set(v.get() + 1); unlock()} under each
 *   {@link IpcLock} kind - exact.</li>
 * </ul>
 *
 * <p><b>Reading the figures.</b> The primary score is the JMH thread's own rate. Secondary results:
 * {@code child} is the child process's rate over the same iteration, {@code total} the rate of both processes
 * together (the figure to compare with CPython's two-process counter, 0.65-1.5 M ops/s under
 * {@code multiprocessing.Lock} on this machine), and {@code lostUpdates} how many increments were lost over all
 * measurement iterations (a sum: counted operations of both processes minus how far the shared counter moved,
 * per iteration). Both processes work in batches of {@link #BATCH} operations. The child publishes its count
 * after every batch (a release store to its own cache line) and the JMH thread counts its own in a thread-local
 * field; both are read at iteration setup and teardown, the counter outside the child's count. The child may have
 * made one batch just before the start snapshot and publish it just after, so one batch is allowed for: an exact
 * operation shows 0, and the unlocked figure is, if anything, a batch short per iteration.
 *
 * <p>On a loaded machine the two processes are not always on a core at the same time, and a process running
 * alone increments without contention (several times faster): the totals of {@code unlockedGetSet} and
 * {@code incrementAndGet} then exceed what a truly contended pair achieves (about 80 M ops/s for
 * {@code getAndAdd} on a quiet 2-core machine); compare the {@code child} figure with the score to see how evenly
 * the two shared the time.
 *
 * <p>Run: {@code mvn -B -q -pl ipc-core,ipc-shm,ipc-bench package -DskipTests && java -jar
 * ipc-bench/target/benchmarks.jar CounterBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s}. Targets on a 2-core machine:
 * {@code incrementAndGet} total at least 50 M ops/s, {@code lock} total at least 10 M ops/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CounterBenchmark extends SlabOrFileBenchmark {
  /**
   * Operations per benchmark call (and per published count in the child): the atomic updates cannot be merged
   * or removed by the JIT, and a batch keeps the harness's per-call cost out of a 20 ns operation.
   */
  static final int BATCH = 100;

  private Ipc ipc;
  private IpcProcess child;
  SharedLong counter;
  SharedLong childOps;
  private SharedInt stop;

  /** What the child does: the same operation as the benchmark method running now. */
  enum Op {
    unlockedGetSet, incrementAndGet, lock, rlock, fileLock
  }

  @Setup(Level.Trial)
  public void startChild(BenchmarkParams params) {
    String bench = params.getBenchmark();
    Op op = Op.valueOf(bench.substring(bench.lastIndexOf('.') + 1));
    ipc = Ipc.temp();
    counter = ipc.sharedLong(named("counter"), 0);
    childOps = ipc.sharedLong("child-ops", 0);
    stop = ipc.sharedInt("stop", 0);
    SharedInt ready = ipc.sharedInt("ready", 0);
    openLocks(ipc);
    SharedLong v = counter;
    SharedLong published = childOps;
    SharedInt stopFlag = stop;
    IpcLock l = op == Op.lock ? lock : op == Op.rlock ? rlock : fileLock;
    child = Children.start("counter-child", ready, () -> childLoop(op, v, l, published, stopFlag));
  }

  @TearDown(Level.Trial)
  public void stopChild() throws InterruptedException {
    stop.set(1);
    Children.awaitExit(child);
    ipc.close();
  }

  /** The child's loop: the operation, then its count published, until told to stop. */
  static void childLoop(Op op, SharedLong v, IpcLock l, SharedLong published, SharedInt stop) {
    long n = 0;
    switch (op) {
      case unlockedGetSet:
        while (stop.get() == 0) {
          for (int i = 0; i < BATCH; i++) {
            v.set(v.get() + 1);
          }
          published.set(n += BATCH);
        }
        break;
      case incrementAndGet:
        while (stop.get() == 0) {
          for (int i = 0; i < BATCH; i++) {
            v.incrementAndGet();
          }
          published.set(n += BATCH);
        }
        break;
      default:
        while (stop.get() == 0) {
          for (int i = 0; i < BATCH; i++) {
            l.lock();
            v.set(v.get() + 1);
            l.unlock();
          }
          published.set(n += BATCH);
        }
    }
  }

  /** Rates of the child and of both processes (secondary results, ops/s). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Rates {
    public long child;
    public long total;
    long mine;
    long childAtStart;
    long counterAtStart;
    long lost;

    @Setup(Level.Iteration)
    public void start(CounterBenchmark b) {
      mine = 0;
      child = 0;
      total = 0;
      // counter first, child count second (and the reverse at the end). The child increments a batch, then
      // publishes its count: up to one batch may fall before counterAtStart and its publication after
      // childAtStart, so the child's count may run one batch ahead of the counter's window (see end())
      counterAtStart = b.counter.get();
      childAtStart = b.childOps.get();
    }

    @TearDown(Level.Iteration)
    public void end(CounterBenchmark b, Lost lostUpdates) {
      child = b.childOps.get() - childAtStart;
      long counterMoved = b.counter.get() - counterAtStart;
      total = mine + child;
      // minus the at most one batch the child made before counterAtStart and published after childAtStart
      lostUpdates.lostUpdates = Math.max(0, total - counterMoved - BATCH);
    }
  }

  /** Increments lost in the iteration (a count, not a rate). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Lost {
    public long lostUpdates;

    @Setup(Level.Iteration)
    public void clear() {
      lostUpdates = 0;
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void unlockedGetSet(Rates r) {
    SharedLong v = counter;
    for (int i = 0; i < BATCH; i++) {
      v.set(v.get() + 1);
    }
    r.mine += BATCH;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long incrementAndGet(Rates r) {
    SharedLong v = counter;
    long last = 0;
    for (int i = 0; i < BATCH; i++) {
      last = v.incrementAndGet();
    }
    r.mine += BATCH;
    return last;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void lock(Rates r) {
    lockedBatch(lock, r);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void rlock(Rates r) {
    lockedBatch(rlock, r);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void fileLock(Rates r) {
    lockedBatch(fileLock, r);
  }

  /** One batch of {@code lock(); v.set(v.get() + 1); unlock()} under {@code l}. */
  private void lockedBatch(IpcLock l, Rates r) {
    SharedLong v = counter;
    for (int i = 0; i < BATCH; i++) {
      l.lock();
      v.set(v.get() + 1);
      l.unlock();
    }
    r.mine += BATCH;
  }
}
