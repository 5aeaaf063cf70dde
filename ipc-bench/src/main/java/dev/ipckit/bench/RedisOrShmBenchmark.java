package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedInt;
import dev.ipckit.Task;
import dev.ipckit.redis.RedisTestServer;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@link RedisBenchmark} and {@link RedisLatencyBenchmark} share: the {@code backend} parameter's namespace
 * with the child working beside this process ({@link Ns}), the 64-byte message and the 1-byte stop message, and
 * their run settings (one fork, 2 warm-up iterations of 1 s and 3 measurement iterations of 2 s).
 */
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public abstract class RedisOrShmBenchmark {
  static final byte[] MESSAGE = new byte[64];
  static final byte[] STOP = new byte[1];

  /** A namespace of the chosen backend (for Redis, on a server of its own), and the child working beside us. */
  @State(Scope.Benchmark)
  public static class Ns {
    @Param({"redis", "shm"})
    public String backend;

    RedisTestServer server;
    Ipc ipc;
    IpcProcess child;
    SharedInt stop;
    private Task stopChild;

    @Setup(Level.Trial)
    public void open(org.openjdk.jmh.infra.BenchmarkParams params) {
      ipc = open(this);
      stop = ipc.sharedInt("stop", 0);
      prepare(params.getBenchmark());
    }

    /** Opens the benchmark's objects and starts the child (after the namespace is open). */
    void prepare(String benchmark) {
    }

    static Ipc open(Ns ns) {
      if (ns.backend.equals("redis")) {
        ns.server = RedisTestServer.start();
        return Ipc.temp(ns.server.base());
      }
      return Ipc.temp();
    }

    /** Starts the child with {@code body}, told to stop by the stop flag its loop checks; returns once it runs. */
    void startChild(String name, Task body) {
      SharedInt s = stop;
      startChild(name, body, () -> s.set(1));
    }

    /** Starts the child with {@code body}, told to stop by {@code stopIt}; returns once it runs. */
    void startChild(String name, Task body, Task stopIt) {
      stopChild = stopIt;
      child = Children.start(name, ipc.sharedInt("ready-" + name, 0), body);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      if (child != null) {
        stopChild.run();
        Children.awaitExit(child);
      }
      ipc.close();
      if (server != null) {
        server.close();
      }
    }
  }
}
