package dev.ipckit;

import dev.ipckit.internal.pool.Dispatcher;
import dev.ipckit.internal.pool.LazyMap;
import dev.ipckit.internal.pool.PoolMessages.Chunk;
import dev.ipckit.internal.pool.Spread;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

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
 * Functions and tasks travel by Java serialization: use lambdas (of {@link CheckedFunction}, which may throw checked
 * exceptions, {@link CheckedBiFunction} and {@link CheckedTriFunction} for {@code starmap}, and
 * {@link SerializableCallable}) that capture only serializable values and ipckit handles.
 *
 * <p>Python's vocabulary: {@code map}, {@code map_async}, {@code starmap} (over {@link Args} tuples),
 * {@code starmap_async}, {@code apply}, {@code apply_async}, {@code imap} and {@code imap_unordered} (lazy, with a
 * chunk size), {@code close} ({@link #shutdown()}), {@code terminate} and {@code join}
 * ({@link #awaitTermination(Duration)}).
 *
 * <p><b>Worker death.</b> Where Python's pool hangs, this one does not: a worker that dies (a crash,
 * {@code System.exit}, SIGKILL) fails exactly the task it was running, with an {@link ExecutionException} whose
 * cause is a {@link WorkerDiedException} naming the worker, its pid and exit code, and is replaced by a new
 * worker; every other task goes on. A task that throws fails its own future with the exception (rebuilt from
 * text when it is not serializable).
 *
 * <p><b>Across machines.</b> {@link Builder#remote(URI, String)} makes a pool whose tasks run in workers started
 * on any machine that reaches a location ({@code java -cp <app> dev.ipckit.PoolWorker <location> <poolName>}, see
 * {@link PoolWorker}), with the same methods, results and exceptions. A worker that dies fails exactly the task it
 * was running with a {@link WorkerDiedException}; the task is not run again.
 *
 * <p><b>Thread safety.</b> All methods may be called from any thread.
 */
public final class Pool implements AutoCloseable {
  private final PoolLifecycle life;

  private Pool(PoolLifecycle life) {
    this.life = life;
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

  /** A builder of a pool: the number of workers, an initializer, JVM options, class loaders, worker recycling. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Number of worker processes; for a remote pool, the number {@link Builder#processes(int)} gave, else the worker
   * threads alive when it connected (at least 1): the chunk sizes of {@code map} and the bounds of {@code imap}
   * follow it.
   */
  public int processes() {
    return life.processes();
  }

  /**
   * Applies {@code fn} to every item in the workers and returns the results in item order, as Python's
   * {@code map}. The items travel in chunks, about four per worker (as Python's default).
   *
   * @param fn    the function; it may throw checked exceptions
   * @param items the items, in order
   * @return the results, in item order
   * @throws ExecutionException    if {@code fn} threw for an item (the cause is what it threw), a worker died
   *                               running a chunk ({@link WorkerDiedException}) or a result could not be read
   * @throws InterruptedException  if the caller is interrupted while it waits
   * @throws IllegalStateException if the pool has been shut down or terminated
   */
  public <T, R> List<R> map(CheckedFunction<T, R> fn, List<T> items)
      throws InterruptedException, ExecutionException {
    return map(fn, items, defaultChunk(items.size()));
  }

  /**
   * As {@link #map(CheckedFunction, List)}, sending {@code chunkSize} items per message.
   *
   * @throws IllegalArgumentException if {@code chunkSize} is less than 1
   */
  public <T, R> List<R> map(CheckedFunction<T, R> fn, List<T> items, int chunkSize)
      throws InterruptedException, ExecutionException {
    return mapAsync(fn, items, chunkSize).get();
  }

  /**
   * As {@link #map(CheckedFunction, List)}, without waiting: the future completes with the results in item order,
   * or fails with the first failure (of the chunks in item order).
   *
   * @throws IllegalStateException if the pool has been shut down or terminated
   */
  public <T, R> CompletableFuture<List<R>> mapAsync(CheckedFunction<T, R> fn, List<T> items) {
    return mapAsync(fn, items, defaultChunk(items.size()));
  }

  /**
   * As {@link #mapAsync(CheckedFunction, List)} with an explicit chunk size.
   *
   * @throws IllegalArgumentException if {@code chunkSize} is less than 1
   */
  public <T, R> CompletableFuture<List<R>> mapAsync(CheckedFunction<T, R> fn, List<T> items, int chunkSize) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(items, "items");
    requirePositiveChunk(chunkSize);
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

  /**
   * Applies {@code fn} to the two parts of every tuple and returns the results in tuple order, as Python's
   * {@code starmap}. Java has no tuple literal, so where Python writes {@code pool.starmap(f, [(1, 2), (3, 4)])}, the
   * arguments travel as typed {@link Args.Two} records and the function takes them as its parameters:
   * {@code pool.starmap((a, b) -> a + b, List.of(Args.of(1, 2), Args.of(3, 4)))} is {@code [3, 7]}. A lambda's
   * arity picks this method or the one over {@link Args.Three}. It is {@link #map(CheckedFunction, List)} over the
   * tuples: chunked, and failing, the same way.
   *
   * @throws ExecutionException    if {@code fn} threw for a tuple (the cause is what it threw), or as {@code map}
   * @throws InterruptedException  if the caller is interrupted while it waits
   * @throws IllegalStateException if the pool has been shut down or terminated
   */
  public <A, B, R> List<R> starmap(CheckedBiFunction<A, B, R> fn, List<Args.Two<A, B>> items)
      throws InterruptedException, ExecutionException {
    return map(Spread.two(Objects.requireNonNull(fn, "fn")), items);
  }

  /**
   * As {@link #starmap(CheckedBiFunction, List)}, sending {@code chunkSize} tuples per message.
   *
   * @throws IllegalArgumentException if {@code chunkSize} is less than 1
   */
  public <A, B, R> List<R> starmap(CheckedBiFunction<A, B, R> fn, List<Args.Two<A, B>> items, int chunkSize)
      throws InterruptedException, ExecutionException {
    return map(Spread.two(Objects.requireNonNull(fn, "fn")), items, chunkSize);
  }

  /**
   * As {@link #starmap(CheckedBiFunction, List)} over tuples of three: {@code pool.starmap((a, b, c) -> a + b * c,
   * List.of(Args.of(1, 2, 3)))} is {@code [7]}.
   *
   * @throws ExecutionException    if {@code fn} threw for a tuple (the cause is what it threw), or as {@code map}
   * @throws InterruptedException  if the caller is interrupted while it waits
   * @throws IllegalStateException if the pool has been shut down or terminated
   */
  public <A, B, C, R> List<R> starmap(CheckedTriFunction<A, B, C, R> fn, List<Args.Three<A, B, C>> items)
      throws InterruptedException, ExecutionException {
    return map(Spread.three(Objects.requireNonNull(fn, "fn")), items);
  }

  /**
   * As {@link #starmap(CheckedTriFunction, List)}, sending {@code chunkSize} tuples per message.
   *
   * @throws IllegalArgumentException if {@code chunkSize} is less than 1
   */
  public <A, B, C, R> List<R> starmap(CheckedTriFunction<A, B, C, R> fn, List<Args.Three<A, B, C>> items,
                                      int chunkSize) throws InterruptedException, ExecutionException {
    return map(Spread.three(Objects.requireNonNull(fn, "fn")), items, chunkSize);
  }

  /**
   * As {@link #starmap(CheckedBiFunction, List)}, without waiting, as Python's {@code starmap_async}.
   *
   * @throws IllegalStateException if the pool has been shut down or terminated
   */
  public <A, B, R> CompletableFuture<List<R>> starmapAsync(CheckedBiFunction<A, B, R> fn,
                                                           List<Args.Two<A, B>> items) {
    return mapAsync(Spread.two(Objects.requireNonNull(fn, "fn")), items);
  }

  /**
   * As {@link #starmapAsync(CheckedBiFunction, List)} with an explicit chunk size.
   *
   * @throws IllegalArgumentException if {@code chunkSize} is less than 1
   */
  public <A, B, R> CompletableFuture<List<R>> starmapAsync(CheckedBiFunction<A, B, R> fn,
                                                           List<Args.Two<A, B>> items, int chunkSize) {
    return mapAsync(Spread.two(Objects.requireNonNull(fn, "fn")), items, chunkSize);
  }

  /**
   * As {@link #starmap(CheckedTriFunction, List)}, without waiting.
   *
   * @throws IllegalStateException if the pool has been shut down or terminated
   */
  public <A, B, C, R> CompletableFuture<List<R>> starmapAsync(CheckedTriFunction<A, B, C, R> fn,
                                                              List<Args.Three<A, B, C>> items) {
    return mapAsync(Spread.three(Objects.requireNonNull(fn, "fn")), items);
  }

  /**
   * As {@link #starmapAsync(CheckedTriFunction, List)} with an explicit chunk size.
   *
   * @throws IllegalArgumentException if {@code chunkSize} is less than 1
   */
  public <A, B, C, R> CompletableFuture<List<R>> starmapAsync(CheckedTriFunction<A, B, C, R> fn,
                                                              List<Args.Three<A, B, C>> items, int chunkSize) {
    return mapAsync(Spread.three(Objects.requireNonNull(fn, "fn")), items, chunkSize);
  }

  /**
   * Runs {@code task} in a worker and returns its result.
   *
   * @throws ExecutionException    if the task threw (the cause is what it threw) or its worker died
   * @throws InterruptedException  if the caller is interrupted while it waits
   * @throws IllegalStateException if the pool has been shut down or terminated
   */
  public <R> R apply(SerializableCallable<R> task) throws InterruptedException, ExecutionException {
    CompletableFuture<R> f = applyAsync(task);
    long start = System.nanoTime();
    while (!f.isDone() && System.nanoTime() - start < Dispatcher.QUICK_REPLY_NANOS) {
      Thread.yield();                         // a short task answers sooner than a parked thread wakes
    }
    return f.get();
  }

  /**
   * Runs {@code task} in a worker, without waiting: the future completes with its result or what it threw.
   *
   * @throws IllegalArgumentException if the task cannot be serialized
   * @throws IllegalStateException    if the pool has been shut down or terminated
   */
  public <R> CompletableFuture<R> applyAsync(SerializableCallable<R> task) {
    return submit(Objects.requireNonNull(task, "task"));
  }

  /**
   * Applies {@code fn} to every item in the workers, lazily, as Python's {@code imap}: the results come in item
   * order, each as soon as it and those before it are done. The items travel one per message; see
   * {@link #imap(CheckedFunction, Iterable, int)} for chunks, and for how the items are pulled and how failures
   * show.
   *
   * @throws IllegalStateException if the pool has been shut down or terminated
   */
  public <T, R> Iterator<R> imap(CheckedFunction<T, R> fn, Iterable<T> items) {
    return imap(fn, items, 1);
  }

  /**
   * As {@link #imap(CheckedFunction, Iterable)}, sending {@code chunkSize} items per message.
   *
   * <p><b>Lazy and bounded.</b> The items are pulled as the work goes, never all at once: at most
   * {@code 2 × processes()} chunks are in the workers or waiting for one, and at most {@code 4 × processes()} chunks
   * have been pulled whose results {@code next()} has not all returned. More are pulled when a chunk completes and
   * when the consumer takes a chunk's last result, so an endless iterable streams, and a consumer that falls behind
   * stops the pulling rather than making results pile up. The first chunks are submitted before this method
   * returns. The iterable's iterator is called by one thread at a time (the caller's in {@code hasNext()} and
   * {@code next()}, or a pool thread when a chunk completes), so it need not be thread-safe; {@code hasNext()}
   * waits for no result, only, when nothing has been pulled ahead, for that iterator.
   *
   * <p><b>Failures.</b> {@code next()} throws a {@link CompletionException} for an item that failed: its cause is
   * what {@code fn} threw, a {@link WorkerDiedException}, or why the item could not be sent; with {@code chunkSize}
   * above 1 a failure fails every item of its chunk. Iteration goes on with the next item. An exception from the
   * iterable's iterator is thrown by {@code next()} at its place, as a {@link CompletionException} whose cause it
   * is, and ends the iteration (the iterator is not called again). If the pool is terminated meanwhile, the items
   * in the workers fail with {@link CancellationException}; if it is shut down or terminated, the chunks already
   * submitted still come, then {@code next()} throws the pool's {@link IllegalStateException} once and the
   * iteration ends. An interrupted {@code next()} throws a {@link CompletionException} whose cause is the
   * {@link InterruptedException}, keeps the interrupt status and takes nothing.
   *
   * <p>The iterator is for one thread at a time, as any iterator; its {@code remove()} is unsupported.
   *
   * @throws IllegalArgumentException if {@code chunkSize} is less than 1
   * @throws IllegalStateException    if the pool has been shut down or terminated
   */
  public <T, R> Iterator<R> imap(CheckedFunction<T, R> fn, Iterable<T> items, int chunkSize) {
    return lazyMap(fn, items, chunkSize, true);
  }

  /**
   * As {@link #imap(CheckedFunction, Iterable)}, with the results in completion order, as Python's
   * {@code imap_unordered}.
   *
   * @throws IllegalStateException if the pool has been shut down or terminated
   */
  public <T, R> Iterator<R> imapUnordered(CheckedFunction<T, R> fn, Iterable<T> items) {
    return imapUnordered(fn, items, 1);
  }

  /**
   * As {@link #imap(CheckedFunction, Iterable, int)}, with the results in completion order: chunks in the order
   * they complete, and the items of a chunk (which completes as a whole) in chunk order. The same bounds hold and
   * failures show the same way, an item's where its chunk completed; the iterable's exception, and a pool that no
   * longer takes tasks, come after every chunk submitted before them.
   *
   * @throws IllegalArgumentException if {@code chunkSize} is less than 1
   * @throws IllegalStateException    if the pool has been shut down or terminated
   */
  public <T, R> Iterator<R> imapUnordered(CheckedFunction<T, R> fn, Iterable<T> items, int chunkSize) {
    return lazyMap(fn, items, chunkSize, false);
  }

  /** No new work (Python's {@code close()}): submitted tasks still run, then the workers exit. */
  public void shutdown() {
    life.shutdown();
  }

  /**
   * Stops the workers now (SIGKILL); tasks not yet finished fail with {@link CancellationException}. A remote pool's
   * workers serve others too: its tasks no worker has taken are removed, and those running finish unheeded.
   */
  public void terminate() {
    life.terminate();
  }

  /** Waits for the workers to finish after {@link #shutdown()} (Python's {@code join()}); true if they have. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return life.awaitTermination(timeout);
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
    return life.toString();
  }

  private <R> CompletableFuture<R> submit(SerializableCallable<R> callable) {
    return life.submit(callable);
  }

  private <T, R> Iterator<R> lazyMap(CheckedFunction<T, R> fn, Iterable<T> items, int chunkSize, boolean ordered) {
    Objects.requireNonNull(fn, "fn");
    Objects.requireNonNull(items, "items");
    requirePositiveChunk(chunkSize);
    if (!life.running()) {
      throw life.noNewTasks();
    }
    Iterator<T> source = Objects.requireNonNull(items.iterator(), "items.iterator()");
    int processes = life.processes();
    return LazyMap.start(source, fn, chunkSize, ordered, 2 * processes, 4 * processes, life::submit, life::running);
  }

  private static void requirePositiveChunk(int chunkSize) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be positive: chunkSize=" + chunkSize);
    }
  }

  private int defaultChunk(int n) {
    int processes = life.processes();
    return Math.max(1, (n + 4 * processes - 1) / (4 * processes)); // as Python: 4 chunks per worker
  }

  /** Configures a pool. */
  public static final class Builder {
    private final PoolSettings settings;

    private Builder() {
      // the loader of the code that makes the pool: its classes are what the tasks will use
      settings = new PoolSettings(StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
          .walk(s -> s.map(StackWalker.StackFrame::getDeclaringClass)
              .filter(c -> c != Pool.class && c != Builder.class).findFirst().orElse(Pool.class)));
    }

    /**
     * A class loader whose classes the tasks use: its class path joins the workers'. The loader of the code that
     * called {@link Pool#builder()} and the calling thread's context class loader are included already; a task
     * whose classes come from elsewhere still runs (its class files travel with it).
     */
    public Builder classLoader(ClassLoader loader) {
      settings.classLoaders.add(Objects.requireNonNull(loader, "loader"));
      return this;
    }

    /** Number of worker processes (default: available processors). */
    public Builder processes(int processes) {
      settings.processes(processes);
      return this;
    }

    /** Run once in each worker before its first task. */
    public Builder initializer(Task initializer) {
      settings.initializer = Objects.requireNonNull(initializer, "initializer");
      return this;
    }

    /** Extra JVM options for the workers. */
    public Builder jvmOptions(String... options) {
      for (String o : options) {
        settings.jvmOptions.add(Objects.requireNonNull(o, "option"));
      }
      return this;
    }

    /** Replace a worker after it has run this many tasks (0, the default: never). */
    public Builder maxTasksPerWorker(int n) {
      settings.maxTasksPerWorker(n);
      return this;
    }

    /**
     * Sends the tasks to the workers of pool {@code poolName} at {@code location} instead of starting workers: the
     * processes that run {@code java -cp <app> dev.ipckit.PoolWorker <location> <poolName>} on any machine that
     * reaches it, and find the tasks' classes on their own class path ({@code <app>}); nothing is shipped. The
     * location's scheme needs its service on the class path ({@code redis://host:port/ns}: {@code ipc-redis}).
     * {@link #processes(int)}, if given, only sizes the chunks; {@link #classLoader} is not used; {@link #initializer},
     * {@link #jvmOptions} and {@link #maxTasksPerWorker} belong to the workers' command and make {@link #build()}
     * throw.
     */
    public Builder remote(URI location, String poolName) {
      settings.remote(location, poolName);
      return this;
    }

    /**
     * Starts the workers of a pool so configured, or, for a {@link #remote} pool, connects to its workers.
     *
     * @throws IllegalStateException if a remote pool is given an initializer, JVM options or worker recycling (they
     *                               are the workers' own), if its workers speak another version of the wire format,
     *                               or if no service on the class path serves its location's scheme
     */
    public Pool build() {
      return new Pool(new PoolLifecycle(settings.checked()));
    }
  }
}
