package dev.ipckit.internal.pool;

import dev.ipckit.CheckedFunction;
import dev.ipckit.internal.pool.PoolMessages.Chunk;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The iterator of {@code Pool.imap} and {@code Pool.imapUnordered}: it pulls the caller's items in chunks and
 * submits each chunk as a {@link Chunk} job, lazily and within two bounds, and returns the results in item order or
 * in completion order.
 *
 * <p><b>Bounds.</b> At most {@code maxInFlight} chunks are submitted and not yet complete, and at most
 * {@code maxAhead} chunks have been pulled whose items {@link #next()} has not all returned. Whenever either bound
 * leaves room, more is pulled: when the consumer has taken the last item of a chunk (in its thread), and when a
 * chunk completes (in the thread that completed it, usually the worker's dispatcher). So the workers keep busy while
 * the consumer keeps up, an endless source streams, and a slow consumer stops the pulling instead of making results
 * pile up.
 *
 * <p><b>Failures.</b> A chunk that failed fails each of its items: {@code next()} throws a
 * {@link CompletionException} whose cause is the failure ({@link CancellationException} as it is: the pool was
 * terminated), and goes on with the next item. An exception from the source, or a pool that no longer takes tasks,
 * becomes one failure at its place ({@link CompletionException} with the source's exception as its cause; the
 * pool's {@link IllegalStateException} as it is) and ends the iteration: the source is not pulled again. Unordered,
 * that place is after the chunks submitted before it.
 *
 * <p><b>Thread safety.</b> One consumer thread at a time calls {@code hasNext()} and {@code next()}, as with any
 * iterator. The source is pulled, and chunks submitted, only under {@code lock}, so the source need not be
 * thread-safe. A completion never waits for the lock: it sets {@code refillWanted} and tries the lock; whoever
 * holds the lock looks at the flag after letting go and fills again (see {@link #unlock()}).
 *
 * @param <T> the type of the items
 * @param <R> the type of the results
 */
public final class LazyMap<T, R> implements Iterator<R> {
  private final Iterator<T> source;
  private final CheckedFunction<T, R> fn;
  private final int chunkSize;
  private final boolean ordered;
  private final int maxInFlight;
  private final int maxAhead;
  private final Function<Chunk<T, R>, CompletableFuture<List<R>>> submit;
  private final BooleanSupplier accepting;

  /** Guards the source, {@link #ahead}, {@link #sourceEnded}, {@link #pulled} and {@link #inOrder}. */
  private final ReentrantLock lock = new ReentrantLock();
  /** Set by a completion before it tries the lock; looked at by every holder after it lets go. */
  private volatile boolean refillWanted;
  /** Chunks submitted and not yet complete. */
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Parts whose items {@code next()} has not all returned: submitted chunks and failures to report. */
  private int ahead;
  /** Nothing more is pulled: the source is exhausted or threw, or the pool stopped taking tasks. */
  private boolean sourceEnded;
  /** Items pulled from the source so far. */
  private long pulled;
  /** Ordered: every part not fully taken, in item order. */
  private final ArrayDeque<Part<R>> inOrder = new ArrayDeque<>();
  /** Unordered: the parts complete and not yet begun, in completion order. */
  private final BlockingQueue<Part<R>> completed = new LinkedBlockingQueue<>();
  /** Unordered: the failure that ends the iteration, until the chunks in flight have completed. */
  private final AtomicReference<Part<R>> ending = new AtomicReference<>();
  /** Unordered: the part whose items {@code next()} is returning; the consumer's own. */
  private Part<R> current;

  private LazyMap(Iterator<T> source, CheckedFunction<T, R> fn, int chunkSize, boolean ordered, int maxInFlight,
                  int maxAhead, Function<Chunk<T, R>, CompletableFuture<List<R>>> submit,
                  BooleanSupplier accepting) {
    this.source = source;
    this.fn = fn;
    this.chunkSize = chunkSize;
    this.ordered = ordered;
    this.maxInFlight = maxInFlight;
    this.maxAhead = maxAhead;
    this.submit = submit;
    this.accepting = accepting;
  }

  /**
   * An iterator of {@code fn} applied to the items of {@code source}, whose first chunks are submitted before it is
   * returned.
   *
   * @param chunkSize   items per chunk, at least 1
   * @param ordered     results in item order (else in completion order, a chunk's items in chunk order)
   * @param maxInFlight chunks submitted and not yet complete, at most; at least 1
   * @param maxAhead    chunks pulled whose results have not all been taken, at most; at least {@code maxInFlight}
   * @param submit      queues a chunk in the pool; throws when the pool does not take it
   * @param accepting   whether the pool takes new tasks: a chunk it refused while not ends the iteration
   */
  public static <T, R> LazyMap<T, R> start(Iterator<T> source, CheckedFunction<T, R> fn, int chunkSize,
                                           boolean ordered, int maxInFlight, int maxAhead,
                                           Function<Chunk<T, R>, CompletableFuture<List<R>>> submit,
                                           BooleanSupplier accepting) {
    LazyMap<T, R> m = new LazyMap<>(source, fn, chunkSize, ordered, maxInFlight, maxAhead, submit, accepting);
    m.lock.lock();
    try {
      m.fill();
    } finally {
      m.unlock();
    }
    return m;
  }

  /** True while an item's result (or failure) is still to come; pulls from the source only to find out. */
  @Override
  public boolean hasNext() {
    lock.lock();
    try {
      if (ahead == 0) {
        fill();
      }
      return ahead > 0;
    } finally {
      unlock();
    }
  }

  /**
   * The next result, waiting for it.
   *
   * @throws CompletionException   if the function failed for this item (the cause is its failure), the source threw
   *                               (the cause is what it threw), or the wait was interrupted (the cause is the
   *                               {@link InterruptedException}; nothing is taken and the interrupt status is kept)
   * @throws CancellationException if the pool was terminated before this item's result came
   * @throws IllegalStateException if the pool stopped taking tasks before this item could be submitted
   */
  @Override
  public R next() {
    Part<R> p;
    lock.lock();
    try {
      if (ahead == 0) {
        fill();
      }
      if (ahead == 0) {
        throw new NoSuchElementException("all " + pulled + " items are done");
      }
      p = ordered ? inOrder.peekFirst() : current;
    } finally {
      unlock();
    }
    if (p == null) {                              // unordered, between two parts: one of those ahead will complete
      try {
        p = completed.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CompletionException(e);
      }
      current = p;
    }
    return take(p);
  }

  /** Waits for part {@code p}, then takes its next item: returns its result or throws its failure. */
  private R take(Part<R> p) {
    List<R> values = null;
    RuntimeException failure = p.failure;
    if (failure == null) {
      try {
        values = p.future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CompletionException(e);
      } catch (ExecutionException e) {
        failure = new CompletionException(e.getCause());
      } catch (CancellationException e) {
        failure = e;
      }
    }
    int i;
    lock.lock();
    try {
      i = p.taken++;
      if (p.taken == p.size) {
        if (ordered) {
          inOrder.removeFirst();
        } else {
          current = null;
        }
        ahead--;
        fill();                                   // room for one more chunk ahead
      }
    } finally {
      unlock();
    }
    if (failure != null) {
      throw failure;
    }
    return values.get(i);
  }

  /** Pulls and submits chunks while the source has items and both bounds leave room; under the lock. */
  private void fill() {
    while (!sourceEnded && ahead < maxAhead && inFlight.get() < maxInFlight) {
      ArrayList<T> items = new ArrayList<>(Math.min(chunkSize, 1024));
      RuntimeException broken = null;
      try {
        while (items.size() < chunkSize && source.hasNext()) {
          items.add(source.next());
          pulled++;
        }
      } catch (RuntimeException e) {
        broken = e;
      }
      sourceEnded = items.size() < chunkSize;    // exhausted, or threw: an iterator that threw is not asked again
      if (!items.isEmpty() && !submit(items)) {
        return;
      }
      if (broken != null) {
        end(new Part<>(null, 1, new CompletionException("the iterator of the items threw after " + pulled
            + " items", broken)));
      }
    }
  }

  /** Submits {@code items} as a chunk; false if the pool no longer takes tasks, which ends the iteration. */
  private boolean submit(ArrayList<T> items) {
    CompletableFuture<List<R>> f;
    try {
      f = submit.apply(new Chunk<>(fn, items));
    } catch (RuntimeException e) {
      if (!accepting.getAsBoolean()) {
        sourceEnded = true;
        end(new Part<>(null, 1, e instanceof IllegalStateException ? e : new IllegalStateException(e.toString(), e)));
        return false;
      }
      add(new Part<>(null, items.size(), new CompletionException(e)));   // these items cannot travel; others go on
      return true;
    }
    Part<R> p = new Part<>(f, items.size(), null);
    inFlight.incrementAndGet();
    ahead++;
    if (ordered) {
      inOrder.addLast(p);
    }
    f.whenComplete((v, e) -> completed(p));      // may run at once, in this thread: refill() then leaves it to us
    return true;
  }

  /** Counts in a failure known before anything was submitted for it. */
  private void add(Part<R> failed) {
    ahead++;
    if (ordered) {
      inOrder.addLast(failed);
    } else {
      completed.add(failed);
    }
  }

  /**
   * Counts in the failure that ends the iteration, once nothing more will be pulled. Unordered, it waits in
   * {@link #ending} until the chunks in flight have completed, so that it comes last.
   */
  private void end(Part<R> last) {
    ahead++;
    if (ordered) {
      inOrder.addLast(last);
    } else {
      ending.set(last);                           // then look: a completion that saw no ending part saw in flight > 0
      if (inFlight.get() == 0) {
        releaseEnding();
      }
    }
  }

  /** Unordered: hands the ending failure to the consumer, once, when the last chunk in flight has completed. */
  private void releaseEnding() {
    Part<R> last = ending.getAndSet(null);
    if (last != null) {
      completed.add(last);
    }
  }

  /** A chunk completed: an unordered consumer may take it, it no longer counts in flight, and there may be room. */
  private void completed(Part<R> p) {
    if (ordered) {
      inFlight.decrementAndGet();
    } else {
      completed.add(p);                           // before the ending failure, which waits for in flight to be 0
      if (inFlight.decrementAndGet() == 0) {
        releaseEnding();
      }
    }
    refill();
  }

  /** Fills if the lock is free; else the thread that holds it fills when it lets go (see {@link #unlock()}). */
  private void refill() {
    refillWanted = true;
    if (!lock.isHeldByCurrentThread() && lock.tryLock()) {
      unlock();
    }
  }

  /**
   * Lets go of the lock, first filling if a completion asked for it. A completion sets {@code refillWanted} before
   * its {@code tryLock}; when that fails, the holder's unlock comes after it, and the holder's reading of the flag
   * after that: the request is never lost.
   */
  private void unlock() {
    do {
      try {
        if (refillWanted) {
          refillWanted = false;
          fill();
        }
      } finally {
        lock.unlock();
      }
    } while (refillWanted && lock.tryLock());
  }

  /** A chunk's items, or a failure in their place. */
  private static final class Part<R> {
    /** The chunk's results; null for a failure known when the part was made. */
    final CompletableFuture<List<R>> future;
    /** How many items this part stands for. */
    final int size;
    /** Thrown for each of the part's items instead of waiting; null for a submitted chunk. */
    final RuntimeException failure;
    /** Items the consumer has taken; the consumer's own. */
    int taken;

    Part(CompletableFuture<List<R>> future, int size, RuntimeException failure) {
      this.future = future;
      this.size = size;
      this.failure = failure;
    }
  }
}
