package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import dev.ipckit.SharedLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A condition ping-pong: this thread sets a shared turn word under the lock, signals, and awaits until the other
 * side has turned it back, which that side does under the lock after its own await. One operation is a full round
 * trip: two signal-to-wake hops, each with a lock hand-over. For {@code IpcLock} ({@code ipc.lock}) the other side
 * is a child JVM started in {@code @Setup}; for {@code ReentrantLock} a thread of this JVM (the in-process
 * reference). SampleTime mode: read the p0.50 line.
 *
 * <p>CPython 3.11's {@code multiprocessing.Condition} doing the same between two processes on this machine
 * ({@code ipc-bench/cpython/condition_pingpong.py}): median round trip 233 µs, p99 310-360 µs.
 *
 * <pre>
 * mvn -B -q package -DskipTests -pl ipc-core,ipc-shm,ipc-bench
 * java -jar ipc-bench/target/benchmarks.jar ConditionBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class ConditionBenchmark {
  /** Turn word values: whose move it is, and the end of the trial. */
  static final long MINE = 0;
  static final long THEIRS = 1;
  static final long STOP = 2;

  @Param({"IpcLock", "ReentrantLock"})
  public String impl;

  Lock lock;
  Condition turned;
  Turn turn;
  Peer peer;

  /** The turn word: a SharedLong between processes, a plain field under the lock in one JVM. */
  interface Turn {
    long get();

    void set(long v);

    /** The turn word in {@code word}, shared between processes. */
    static Turn shared(SharedLong word) {
      return new Turn() {
        @Override public long get() {
          return word.get();
        }

        @Override public void set(long v) {
          word.set(v);
        }
      };
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    if (impl.equals("IpcLock")) {
      Ipc ipc = Ipc.temp();
      IpcLock l = ipc.lock("l");
      SharedLong word = ipc.sharedLong("turn", MINE);
      lock = l;
      turned = l.newCondition();
      turn = Turn.shared(word);
      peer = Peer.process(ipc, "condition-echo", () -> echoProcess(l, word));
    } else {
      ReentrantLock l = new ReentrantLock();
      long[] word = {MINE};
      lock = l;
      turned = l.newCondition();
      turn = new Turn() {
        @Override public long get() {
          return word[0];
        }

        @Override public void set(long v) {
          word[0] = v;
        }
      };
      peer = Peer.thread("condition-echo", () -> echo(lock, turned, turn));
    }
    roundTrip();                                 // the other side is up
  }

  static void echoProcess(IpcLock l, SharedLong word) {
    echo(l, l.newCondition(), Turn.shared(word));
  }

  /** The other side: waits for its turn, hands it back. */
  static void echo(Lock lock, Condition turned, Turn turn) {
    lock.lock();
    try {
      for (;;) {
        while (turn.get() == MINE) {
          turned.awaitUninterruptibly();
        }
        if (turn.get() == STOP) {
          return;
        }
        turn.set(MINE);
        turned.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    lock.lock();
    try {
      turn.set(STOP);
      turned.signalAll();
    } finally {
      lock.unlock();
    }
    peer.join();
  }

  @Benchmark
  public long roundTrip() {
    lock.lock();
    try {
      turn.set(THEIRS);
      turned.signal();
      while (turn.get() == THEIRS) {
        turned.awaitUninterruptibly();
      }
      return turn.get();
    } finally {
      lock.unlock();
    }
  }
}
