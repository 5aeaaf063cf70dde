package dev.ipckit;

import dev.ipckit.internal.pool.Dispatcher;
import dev.ipckit.internal.pool.PoolMessages.Chunk;
import dev.ipckit.internal.pool.PoolMessages.Job;
import dev.ipckit.internal.pool.WorkerSpec;
import dev.ipckit.internal.process.ChildClassPath;
import dev.ipckit.internal.process.ShippedClasses;
import dev.ipckit.internal.process.TaskWriter;
import dev.ipckit.spi.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool of worker processes (child JVMs), as Python's {@code multiprocessing.Pool}.
 *
 * <pre>{@code
 * try (Pool pool = Pool.create(4)) {
 *   List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));
 * }
 * }</pre>
 *
 * <p>Each worker is a daemon child JVM connected to this process by its own duplex {@link Pipe} in a private
 * namespace; a dispatcher thread per worker sends it one task (or chunk) at a time and waits for the outcome.
 * Functions and tasks travel by Java serialization: use lambdas of {@link SerializableFunction} and
 * {@link SerializableCallable} that capture only serializable values and ipckit handles.
 *
 * <p><b>Worker death.</b> Where Python's pool hangs, this one does not: a worker that dies (a crash,
 * {@code System.exit}, SIGKILL) fails exactly the task it was running, with an {@link ExecutionException} whose
 * cause is a {@link WorkerDiedException} naming the worker, its pid and exit code, and is replaced by a new
 * worker; every other task goes on. A task that throws fails its own future with the exception (rebuilt from
 * text when it is not serializable).
 *
 * <p><b>Thread safety.</b> All methods may be called from any thread.
 */
public final class Pool implements AutoCloseable {
  private static final AtomicInteger POOLS = new AtomicInteger();

  /** Where a pool is in its life; it only moves forward, under {@code stateLock}. */
  private enum State {
    /** Takes new tasks. */
    RUNNING("running"),
    /** {@link #shutdown()}: no new tasks; those submitted still run, then the workers exit. */
    SHUT_DOWN("shut down"),
    /** {@link #terminate()}, or the workers have exited after a shutdown: the namespace is closed. */
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
  /** Where the workers find classes; a task's classes beyond it travel with the task. */
  private final ChildClassPath classPath;

