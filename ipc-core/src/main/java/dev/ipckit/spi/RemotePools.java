package dev.ipckit.spi;

import java.net.URI;
import java.util.Set;

/**
 * A service that carries the tasks of a {@code Pool} to worker processes on any machine that reaches a location
 * ({@code Pool.builder().remote(location, poolName)}, {@code dev.ipckit.PoolWorker}), found by
 * {@link java.util.ServiceLoader} by the location's scheme as a {@link Backend} is.
 *
 * <p>The service moves bytes only: {@code ipc-core} encodes each task and its outcome (the encoding of the local
 * pool's workers, read back through the filtered {@code Codec.serializable()}), and the service delivers each task
 * to exactly one worker and its outcome, or the news that the worker died running it, to the submitter. A task is
 * never run twice: one whose worker died is failed, not queued again.
 *
 * <p>Implementations must be thread-safe.
 */
public interface RemotePools {
  /** The location schemes served, in lower case ({@code "redis"}, {@code "rediss"}). */
  Set<String> schemes();

  /** Preference among services of one scheme: the highest wins. */
  default int priority() {
    return 0;
  }

  /**
   * Connects a submitter to pool {@code poolName} at {@code location}: registers it and starts delivering the
   * outcomes of its tasks to {@code replies}.
   *
   * @throws IllegalStateException    if a live worker or submitter of the pool speaks another version of the wire
   *                                  format (the message names both versions)
   * @throws IllegalArgumentException if the location or the pool name is malformed
   */
  Submitter connect(URI location, String poolName, Replies replies);

  /**
   * Registers a worker of pool {@code poolName} at {@code location} and starts {@code threads} threads that take
   * tasks, run them through {@code runner} and send back the outcomes.
   *
   * @throws IllegalStateException    if a live worker or submitter of the pool speaks another version of the wire
   *                                  format (the message names both versions)
   * @throws IllegalArgumentException if the location or the pool name is malformed
   */
  Worker serve(URI location, String poolName, int threads, Runner runner);

  /** Where a submitter's outcomes go; called from the service's threads. */
  interface Replies {
    /** Task {@code id} finished: {@code outcome} is what {@link Runner#run} returned for it. */
    void outcome(long id, byte[] outcome);

    /** Task {@code id} will never finish: the worker that took it died; {@code message} names the worker. */
    void died(long id, String message);
  }

  /** Runs one encoded task in a worker and returns its encoded outcome; never throws. */
  interface Runner {
    byte[] run(byte[] task);
  }

  /** One submitter's connection to a pool. */
  interface Submitter extends AutoCloseable {
    /** Worker threads registered and alive when this submitter connected (at least 1). */
    int workerThreads();

    /** Queues task {@code id} (unique for this submitter). */
    void submit(long id, byte[] task);

    /** Removes this submitter's tasks that no worker has taken yet: their outcomes never come. */
    void cancelQueued();

    /** Unregisters: outcomes still to come are dropped. Idempotent. */
    @Override
    void close();
  }

  /** A running worker. */
  interface Worker extends AutoCloseable {
    /**
     * Waits until the worker has stopped: true if it was closed, false if it stopped on its own (refused when it
     * registered again after a reconnect, say).
     */
    boolean await() throws InterruptedException;

    /** Stops taking tasks, waits (bounded) for those running, and unregisters. Idempotent. */
    @Override
    void close();
  }
}
