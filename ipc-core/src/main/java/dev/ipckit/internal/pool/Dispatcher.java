package dev.ipckit.internal.pool;

import dev.ipckit.Codec;
import dev.ipckit.Connection;
import dev.ipckit.DecodeException;
import dev.ipckit.IpcProcess;
import dev.ipckit.Pipe;
import dev.ipckit.ProcessStartException;
import dev.ipckit.Task;
import dev.ipckit.WorkerDiedException;
import dev.ipckit.internal.pool.PoolMessages.Job;
import dev.ipckit.internal.pool.PoolMessages.Outcome;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.function.BooleanSupplier;

/**
 * One worker process of a {@link dev.ipckit.Pool} and the thread that feeds it: the thread takes the pool's next
 * job, sends it down the worker's pipe, waits for the {@link Outcome} and completes the job's future with it. A
 * worker that dies fails the job it was running with a {@link WorkerDiedException} and is replaced; so is one that
 * has run its {@link WorkerSpec#maxTasksPerWorker()} tasks.
 *
 * <p><b>Thread safety.</b> Only the dispatcher's own thread runs jobs; {@link #kill()} and {@link #thread()} may be
 * called from any thread.
 */
public final class Dispatcher implements Runnable {
  private static final Duration LIVENESS_CHECK = Duration.ofMillis(50);
  /**
   * A worker that answered less than this long ago is still looking for its next task without parking (it spins,
   * then yields for at least 300 µs): no need to ring its doorbell.
   */
  private static final long RING_AFTER_NANOS = 100_000;
  /**
   * How long a caller of {@code apply}, and a dispatcher, look for a reply or the next task while yielding before
   * they block (system property {@code ipckit.pool.quickReplyMicros}).
   */
  public static final long QUICK_REPLY_NANOS = Long.getLong("ipckit.pool.quickReplyMicros", 2_000L) * 1_000;

  private final WorkerSpec spec;
  private final BlockingQueue<Job> jobs;
  private final BooleanSupplier terminated;
  private final int index;
  private final Thread thread;
  private int incarnation;
  private volatile IpcProcess process;
  private Connection<Serializable> conn;
  private int served;
  /** The class files this incarnation of the worker has been sent. */
  private final Set<String> sentClasses = new HashSet<>();

  /**
   * Starts worker {@code index} of the pool (the thread is started by the caller).
   *
   * @param jobs       the pool's queue of jobs, shared by its dispatchers
   * @param terminated whether the pool has been terminated: then jobs are cancelled rather than run
   */
  public Dispatcher(int index, WorkerSpec spec, BlockingQueue<Job> jobs, BooleanSupplier terminated) {
    this.spec = spec;
    this.jobs = jobs;
    this.terminated = terminated;
    this.index = index;
    this.thread = new Thread(this, spec.poolName() + "-dispatch-" + index);
    this.thread.setDaemon(true);
    spawn();
  }

  /** The thread that feeds this worker. */
  public Thread thread() {
    return thread;
  }

  private void spawn() {
    String pipeName = "worker-" + index + "-" + (++incarnation);
    Pipe<Serializable> pipe = spec.ipc().pipe(pipeName, true, Codec.serializable());
    Connection<Serializable> workerEnd = pipe.right();
    Task init = spec.initializer();
    conn = pipe.left();
    served = 0;
    sentClasses.clear();
    IpcProcess.Builder b = IpcProcess.builder()
        .name(spec.poolName() + "-worker-" + index + (incarnation > 1 ? "." + incarnation : ""))
        .daemon(true)
        .jvmOptions(spec.jvmOptions());
    for (ClassLoader l : spec.classLoaders()) {
      b.classLoader(l);
    }
    process = b.start(() -> WorkerLoop.serve(workerEnd, init));
  }

  /** Kills the worker process (SIGKILL). */
  public void kill() {
    IpcProcess p = process;
    if (p != null) {
      p.kill();
    }
  }

  @Override
  public void run() {
    try {
      for (;;) {
        Job job = nextJob();
        if (job == Job.POISON) {
          stopWorker();
          return;
        }
        if (terminated.getAsBoolean()) {
          job.cancel();
          continue;
        }
        try {
          runJob(job);
        } finally {
          if (terminated.getAsBoolean()) {
            job.cancel(); // no-op when it completed
          }
        }
      }
    } catch (InterruptedException e) {
      // terminate(): the worker is being killed
    }
  }

