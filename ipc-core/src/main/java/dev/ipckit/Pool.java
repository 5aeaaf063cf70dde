package dev.ipckit;

import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
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
  private static final Serializable STOP = new Stop();
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
  private static final long QUICK_REPLY_NANOS = Long.getLong("ipckit.pool.quickReplyMicros", 2_000L) * 1_000;
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final int processes;
  private final Task initializer;
  private final String[] jvmOptions;
  private final int maxTasksPerWorker;
  private final Ipc ipc;
  private final String poolName;
  private final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
  private final List<Dispatcher> dispatchers = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong();
  private final Object stateLock = new Object();
  private volatile int state; // 0 running, 1 shut down, 2 terminated

  private Pool(Builder b) {
    this.processes = b.processes;
    this.initializer = b.initializer;
    this.jvmOptions = b.jvmOptions.toArray(new String[0]);
    this.maxTasksPerWorker = b.maxTasksPerWorker;
    this.poolName = "Pool-" + POOLS.incrementAndGet();
    this.ipc = Ipc.temp();
    try {
      for (int i = 0; i < processes; i++) {
        Dispatcher d = new Dispatcher(i);
        dispatchers.add(d);
      }
      for (Dispatcher d : dispatchers) {
        d.thread.start();
      }
    } catch (RuntimeException e) {
      terminate();
      throw e;
    }
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
    while (!f.isDone() && System.nanoTime() - start < QUICK_REPLY_NANOS) {
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
      if (state != 0) {
        return;
      }
      state = 1;
      for (int i = 0; i < processes; i++) {
        jobs.add(Job.POISON);
      }
    }
  }

  /** Stops the workers now (SIGKILL); tasks not yet finished fail with {@link CancellationException}. */
  public void terminate() {
    synchronized (stateLock) {
      if (state == 2) {
        return;
      }
      state = 2;
    }
    for (Dispatcher d : dispatchers) {
      d.thread.interrupt();
      d.kill();
    }
    Job j;
    while ((j = jobs.poll()) != null) {
      j.cancel();
    }
    for (Dispatcher d : dispatchers) {
      try {
        d.thread.join(TimeUnit.SECONDS.toMillis(10));
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
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Dispatcher d : dispatchers) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0 && d.thread.isAlive()) {
        return false;
      }
      d.thread.join(Math.max(1, left));
      if (d.thread.isAlive()) {
        return false;
      }
    }
    synchronized (stateLock) {
      if (state == 1) {
        state = 2;
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
    return poolName + "[processes=" + processes + ", state=" + (state == 0 ? "running" : state == 1 ? "shut down"
        : "terminated") + "]";
  }

  private <R> CompletableFuture<R> submit(SerializableCallable<R> callable) {
    Job job = new Job(ids.incrementAndGet(), callable);
    // serialized once, here in the caller: a task that cannot travel fails now, and the dispatcher sends the bytes
    job.bytes = IpcProcess.serialize(job, callable);
    synchronized (stateLock) {
      if (state != 0) {
        throw new IllegalStateException(poolName + " is " + (state == 1 ? "shut down" : "terminated")
            + ": no new tasks");
      }
      jobs.add(job);
    }
    @SuppressWarnings("unchecked")
    CompletableFuture<R> f = (CompletableFuture<R>) job.future;
    return f;
  }

  private int defaultChunk(int n) {
    return Math.max(1, (n + 4 * processes - 1) / (4 * processes)); // as Python: 4 chunks per worker
  }

  // ---- parent side

  /** One worker process and the thread that feeds it. */
  private final class Dispatcher implements Runnable {
    final int index;
    final Thread thread;
    private int incarnation;
    private volatile IpcProcess process;
    private Connection<Serializable> conn;
    private int served;

    Dispatcher(int index) {
      this.index = index;
      this.thread = new Thread(this, poolName + "-dispatch-" + index);
      this.thread.setDaemon(true);
      spawn();
    }

    private void spawn() {
      String pipeName = "worker-" + index + "-" + (++incarnation);
      Pipe<Serializable> pipe = ipc.pipe(pipeName, true, Codec.serializable());
      Connection<Serializable> workerEnd = pipe.right();
      Task init = initializer;
      conn = pipe.left();
      served = 0;
      process = IpcProcess.builder()
          .name(poolName + "-worker-" + index + (incarnation > 1 ? "." + incarnation : ""))
          .daemon(true)
          .jvmOptions(jvmOptions)
          .start(() -> serve(workerEnd, init));
    }

    void kill() {
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
          if (state == 2) {
            job.cancel();
            continue;
          }
          try {
            runJob(job);
          } finally {
            if (state == 2) {
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
        if (maxTasksPerWorker > 0 && served >= maxTasksPerWorker && state != 2) {
          stopWorker();
          spawn();
        }
      } catch (IOException | RuntimeException e) {
        if (state == 2) {
          job.cancel();
          return;
        }
        IpcProcess dead = process;
        try {
          dead.join(Duration.ofSeconds(5));
        } catch (InterruptedException ie) {
          job.cancel();
          throw ie;
        }
        job.future.completeExceptionally(new WorkerDiedException("worker " + dead.name() + " (pid " + dead.pid()
            + ") died" + dead.exitCode().stream().mapToObj(c -> " with exit code " + c).findFirst().orElse("")
            + " while running task #" + job.id, e));
        conn.close();
        dead.kill();
        spawn();
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
        conn.send(STOP);
      } catch (IOException | RuntimeException ignored) {
        // already gone
      }
      if (!p.join(Duration.ofSeconds(30))) {
        p.kill();
      }
      conn.close();
    }
  }

  /** The worker's loop, run in the child JVM. */
  static void serve(Connection<Serializable> conn, Task initializer) throws Exception {
    if (initializer != null) {
      initializer.run();
    }
    for (;;) {
      Serializable m;
      try {
        m = conn.recv();
      } catch (EOFException parentGone) {
        return;
      }
      if (m instanceof Stop) {
        conn.close();
        return;
      }
      Job job = (Job) m;
      Outcome out;
      try {
        Object value = job.call.call();
        // a chunk's results travel packed like its items
        out = new Outcome(job.call instanceof Chunk ? new Packed((List<?>) value) : value, null);
      } catch (Throwable t) {
        out = new Outcome(null, portable(t));
      }
      try {
        conn.send(out);
      } catch (IllegalArgumentException | java.io.UncheckedIOException notSerializable) {
        conn.send(new Outcome(null, portable(new IllegalArgumentException(
            "the result of task #" + job.id + " cannot be sent back: " + notSerializable.getMessage()))));
      }
    }
  }

  /** {@code t} if it serializes, else a RuntimeException carrying its text and stack trace. */
  static Throwable portable(Throwable t) {
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(java.io.OutputStream.nullOutputStream())) {
      out.writeObject(t);
      return t;
    } catch (IOException e) {
      StringWriter sw = new StringWriter();
      t.printStackTrace(new PrintWriter(sw));
      return new RuntimeException(t + " (not serializable; its stack trace in the worker follows)\n" + sw);
    }
  }

  /** Configures a pool. */
  public static final class Builder {
    private int processes = Runtime.getRuntime().availableProcessors();
    private Task initializer;
    private final List<String> jvmOptions = new ArrayList<>();
    private int maxTasksPerWorker;

    private Builder() {
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

  // ---- messages

  private static final class Job implements Serializable {
    private static final long serialVersionUID = 1L;
    static final Job POISON = new Job(-1, null);
    final long id;
    final SerializableCallable<?> call;
    final transient CompletableFuture<Object> future = new CompletableFuture<>();
    /** This job serialized, as the worker's {@code recv()} reads it; written by submit before it queues the job. */
    transient byte[] bytes;

    Job(long id, SerializableCallable<?> call) {
      this.id = id;
      this.call = call;
    }

    void cancel() {
      if (future != null) {
        future.completeExceptionally(new CancellationException("pool terminated before task #" + id + " finished"));
      }
    }
  }

  private static final class Chunk<T, R> implements SerializableCallable<List<R>> {
    private static final long serialVersionUID = 1L;
    private final SerializableFunction<T, R> fn;
    /** A {@link Packed} on the way out; the list it stands for once read back. */
    private final Object items;

    Chunk(SerializableFunction<T, R> fn, ArrayList<T> items) {
      this.fn = fn;
      this.items = new Packed(items);
    }

    @Override @SuppressWarnings("unchecked")
    public List<R> call() {
      List<T> in = (List<T>) (items instanceof Packed ? ((Packed) items).list : items);
      ArrayList<R> out = new ArrayList<>(in.size());
      for (T t : in) {
        out.add(fn.apply(t));
      }
      return out;
    }
  }

  /**
   * A list in a compact serialized form: when every element is an Integer, a Long, a Double or a String (the
   * common items of a map), the values are written as such, without Java serialization's per-object cost
   * (about 150 ns an element); otherwise the list is written as usual. Reads back as an {@link ArrayList}.
   */
  static final class Packed implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final byte OBJECTS = 0;
    private static final byte INTS = 1;
    private static final byte LONGS = 2;
    private static final byte DOUBLES = 3;
    private static final byte STRINGS = 4;

    transient List<?> list;

    Packed(List<?> list) {
      this.list = list;
    }

    private static byte kindOf(List<?> list) {
      if (list.isEmpty()) {
        return OBJECTS;
      }
      Class<?> c = list.get(0) == null ? null : list.get(0).getClass();
      byte k = c == Integer.class ? INTS : c == Long.class ? LONGS : c == Double.class ? DOUBLES
          : c == String.class ? STRINGS : OBJECTS;
      if (k != OBJECTS) {
        for (Object o : list) {
          if (o == null || o.getClass() != c) {
            return OBJECTS;
          }
        }
      }
      return k;
    }

    private void writeObject(java.io.ObjectOutputStream out) throws IOException {
      byte k = kindOf(list);
      out.writeByte(k);
      out.writeInt(list.size());
      switch (k) {
        case INTS:
          for (Object o : list) {
            out.writeInt((Integer) o);
          }
          break;
        case LONGS:
          for (Object o : list) {
            out.writeLong((Long) o);
          }
          break;
        case DOUBLES:
          for (Object o : list) {
            out.writeDouble((Double) o);
          }
          break;
        case STRINGS:
          for (Object o : list) {
            byte[] b = ((String) o).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
          }
          break;
        default:
          for (Object o : list) {
            out.writeObject(o);
          }
      }
    }

    private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
      byte k = in.readByte();
      int n = in.readInt();
      if (n < 0) {
        throw new java.io.InvalidObjectException("negative list size " + n);
      }
      ArrayList<Object> l = new ArrayList<>(Math.min(n, 1 << 16));
      for (int i = 0; i < n; i++) {
        switch (k) {
          case INTS:
            l.add(in.readInt());
            break;
          case LONGS:
            l.add(in.readLong());
            break;
          case DOUBLES:
            l.add(in.readDouble());
            break;
          case STRINGS:
            int len = in.readInt();
            if (len < 0) {
              throw new java.io.InvalidObjectException("negative string length " + len);
            }
            byte[] b = in.readNBytes(len);
            if (b.length != len) {
              throw new java.io.EOFException("string truncated: " + b.length + " of " + len + " bytes");
            }
            l.add(new String(b, java.nio.charset.StandardCharsets.UTF_8));
            break;
          case OBJECTS:
            l.add(in.readObject());
            break;
          default:
            throw new java.io.InvalidObjectException("unknown list encoding " + k);
        }
      }
      list = l;
    }
  }

  /** What a worker sends back: a value or the error its task threw. */
  private static final class Outcome implements Serializable {
    private static final long serialVersionUID = 1L;
    final Object value;
    final Throwable error;

    Outcome(Object value, Throwable error) {
      this.value = value;
      this.error = error;
    }
  }

  private static final class Stop implements Serializable {
    private static final long serialVersionUID = 1L;
  }
}
