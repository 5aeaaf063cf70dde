package dev.ipckit;

import dev.ipckit.internal.pool.Dispatcher;
import dev.ipckit.internal.pool.PoolMessages.Job;
import dev.ipckit.internal.pool.RemoteJobs;
import dev.ipckit.internal.pool.WorkerSpec;
import dev.ipckit.internal.process.ChildClassPath;
import dev.ipckit.internal.process.ShippedClasses;
import dev.ipckit.internal.process.TaskWriter;
import dev.ipckit.spi.Deadline;
import dev.ipckit.spi.Locations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The life of one {@link Pool} and the way its tasks go out: its workers (a {@link Dispatcher} per local worker
 * process, or the {@link RemoteJobs} of a remote pool), the queue of jobs, and the {@link State} it is in, which
 * only moves forward. {@link Pool} is the public face: it turns {@code map}, {@code starmap} and {@code imap} into
 * {@link #submit} calls and states the contracts.
 *
 * <p><b>Thread safety.</b> Every method may be called from any thread; state changes and the check that a pool
 * still takes tasks happen under {@code stateLock}, so a task is either queued before a shutdown or refused.
 */
final class PoolLifecycle {
  private static final AtomicInteger POOLS = new AtomicInteger();

  /** Where a pool is in its life; it only moves forward, under {@code stateLock}. */
  enum State {
    /** Takes new tasks. */
    RUNNING("running"),
    /** {@link Pool#shutdown()}: no new tasks; those submitted still run, then the workers exit. */
    SHUT_DOWN("shut down"),
    /** {@link Pool#terminate()}, or the workers have exited after a shutdown: the namespace is closed. */
    TERMINATED("terminated");

    /** As the pool's {@code toString()} and its messages say it. */
    final String text;

    State(String text) {
      this.text = text;
    }
  }

  private final int processes;
  private final Ipc ipc;
  private final String poolName;
  private final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
  private final List<Dispatcher> dispatchers = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong();
  private final Object stateLock = new Object();
  private volatile State state = State.RUNNING;
  /** Where the workers find classes; a task's classes beyond it travel with the task. Null for a remote pool. */
  private final ChildClassPath classPath;
  /** A remote pool's connection to its workers; null for a local pool. */
  private final RemoteJobs remote;

  /** Starts the workers {@code s} describes, or connects to a remote pool's; terminates what it started on failure. */
  PoolLifecycle(PoolSettings s) {
    if (s.remoteLocation != null) {
      this.poolName = s.remoteName + "@" + Locations.display(s.remoteLocation);
      this.ipc = null;
      this.classPath = null;
      this.remote = new RemoteJobs(Backends.remotePools(s.remoteLocation), s.remoteLocation, s.remoteName);
      this.processes = s.processesSet ? s.processes : remote.workerThreads();
      return;
    }
    this.remote = null;
    this.processes = s.processes;
    this.poolName = "Pool-" + POOLS.incrementAndGet();
    this.ipc = Ipc.temp();
    this.classPath = ProcessLauncher.classPath(s.classLoaders, List.of());
    WorkerSpec spec = new WorkerSpec(poolName, ipc, s.initializer, s.jvmOptions.toArray(new String[0]),
        s.maxTasksPerWorker, List.copyOf(s.classLoaders));
    try {
      for (int i = 0; i < processes; i++) {
        Dispatcher d = new Dispatcher(i, spec, jobs, () -> state == State.TERMINATED);
        dispatchers.add(d);
      }
      for (Dispatcher d : dispatchers) {
        d.thread().start();
      }
    } catch (RuntimeException e) {
      terminate();
      throw e;
    }
  }

  /** As {@link Pool#processes()}. */
  int processes() {
    return processes;
  }

  /** Whether the pool still takes new tasks. */
  boolean running() {
    return state == State.RUNNING;
  }

  /**
   * Serializes {@code callable} (here in the caller: a task that cannot travel fails now, and a dispatcher sends
   * the bytes) and queues it for a worker.
   *
   * @throws IllegalStateException if the pool no longer takes tasks
   */
  <R> CompletableFuture<R> submit(SerializableCallable<R> callable) {
    Job job = new Job(ids.incrementAndGet(), callable);
    TaskWriter.Written w = TaskWriter.write(job, callable);
    job.serialized(w.bytes());
    if (remote == null) {                             // a remote pool's workers' class path is their own
      List<Class<?>> missing = ProcessLauncher.uncovered(classPath, w.classes());
      if (!missing.isEmpty()) {
        job.classes(ShippedClasses.collect(missing)); // the source launcher's classes, a later plugin's
      }
    }
    synchronized (stateLock) {
      if (state != State.RUNNING) {
        throw noNewTasks();
      }
      if (remote != null) {
        remote.submit(job);
      } else {
        jobs.add(job);
      }
    }
    @SuppressWarnings("unchecked")
    CompletableFuture<R> f = (CompletableFuture<R>) job.future();
    return f;
  }

  /** Why a task is refused: the pool's name and state. */
  IllegalStateException noNewTasks() {
    return new IllegalStateException(poolName + " is " + state.text + ": no new tasks");
  }

  /** As {@link Pool#shutdown()}: a local pool's workers each get a poison job behind the tasks queued. */
  void shutdown() {
    synchronized (stateLock) {
      if (state != State.RUNNING) {
        return;
      }
      state = State.SHUT_DOWN;
      for (int i = 0; remote == null && i < processes; i++) {
        jobs.add(Job.POISON);
      }
    }
  }

  /** As {@link Pool#terminate()}. */
  void terminate() {
    synchronized (stateLock) {
      if (state == State.TERMINATED) {
        return;
      }
      state = State.TERMINATED;
    }
    if (remote != null) {
      remote.cancelAll();
      remote.close();
      return;
    }
    for (Dispatcher d : dispatchers) {
      d.thread().interrupt();
      d.kill();
    }
    Job j;
    while ((j = jobs.poll()) != null) {
      j.cancel();
    }
    for (Dispatcher d : dispatchers) {
      try {
        d.thread().join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    while ((j = jobs.poll()) != null) {
      j.cancel();
    }
    ipc.close();
  }

  /** As {@link Pool#awaitTermination(Duration)}: once the workers are done, a shut-down pool is terminated. */
  boolean awaitTermination(Duration timeout) throws InterruptedException {
    if (remote != null) {
      if (!remote.awaitIdle(Deadline.nanos(timeout))) {
        return false;
      }
    } else {
      long deadline = Deadline.after(Deadline.nanos(timeout));
      for (Dispatcher d : dispatchers) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 && d.thread().isAlive()) {
          return false;
        }
        d.thread().join(Math.max(1, left));
        if (d.thread().isAlive()) {
          return false;
        }
      }
    }
    synchronized (stateLock) {
      if (state == State.SHUT_DOWN) {
        state = State.TERMINATED;
        if (remote != null) {
          remote.close();
        } else {
          ipc.close();
        }
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return poolName + "[processes=" + processes + ", state=" + state.text + "]";
  }
}
