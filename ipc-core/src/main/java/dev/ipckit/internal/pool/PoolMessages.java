package dev.ipckit.internal.pool;

import dev.ipckit.CheckedFunction;
import dev.ipckit.SerializableCallable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * What a pool and its workers say to each other over a worker's pipe, by Java serialization: the pool sends a
 * {@link Job} (its callable may be a {@link Chunk} of a map) or {@link Stop}; the worker answers each job with an
 * {@link Outcome}. The items of a chunk and its results travel as a {@link Packed} list.
 */
public final class PoolMessages {
  /** Sent to a worker to make it close its end of the pipe and exit. */
  static final Serializable STOP = new Stop();

  private PoolMessages() {
  }

  /** A task for a worker, and on the pool's side the future its outcome completes. */
  public static final class Job implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Queued once per worker by {@code shutdown()}: the dispatcher that takes it stops its worker. */
    public static final Job POISON = new Job(-1, null);
    final long id;
    final SerializableCallable<?> call;
    final transient CompletableFuture<Object> future = new CompletableFuture<>();
    /** This job serialized, as the worker's {@code recv()} reads it; set by the pool before it queues the job. */
    transient byte[] bytes;
    /** Class files the worker needs for this job and may not have (see {@link Classes}); empty for most. */
    transient Map<String, byte[]> classes = Map.of();

    public Job(long id, SerializableCallable<?> call) {
      this.id = id;
      this.call = call;
    }

    /** The future this job's outcome completes; null in the worker. */
    public CompletableFuture<Object> future() {
      return future;
    }

    /** Keeps this job serialized, for its dispatcher to send as it is: called once, before the job is queued. */
    public void serialized(byte[] bytes) {
      this.bytes = bytes;
    }

    /** The class files a worker must have before it reads this job: called once, before the job is queued. */
    public void classes(Map<String, byte[]> classes) {
      this.classes = classes;
    }

    /** Fails the future, unless it is done, with a {@link CancellationException}: the pool was terminated. */
    public void cancel() {
      if (future != null) {
        future.completeExceptionally(new CancellationException("pool terminated before task #" + id + " finished"));
      }
    }
  }

  /**
   * The items of a map that travel together, and the function to apply to each: every {@code map},
   * {@code starmap} and {@code imap} sends its items as chunks. The first item the function throws for fails the
   * chunk with what it threw.
   */
  public static final class Chunk<T, R> implements SerializableCallable<List<R>> {
    private static final long serialVersionUID = 1L;
    private final CheckedFunction<T, R> fn;
    /** A {@link Packed} on the way out; the list it stands for once read back. */
    private final Object items;

    /** A chunk of {@code items}, to each of which the worker applies {@code fn}. */
    public Chunk(CheckedFunction<T, R> fn, ArrayList<T> items) {
      this.fn = fn;
      this.items = new Packed(items);
    }

    @Override @SuppressWarnings("unchecked")
    public List<R> call() throws Exception {
      List<T> in = (List<T>) (items instanceof Packed ? ((Packed) items).list : items);
      ArrayList<R> out = new ArrayList<>(in.size());
      for (T t : in) {
        out.add(fn.apply(t));
      }
      return out;
    }
  }

  /** What a worker sends back: a value or the error its task threw. */
  static final class Outcome implements Serializable {
    private static final long serialVersionUID = 1L;
    final Object value;
    final Throwable error;

    Outcome(Object value, Throwable error) {
      this.value = value;
      this.error = error;
    }
  }

  /**
   * Class files a worker cannot find on its class path, sent before the first job that needs them (the
   * source launcher's classes, a plugin's loaded after the pool started).
   */
  static final class Classes implements Serializable {
    private static final long serialVersionUID = 1L;
    final HashMap<String, byte[]> files;

    Classes(HashMap<String, byte[]> files) {
      this.files = files;
    }
  }

  /** See {@link #STOP}. */
  static final class Stop implements Serializable {
    private static final long serialVersionUID = 1L;
  }
}
