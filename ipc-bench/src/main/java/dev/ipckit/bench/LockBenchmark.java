package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Uncontended {@code lock()} + {@code unlock()} in one process, one thread: the cost every critical section pays
 * when nobody else wants the lock. {@code lock} and {@code rlock} are one compareAndSet each way on the shared
 * word (no system call); {@code fileLock} is two {@code fcntl} system calls; {@code reentrantLock} is
 * {@link ReentrantLock}, the in-process floor. Target: {@code lock} at most 50 ns per pair.
 *
 * <p>Run: {@code mvn -B -q -pl ipc-core,ipc-shm,ipc-bench package -DskipTests && java -jar
 * ipc-bench/target/benchmarks.jar LockBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LockBenchmark extends SlabOrFileBenchmark {
  private Ipc ipc;
  private final ReentrantLock reentrantLock = new ReentrantLock();

  @Setup(Level.Trial)
  public void open() {
    ipc = Ipc.temp();
    openLocks(ipc);
  }

  @TearDown(Level.Trial)
  public void close() {
    ipc.close();
  }

  @Benchmark
  public void lock() {
    lockUnlock(lock);
  }

  @Benchmark
  public void rlock() {
    lockUnlock(rlock);
  }

  @Benchmark
  public void fileLock() {
    lockUnlock(fileLock);
  }

  @Benchmark
  public void reentrantLock() {
    ReentrantLock l = reentrantLock;
    l.lock();
    l.unlock();
  }

  /**
   * The body of the three {@link IpcLock} benchmarks: one {@code lock()} + {@code unlock()} of {@code l}. Inlined
   * into each; a fork runs one benchmark, so its call sites see one lock class.
   */
  private static void lockUnlock(IpcLock l) {
    l.lock();
    l.unlock();
  }
}