  private Pool(Builder b) {
    this.processes = b.processes;
    this.poolName = "Pool-" + POOLS.incrementAndGet();
    this.ipc = Ipc.temp();
    this.classPath = IpcProcess.classPath(b.classLoaders, List.of());
    WorkerSpec spec = new WorkerSpec(poolName, ipc, b.initializer, b.jvmOptions.toArray(new String[0]),
        b.maxTasksPerWorker, List.copyOf(b.classLoaders));
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

  /**
   * A pool of as many workers as this machine has processors ({@link Runtime#availableProcessors()}), as Python's
   * {@code Pool()}.
   */
  public static Pool create() {
    return builder().build();
  }

  /** A pool of {@code processes} workers. */
  public static Pool create(int processes) {
    return builder().processes(processes).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Number of worker processes. */
  public int processes() {
    return processes;
  }

  /** Applies {@code fn} to every item in the workers; results in item order. */
  public <T, R> List<R> map(SerializableFunction<T, R> fn, List<T> items)
      throws InterruptedException, ExecutionException {
    return map(fn, items, defaultChunk(items.size()));
  }

  /** As {@link #map(SerializableFunction, List)}, sending {@code chunkSize} items per message. */
  public <T, R> List<R> map(SerializableFunction<T, R> fn, List<T> items, int chunkSize)
      throws InterruptedException, ExecutionException {
    return mapAsync(fn, items, chunkSize).get();
  }

  public <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<T, R> fn, List<T> items) {
    return mapAsync(fn, items, defaultChunk(items.size()));
  }

  /** As {@link #mapAsync(SerializableFunction, List)} with an explicit chunk size. */
  public <T, R> CompletableFuture<List<R>> mapAsync(SerializableFunction<T, R> fn, List<T> items, int chunkSize) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(items, "items");
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be positive: chunkSize=" + chunkSize);
    }
    List<CompletableFuture<List<R>>> parts = new ArrayList<>();
    for (int from = 0; from < items.size(); from += chunkSize) {
      ArrayList<T> chunk = new ArrayList<>(items.subList(from, Math.min(items.size(), from + chunkSize)));
      parts.add(submit(new Chunk<>(fn, chunk)));
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      List<R> out = new ArrayList<>(items.size());
      for (CompletableFuture<List<R>> p : parts) {
        out.addAll(p.join());
      }
      return out;
    });
  }

  /** Runs {@code task} in a worker and returns its result. */
  public <R> R apply(SerializableCallable<R> task) throws InterruptedException, ExecutionException {
    CompletableFuture<R> f = applyAsync(task);
    long start = System.nanoTime();
    while (!f.isDone() && System.nanoTime() - start < Dispatcher.QUICK_REPLY_NANOS) {
      Thread.yield();                         // a short task answers sooner than a parked thread wakes
    }
    return f.get();
  }

  public <R> CompletableFuture<R> applyAsync(SerializableCallable<R> task) {
    return submit(Objects.requireNonNull(task, "task"));
  }

  /** Results in item order, each as soon as it and those before it are done; failures as CompletionException. */
  public <T, R> Iterator<R> imap(SerializableFunction<T, R> fn, Iterable<T> items) {
    Objects.requireNonNull(fn, "fn");
    List<CompletableFuture<R>> fs = new ArrayList<>();
    for (T item : items) {
      fs.add(submit(() -> fn.apply(item)));
    }
    Iterator<CompletableFuture<R>> it = fs.iterator();
    return new Iterator<>() {
      @Override public boolean hasNext() {
        return it.hasNext();
      }

      @Override public R next() {
        return it.next().join();
      }
    };
  }

  /** Results in completion order; failures as CompletionException. */
  public <T, R> Iterator<R> imapUnordered(SerializableFunction<T, R> fn, Iterable<T> items) {
    Objects.requireNonNull(fn, "fn");
    BlockingQueue<CompletableFuture<R>> done = new LinkedBlockingQueue<>();
    int n = 0;
    for (T item : items) {
      CompletableFuture<R> f = submit(() -> fn.apply(item));
      f.whenComplete((r, e) -> done.add(f));
      n++;
    }
    final int total = n;
    return new Iterator<>() {
      private int taken;

      @Override public boolean hasNext() {
        return taken < total;
      }

      @Override public R next() {
        if (taken >= total) {
          throw new NoSuchElementException();
        }
        try {
          CompletableFuture<R> f = done.take();
          taken++;
          return f.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CompletionException(e);
        }
      }
    };
  }

  /** No new work (Python's {@code close()}): submitted tasks still run, then the workers exit. */
  public void shutdown() {
    synchronized (stateLock) {
      if (state != State.RUNNING) {
        return;
      }
      state = State.SHUT_DOWN;
      for (int i = 0; i < processes; i++) {
        jobs.add(Job.POISON);
      }
    }
  }

  /** Stops the workers now (SIGKILL); tasks not yet finished fail with {@link CancellationException}. */
  public void terminate() {
    synchronized (stateLock) {
      if (state == State.TERMINATED) {
        return;
      }
      state = State.TERMINATED;
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

  /** Waits for the workers to finish after {@link #shutdown()} (Python's {@code join()}); true if they have. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
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
    synchronized (stateLock) {
      if (state == State.SHUT_DOWN) {
        state = State.TERMINATED;
        ipc.close();
      }
    }
    return true;
  }

  /** {@link #shutdown()} then wait for every task to finish and the workers to exit. */
  @Override
  public void close() {
    shutdown();
    boolean interrupted = false;
    for (;;) {
      try {
        awaitTermination(Duration.ofDays(365));
        break;
      } catch (InterruptedException e) {
        interrupted = true;
        terminate();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return poolName + "[processes=" + processes + ", state=" + state.text + "]";
  }

  private <R> CompletableFuture<R> submit(SerializableCallable<R> callable) {
    Job job = new Job(ids.incrementAndGet(), callable);
    // serialized once, here in the caller: a task that cannot travel fails now, and the dispatcher sends the bytes
    TaskWriter.Written w = IpcProcess.serialize(job, callable);
    job.serialized(w.bytes());
    List<Class<?>> missing = IpcProcess.uncovered(classPath, w.classes());
    if (!missing.isEmpty()) {
      job.classes(ShippedClasses.collect(missing));   // the source launcher's classes, a later plugin's
    }
    synchronized (stateLock) {
      if (state != State.RUNNING) {
        throw new IllegalStateException(poolName + " is " + state.text + ": no new tasks");
      }
      jobs.add(job);
    }
    @SuppressWarnings("unchecked")
    CompletableFuture<R> f = (CompletableFuture<R>) job.future();
    return f;
  }

  private int defaultChunk(int n) {
    return Math.max(1, (n + 4 * processes - 1) / (4 * processes)); // as Python: 4 chunks per worker
  }

  /** Configures a pool. */
  public static final class Builder {
    private int processes = Runtime.getRuntime().availableProcessors();
    private Task initializer;
    private final List<String> jvmOptions = new ArrayList<>();
    private int maxTasksPerWorker;
    private final List<ClassLoader> classLoaders = new ArrayList<>();

    private Builder() {
      // the loader of the code that makes the pool: its classes are what the tasks will use
      Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
          .walk(s -> s.map(StackWalker.StackFrame::getDeclaringClass)
              .filter(c -> c != Pool.class && c != Builder.class).findFirst().orElse(Pool.class));
      if (caller.getClassLoader() != null) {
        classLoaders.add(caller.getClassLoader());
      }
    }

    /**
     * A class loader whose classes the tasks use: its class path joins the workers'. The loader of the code that
     * called {@link Pool#builder()} and the calling thread's context class loader are included already; a task
     * whose classes come from elsewhere still runs (its class files travel with it).
     */
    public Builder classLoader(ClassLoader loader) {
      classLoaders.add(Objects.requireNonNull(loader, "loader"));
      return this;
    }

    /** Number of worker processes (default: available processors). */
    public Builder processes(int processes) {
      if (processes < 1) {
        throw new IllegalArgumentException("processes must be positive: processes=" + processes);
      }
      this.processes = processes;
      return this;
    }

    /** Run once in each worker before its first task. */
    public Builder initializer(Task initializer) {
      this.initializer = Objects.requireNonNull(initializer, "initializer");
      return this;
    }

    /** Extra JVM options for the workers. */
    public Builder jvmOptions(String... options) {
      for (String o : options) {
        jvmOptions.add(Objects.requireNonNull(o, "option"));
      }
      return this;
    }

    /** Replace a worker after it has run this many tasks (0, the default: never). */
    public Builder maxTasksPerWorker(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("maxTasksPerWorker must not be negative: maxTasksPerWorker=" + n);
      }
      this.maxTasksPerWorker = n;
      return this;
    }

    public Pool build() {
      return new Pool(this);
    }
  }
}
