package dev.ipckit.internal.pool;

import dev.ipckit.Codec;
import dev.ipckit.WorkerDiedException;
import dev.ipckit.internal.pool.PoolMessages.Job;
import dev.ipckit.internal.pool.PoolMessages.Outcome;
import dev.ipckit.spi.Deadline;
import dev.ipckit.spi.RemotePools;
import java.io.Serializable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The caller's side of a remote {@code Pool}: it hands each job's bytes (those the local pool sends down a worker's
 * pipe) to the service's {@link RemotePools.Submitter} and completes the job's future with the outcome that comes
 * back, read through the same filtered codec as the local pool's replies, or with a {@link WorkerDiedException}.
 *
 * <p><b>Thread safety.</b> Any thread may submit; outcomes arrive on the service's threads.
 */
public final class RemoteJobs implements RemotePools.Replies {
  private final ConcurrentHashMap<Long, Job> pending = new ConcurrentHashMap<>();
  private final Object idle = new Object();
  private volatile RemotePools.Submitter submitter;

  /** Connects to pool {@code poolName} at the location through {@code service}. */
  public RemoteJobs(RemotePools service, java.net.URI location, String poolName) {
    this.submitter = service.connect(location, poolName, this);
  }

  /** Live worker threads when this connected, at least 1: what chunk sizes are computed for. */
  public int workerThreads() {
    return submitter.workerThreads();
  }

  /** Queues {@code job}, whose bytes are set; a job that cannot be queued is not pending. */
  public void submit(Job job) {
    pending.put(job.id, job);
    try {
      submitter.submit(job.id, job.bytes);
    } catch (RuntimeException e) {
      pending.remove(job.id);
      throw e;
    }
  }

  /** Jobs submitted whose outcome has not come. */
  public int pending() {
    return pending.size();
  }

  /** Waits at most {@code nanos} until no job is pending; true if none is. */
  public boolean awaitIdle(long nanos) throws InterruptedException {
    long deadline = Deadline.after(nanos);
    synchronized (idle) {
      while (!pending.isEmpty()) {
        long left = Deadline.remaining(deadline);
        if (left <= 0) {
          return false;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(idle, Math.min(left, 50_000_000L));
      }
    }
    return true;
  }

  /** Removes the jobs no worker has taken and fails every pending job with a {@code CancellationException}. */
  public void cancelAll() {
    try {
      submitter.cancelQueued();
    } catch (RuntimeException e) {
      // the server is unreachable: the futures fail all the same
    }
    for (Long id : pending.keySet()) {
      Job j = pending.remove(id);
      if (j != null) {
        j.cancel();
      }
    }
    signalIfIdle();
  }

  /** Unregisters from the pool; outcomes still to come are dropped. */
  public void close() {
    submitter.close();
  }

  @Override
  public void outcome(long id, byte[] outcome) {
    Job job = pending.remove(id);
    if (job == null) {
      return;                                  // cancelled by terminate()
    }
    try {
      Object o = Codec.serializable().decode(outcome);
      if (!(o instanceof Outcome)) {
        throw new IllegalStateException("not an outcome of a pool task: "
            + (o == null ? null : o.getClass().getName()));
      }
      Outcome out = (Outcome) o;
      if (out.error == null) {
        job.future.complete(out.value instanceof Packed ? ((Packed) out.value).list : out.value);
      } else {
        job.future.completeExceptionally(out.error);
      }
    } catch (RuntimeException unreadable) {
      job.future.completeExceptionally(unreadable);
    }
    signalIfIdle();
  }

  @Override
  public void died(long id, String message) {
    Job job = pending.remove(id);
    if (job != null) {
      job.future.completeExceptionally(new WorkerDiedException(message + " while running task #" + id, null));
    }
    signalIfIdle();
  }

  private void signalIfIdle() {
    if (pending.isEmpty()) {
      synchronized (idle) {
        idle.notifyAll();
      }
    }
  }

  /**
   * The worker's side: reads a job through the filtered codec, runs it and encodes its outcome, as a local pool's
   * worker does. An unreadable job, or a result that cannot be sent, becomes a failed outcome.
   */
  public static byte[] run(byte[] task) {
    Outcome out;
    Object m;
    try {
      m = Codec.serializable().decode(task);
    } catch (RuntimeException unreadable) {
      return encode(new Outcome(null, WorkerLoop.portable(new IllegalStateException("worker (pid "
          + ProcessHandle.current().pid() + ") cannot read the task: " + unreadable.getMessage(), unreadable))));
    }
    if (!(m instanceof Job)) {
      return encode(new Outcome(null, new IllegalStateException("not a pool task: "
          + (m == null ? null : m.getClass().getName()))));
    }
    Job job = (Job) m;
    try {
      Object value = job.call.call();
      out = new Outcome(job.call instanceof PoolMessages.Chunk ? new Packed((java.util.List<?>) value) : value, null);
    } catch (Throwable t) {
      out = new Outcome(null, WorkerLoop.portable(t));
    }
    try {
      return encode(out);
    } catch (RuntimeException notSerializable) {
      return encode(new Outcome(null, WorkerLoop.portable(new IllegalArgumentException(
          "the result of task #" + job.id + " cannot be sent back: " + notSerializable.getMessage()))));
    }
  }

  private static byte[] encode(Outcome o) {
    return Codec.<Serializable>serializable().encode(o);
  }
}
