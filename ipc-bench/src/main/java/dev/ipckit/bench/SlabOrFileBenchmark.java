package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@link CounterBenchmark} and {@link LockBenchmark} share: the {@code layout} parameter that puts their
 * objects in the namespace's slab or in files of their own, the three {@link IpcLock} kinds they measure, and their
 * run settings (one thread, one fork, 3 warm-up and 5 measurement iterations of 1 s).
 */
@State(Scope.Benchmark)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class SlabOrFileBenchmark {
  /**
   * Where the objects live: {@code slab}, slots of the namespace's slab (names up to 48 characters, the default),
   * or {@code file}, a file of their own each (a longer name), as before the slab; the per-operation cost must not
   * differ by more than 5 %.
   */
  @Param({"slab", "file"})
  public String layout;

  IpcLock lock;
  IpcLock rlock;
  IpcLock fileLock;

  /** {@code base} as the name of an object where {@link #layout} puts it. */
  String named(String base) {
    return SmallObjectBenchmark.named(base, layout);
  }

  /** Opens {@link #lock} and {@link #rlock} where {@link #layout} puts them, and {@link #fileLock}, in {@code ipc}. */
  void openLocks(Ipc ipc) {
    lock = ipc.lock(named("lock"));
    rlock = ipc.rlock(named("rlock"));
    fileLock = ipc.fileLock("fileLock");
  }
}