  private void runJob(Job job) throws InterruptedException {
    if (job.future.isDone()) {
      return;
    }
    try {
      sendClasses(job);
      conn.sendBytes(job.bytes); // read back by the worker's recv() with the same Java serialization
      if (System.nanoTime() - lastReplyAt > RING_AFTER_NANOS) {
        process.wake();          // a worker idle for long is parked for up to 20 ms: wake it now
      }
      // poll rather than block in recv: a worker that dies before it ever touched its end of the pipe
      // (a failing initializer, a JVM that cannot start) never claimed it, so no EOF would come
      awaitQuickReply();
      while (!conn.poll(LIVENESS_CHECK)) {
        if (!process.isAlive()) {
          throw new EOFException("worker exited before answering");
        }
      }
      Serializable reply;
      try {
        reply = conn.recv();
        lastReplyAt = System.nanoTime();
      } catch (DecodeException unreadable) {
        // the worker is fine: only this result cannot be read here (its class's readObject threw, a filter)
        served++;
        job.future.completeExceptionally(unreadable);
        return;
      }
      served++;
      Outcome o = (Outcome) reply;
      if (o.error == null) {
        job.future.complete(o.value instanceof Packed ? ((Packed) o.value).list : o.value);
      } else {
        job.future.completeExceptionally(o.error);
      }
      if (spec.maxTasksPerWorker() > 0 && served >= spec.maxTasksPerWorker() && !terminated.getAsBoolean()) {
        stopWorker();
        spawn();
      }
    } catch (IOException | RuntimeException e) {
      if (terminated.getAsBoolean()) {
        job.cancel();
        return;
      }
      IpcProcess dead = process;
      String how;
      try {
        dead.join(Duration.ofSeconds(5));
        how = dead.exitCode().stream().mapToObj(c -> " with exit code " + c).findFirst().orElse("");
      } catch (InterruptedException ie) {
        job.cancel();
        throw ie;
      } catch (ProcessStartException cannotStart) {
        how = " before its first task: " + cannotStart.getMessage();
      }
      job.future.completeExceptionally(new WorkerDiedException("worker " + dead.name() + " (pid " + dead.pid()
          + ") died" + how + " while running task #" + job.id, e));
      conn.close();
      dead.kill();
      spawn();
    }
  }

  /** Sends the worker, ahead of {@code job}, the class files it needs and has not been sent yet. */
  private void sendClasses(Job job) throws IOException, InterruptedException {
    if (job.classes.isEmpty()) {
      return;
    }
    HashMap<String, byte[]> missing = new HashMap<>();
    for (Map.Entry<String, byte[]> e : job.classes.entrySet()) {
      if (!sentClasses.contains(e.getKey())) {
        missing.put(e.getKey(), e.getValue());
      }
    }
    if (!missing.isEmpty()) {
      conn.send(new PoolMessages.Classes(missing));
      sentClasses.addAll(missing.keySet());
    }
  }

  /** {@link System#nanoTime()} of the worker's last reply: until shortly after it, the worker is still spinning. */
  private long lastReplyAt = System.nanoTime() - Long.MAX_VALUE / 2;

  /** The next job: looked for while yielding for a while (the next often follows at once), then waited for. */
  private Job nextJob() throws InterruptedException {
    long start = System.nanoTime();
    Job job;
    while ((job = jobs.poll()) == null && System.nanoTime() - start < QUICK_REPLY_NANOS) {
      Thread.yield();
    }
    return job != null ? job : jobs.take();
  }

  /**
   * Looks for the reply, yielding between looks, for up to {@link #QUICK_REPLY_NANOS}: most tasks answer within
   * that, and a waiter that has parked notices the answer only when its park ends (no sooner than about 50 µs on
   * Linux, longer the longer it waits), which would multiply a short task's round trip.
   */
  private void awaitQuickReply() throws IOException, InterruptedException {
    long start = System.nanoTime();
    while (!conn.poll(Duration.ZERO) && System.nanoTime() - start < QUICK_REPLY_NANOS) {
      Thread.yield();
    }
  }

  private void stopWorker() throws InterruptedException {
    IpcProcess p = process;
    try {
      conn.send(PoolMessages.STOP);
    } catch (IOException | RuntimeException ignored) {
      // already gone
    }
    if (!p.join(Duration.ofSeconds(30))) {
      p.kill();
    }
    conn.close();
  }
}
