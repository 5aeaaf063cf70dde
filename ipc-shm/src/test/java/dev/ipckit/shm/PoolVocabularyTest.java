package dev.ipckit.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ipckit.Args;
import dev.ipckit.CheckedFunction;
import dev.ipckit.Pool;
import dev.ipckit.SerializableFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pool's functions that throw, {@code starmap} over {@link Args}, and the lazy, bounded {@code imap}. */
@Tag("process")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolVocabularyTest {
  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  private static <R> List<R> drain(Iterator<R> it) {
    List<R> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private static List<Integer> sorted(List<Integer> l) {
    List<Integer> s = new ArrayList<>(l);
    s.sort(null);
    return s;
  }

  /** 0, 1, 2, ... without end; counts what was pulled and opens a latch when {@code bound} items were. */
  private static final class Counting implements Iterable<Integer> {
    final AtomicInteger pulled = new AtomicInteger();
    final CountDownLatch reachedBound = new CountDownLatch(1);
    final AtomicBoolean overlapped = new AtomicBoolean();
    private final AtomicBoolean inside = new AtomicBoolean();
    private final int bound;

    Counting(int bound) {
      this.bound = bound;
    }

    @Override
    public Iterator<Integer> iterator() {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return true;
        }

        @Override
        public Integer next() {
          if (!inside.compareAndSet(false, true)) {
            overlapped.set(true);
          }
          try {
            int n = pulled.getAndIncrement();
            if (n + 1 == bound) {
              reachedBound.countDown();
            }
            return n;
          } finally {
            inside.set(false);
          }
        }
      };
    }
  }

  @Test
  void functionsMayThrowCheckedExceptionsAndOldCallsStillCompile() throws Exception {
    try (Pool pool = Pool.create(2)) {
      assertEquals(List.of(2, 4, 6), pool.map(x -> {
        Thread.sleep(1);
        return x * 2;
      }, List.of(1, 2, 3)));
      assertEquals(List.of(2, 4, 6), pool.mapAsync(x -> {
        Thread.sleep(1);
        return x * 2;
      }, List.of(1, 2, 3), 2).get(60, TimeUnit.SECONDS));
      assertEquals(List.of("v1", "v2"), drain(pool.imap(x -> {
        Thread.sleep(1);
        return "v" + x;
      }, List.of(1, 2))));
      SerializableFunction<Integer, Integer> inc = x -> x + 1;
      assertEquals(List.of(2, 3), pool.map(inc, List.of(1, 2)));
      assertEquals(List.of(2, 3), pool.map(inc, List.of(1, 2), 1));
      assertEquals(List.of(2, 3), drain(pool.imap(inc, List.of(1, 2))));
      // the README's example, as it is written there
      List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));
      long pid = pool.apply(() -> ProcessHandle.current().pid());
      Iterator<String> it = pool.imapUnordered(x -> "v" + x, List.of(1, 2, 3));
      List<Integer> sums = pool.starmap((a, b) -> a + b, List.of(Args.of(1, 2), Args.of(3, 4)));   // [3, 7]
      Iterable<Integer> naturals = Stream.iterate(1, i -> i + 1)::iterator;                     // endless
      Iterator<Integer> slow = pool.imap(x -> { Thread.sleep(10); return x * 2; }, naturals, 8); // lazy, 8 a message
      assertEquals(List.of(3, 7), sums);
      assertEquals(List.of(2, 4, 6), List.of(slow.next(), slow.next(), slow.next()));
      assertEquals(List.of(1, 4, 9), squares);
      assertNotEquals(ProcessHandle.current().pid(), pid);
      assertEquals(Set.of("v1", "v2", "v3"), new HashSet<>(drain(it)));
    }
  }

  @Test
  void whatTheFunctionThrowsIsTheCause() throws Exception {
    try (Pool pool = Pool.create(2)) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> pool.map(x -> {
        if (x == 5) {
          throw new IOException("no " + x);
        }
        return x;
      }, range(10), 3));
      assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
      assertEquals("no 5", e.getCause().getMessage());
      ExecutionException async = assertThrows(ExecutionException.class, () -> pool.mapAsync(x -> {
        throw new TimeoutException("late " + x);
      }, List.of(1)).get(60, TimeUnit.SECONDS));
      assertTrue(async.getCause() instanceof TimeoutException, String.valueOf(async.getCause()));
      assertEquals("late 1", async.getCause().getMessage());
      assertEquals(List.of(0, 1), pool.map(x -> x, range(2)), "the pool goes on");
    }
  }

  @Test
  void starmapSpreadsTwoAndThreeArguments() throws Exception {
    assertEquals(new Args.Two<>(1, "a"), Args.of(1, "a"));
    assertEquals(3, Args.of(1, 2, 3).third());
    try (Pool pool = Pool.create(2)) {
      assertEquals(List.of(3, 7), pool.starmap((a, b) -> a + b, List.of(Args.of(1, 2), Args.of(3, 4))));
      assertEquals(List.of(7), pool.starmap((a, b, c) -> a + b * c, List.of(Args.of(1, 2, 3))));
      assertEquals(List.of("xxx", "yy"),
          pool.starmap((s, n) -> s.repeat(n), List.of(Args.of("x", 3), Args.of("y", 2))));

      List<Args.Two<Integer, Integer>> pairs = range(100).stream().map(i -> Args.of(i, i + 1))
          .collect(Collectors.toList());
      List<Integer> products = range(100).stream().map(i -> i * (i + 1)).collect(Collectors.toList());
      assertEquals(products, pool.starmap((a, b) -> a * b, pairs, 7));
      assertEquals(products, pool.starmapAsync((a, b) -> a * b, pairs).get(60, TimeUnit.SECONDS));
      assertEquals(products, pool.starmapAsync((a, b) -> a * b, pairs, 1).get(60, TimeUnit.SECONDS));
      List<Args.Three<Integer, Integer, String>> triples = range(50).stream().map(i -> Args.of(i, i, "#" + i))
          .collect(Collectors.toList());
      List<String> labelled = range(50).stream().map(i -> "#" + i + "=" + (i * i)).collect(Collectors.toList());
      assertEquals(labelled, pool.starmap((a, b, s) -> s + "=" + (a * b), triples, 4));
      assertEquals(labelled, pool.starmapAsync((a, b, s) -> s + "=" + (a * b), triples).get(60, TimeUnit.SECONDS));
      assertEquals(labelled, pool.starmapAsync((a, b, s) -> s + "=" + (a * b), triples, 50).get(60, TimeUnit.SECONDS));

      ExecutionException e = assertThrows(ExecutionException.class, () -> pool.starmap((a, b) -> {
        if (b == 0) {
          throw new TimeoutException(a + " over zero");
        }
        return a / b;
      }, List.of(Args.of(4, 2), Args.of(1, 0))));
      assertTrue(e.getCause() instanceof TimeoutException, String.valueOf(e.getCause()));
      assertEquals("1 over zero", e.getCause().getMessage());
      assertThrows(IllegalArgumentException.class, () -> pool.starmap((a, b) -> a, pairs, 0));
    }
  }

  @Test
  void imapStreamsAnEndlessIterable() throws Exception {
    try (Pool pool = Pool.create(2)) {
      Iterable<Integer> naturals = Stream.iterate(1, i -> i + 1)::iterator;
      Iterator<Integer> it = pool.imap(x -> x * x, naturals);
      for (int i = 1; i <= 100; i++) {
        assertEquals(i * i, it.next());
      }
      Iterable<Integer> again = Stream.iterate(1, i -> i + 1)::iterator;
      Iterator<Long> chunked = pool.imap(x -> (long) x * x, again, 5);
      for (long i = 1; i <= 100; i++) {
        assertEquals(i * i, chunked.next());
      }
      Iterable<Integer> once = Stream.iterate(1, i -> i + 1)::iterator;
      Iterator<Integer> unordered = pool.imapUnordered(x -> -x, once, 3);
      Set<Integer> seen = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        assertTrue(unordered.hasNext());
        seen.add(-unordered.next());
      }
      assertEquals(100, seen.size(), "distinct items: " + seen);
      int bound = 4 * pool.processes() * 3;
      assertTrue(seen.stream().allMatch(x -> x >= 1 && x <= 100 + bound), "only items pulled: " + seen);
    }   // close() returns: the chunks left in flight finish, nothing more is pulled
  }

  @Test
  void theSourceIsPulledAtMostTheBoundAheadOfTheConsumer() throws Exception {
    try (Pool pool = Pool.create(2)) {
      for (int chunk : new int[] {1, 3}) {
        for (boolean ordered : new boolean[] {true, false}) {
          int bound = 4 * pool.processes() * chunk;
          Counting source = new Counting(bound);
          Iterator<Integer> it = ordered ? pool.imap(x -> -x, source, chunk)
              : pool.imapUnordered(x -> -x, source, chunk);
          String what = (ordered ? "imap" : "imapUnordered") + " chunk " + chunk;
          assertTrue(source.reachedBound.await(60, TimeUnit.SECONDS),
              what + ": with the consumer idle, chunks are pulled as others complete up to the bound; pulled "
                  + source.pulled.get());
          assertTrue(source.pulled.get() <= bound, what + ": pulled " + source.pulled.get() + " of at most " + bound);
          Set<Integer> seen = new HashSet<>();
          for (int taken = 1; taken <= 200; taken++) {
            int v = -it.next();
            if (ordered) {
              assertEquals(taken - 1, v, what);
            }
            assertTrue(seen.add(v), what + ": " + v + " twice");
            int pulled = source.pulled.get();
            assertTrue(pulled <= taken + bound, what + ": pulled " + pulled + " after taking " + taken);
          }
          assertFalse(source.overlapped.get(), what + ": the source was pulled by two threads at once");
        }
      }
    }
  }

  @Test
  void chunkSizesKeepTheResults() throws Exception {
    try (Pool pool = Pool.create(2)) {
      List<Integer> in = range(103);
      List<Integer> expected = in.stream().map(x -> x * 3).collect(Collectors.toList());
      for (int chunk : new int[] {1, 2, 7, 50, 103, 1000}) {
        assertEquals(expected, drain(pool.imap(x -> x * 3, in, chunk)), "imap, chunk " + chunk);
        assertEquals(expected, sorted(drain(pool.imapUnordered(x -> x * 3, in, chunk))), "unordered, chunk " + chunk);
      }
      Iterator<Integer> empty = pool.imap(x -> x, List.<Integer>of());
      assertFalse(empty.hasNext());
      assertThrows(NoSuchElementException.class, empty::next);
      assertFalse(pool.imapUnordered(x -> x, List.<Integer>of(), 4).hasNext());
      assertThrows(IllegalArgumentException.class, () -> pool.imap(x -> x, in, 0));
      assertThrows(IllegalArgumentException.class, () -> pool.imapUnordered(x -> x, in, -1));
    }
  }

  @Test
  void unorderedResultsComeAsChunksComplete() throws Exception {
    try (Pool pool = Pool.create(2)) {
      CheckedFunction<Integer, Integer> slow = x -> {
        if (x == 0) {
          Thread.sleep(2_000);                    // item 0 is slow work
        }
        return x;
      };
      List<Integer> first = drain(pool.imapUnordered(slow, range(10), 5));
      assertEquals(List.of(5, 6, 7, 8, 9, 0, 1, 2, 3, 4), first, "the chunk with the slow item comes last, whole");
      Iterator<Integer> single = pool.imapUnordered(slow, range(10));
      assertNotEquals(0, single.next(), "a quick item comes before the slow one");
      assertEquals(List.of(0, 1, 2, 3), drain(pool.imap(slow, range(4))), "imap keeps item order");
    }
  }

  @Test
  void aFailedItemDoesNotWedgeTheIterator() throws Exception {
    try (Pool pool = Pool.create(2)) {
      CheckedFunction<Integer, Integer> threes = x -> {
        if (x % 10 == 3) {
          throw new IOException("bad " + x);
        }
        return x;
      };
      Iterator<Integer> it = pool.imap(threes, range(30));
      for (int i = 0; i < 30; i++) {
        if (i % 10 == 3) {
          CompletionException e = assertThrows(CompletionException.class, it::next, "item " + i);
          assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
          assertEquals("bad " + i, e.getCause().getMessage());
        } else {
          assertEquals(i, it.next());
        }
      }
      assertFalse(it.hasNext());

      Iterator<Integer> chunked = pool.imap(threes, range(30), 4);   // chunks 0-3, 4-7, ... fail whole
      for (int i = 0; i < 30; i++) {
        int from = i / 4 * 4;
        int bad = IntStream.range(from, Math.min(30, from + 4)).filter(j -> j % 10 == 3).findFirst().orElse(-1);
        if (bad >= 0) {
          CompletionException e = assertThrows(CompletionException.class, chunked::next, "item " + i);
          assertEquals("bad " + bad, e.getCause().getMessage(), "item " + i);
        } else {
          assertEquals(i, chunked.next());
        }
      }
      assertFalse(chunked.hasNext());

      Iterator<Integer> unordered = pool.imapUnordered(threes, range(30));
      List<Integer> values = new ArrayList<>();
      int failures = 0;
      while (unordered.hasNext()) {
        try {
          values.add(unordered.next());
        } catch (CompletionException e) {
          assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
          failures++;
        }
      }
      assertEquals(3, failures);
      assertEquals(range(30).stream().filter(x -> x % 10 != 3).collect(Collectors.toList()), sorted(values));

      List<Object> items = new ArrayList<>(List.of(1, 2));
      items.add(new Object());
      items.add(4);
      Iterator<String> cannotTravel = pool.imap(x -> "" + x, items);
      assertEquals("1", cannotTravel.next());
      assertEquals("2", cannotTravel.next());
      CompletionException e = assertThrows(CompletionException.class, cannotTravel::next);
      assertTrue(e.getCause() instanceof IllegalArgumentException, String.valueOf(e.getCause()));
      assertTrue(e.getCause().getMessage().contains("java.lang.Object"), e.getCause().getMessage());
      assertEquals("4", cannotTravel.next());
      assertFalse(cannotTravel.hasNext());
    }
  }

  /** Item {@code n} of this iterable's iterator throws; the iterator counts how often it was asked. */
  private static Iterable<Integer> breakingAt(int n, AtomicInteger asked) {
    return () -> new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Integer next() {
        asked.incrementAndGet();
        if (next == n) {
          throw new UncheckedIOException(new IOException("source broke at " + n));
        }
        return next++;
      }
    };
  }

  @Test
  void anIterableThatThrowsEndsTheIterationAtItsPlace() throws Exception {
    try (Pool pool = Pool.create(2)) {
      for (int chunk : new int[] {1, 3}) {
        AtomicInteger asked = new AtomicInteger();
        Iterator<Integer> it = pool.imap(x -> x * 10, breakingAt(5, asked), chunk);
        for (int i = 0; i < 5; i++) {
          assertEquals(i * 10, it.next(), "chunk " + chunk);
        }
        assertTrue(it.hasNext());
        CompletionException e = assertThrows(CompletionException.class, it::next);
        assertTrue(e.getCause() instanceof UncheckedIOException, String.valueOf(e.getCause()));
        assertEquals("java.io.IOException: source broke at 5", e.getCause().getMessage());
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
        assertEquals(6, asked.get(), "the iterator is not asked again after it threw");

        Iterator<Integer> unordered = pool.imapUnordered(x -> x * 10, breakingAt(5, new AtomicInteger()), chunk);
        List<Integer> values = new ArrayList<>();
        int failures = 0;
        while (unordered.hasNext()) {
          try {
            values.add(unordered.next());
          } catch (CompletionException f) {
            assertTrue(f.getCause() instanceof UncheckedIOException, String.valueOf(f.getCause()));
            failures++;
          }
        }
        assertEquals(1, failures);
        assertEquals(List.of(0, 10, 20, 30, 40), sorted(values));
      }
    }
  }

  @Test
  void hasNextWaitsForNoResultAndATerminatedPoolEndsTheIteration() throws Exception {
    Pool pool = Pool.create(2);
    try {
      Iterator<Integer> it = pool.imap(x -> {
        Thread.sleep(60_000);
        return x;
      }, range(100));
      assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertTrue(it.hasNext()),
          "hasNext() waits for no result");
      pool.terminate();
      int cancelled = 0;
      IllegalStateException stopped = null;
      while (it.hasNext()) {
        try {
          it.next();
          fail("no item can have finished");
        } catch (CancellationException e) {
          assertNull(stopped, "the chunks submitted come before the end");
          cancelled++;
        } catch (IllegalStateException e) {
          assertNull(stopped, "once");
          stopped = e;
        }
      }
      assertTrue(cancelled >= 1 && cancelled <= 2 * pool.processes(), "cancelled " + cancelled);
      assertNotNull(stopped, "the pool's refusal ends the iteration");
      assertTrue(stopped.getMessage().contains("terminated"), stopped.getMessage());
      assertThrows(NoSuchElementException.class, it::next);
    } finally {
      pool.terminate();
    }
  }

  @Test
  void aPoolShutDownMeanwhileDeliversWhatItStartedThenSaysSo() throws Exception {
    for (boolean ordered : new boolean[] {true, false}) {
      try (Pool pool = Pool.create(2)) {
        Iterable<Integer> naturals = Stream.iterate(0, i -> i + 1)::iterator;
        Iterator<Integer> it = ordered ? pool.imap(x -> x * 2, naturals) : pool.imapUnordered(x -> x * 2, naturals);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 10; i++) {
          int v = it.next();
          if (ordered) {
            assertEquals(2 * i, v);
          }
          seen.add(v);
        }
        pool.shutdown();
        IllegalStateException stopped = null;
        int after = 0;
        while (it.hasNext()) {
          try {
            int v = it.next();
            assertNull(stopped, "nothing after the end");
            if (ordered) {
              assertEquals(2 * (10 + after), v);
            }
            assertTrue(seen.add(v), v + " twice");
            after++;
          } catch (IllegalStateException e) {
            assertNull(stopped, "once");
            stopped = e;
          }
        }
        assertNotNull(stopped, "the pool's refusal ends the iteration");
        assertTrue(stopped.getMessage().contains("shut down"), stopped.getMessage());
        assertTrue(after <= 4 * pool.processes(), "only what was pulled before the shutdown came: " + after);
        assertTrue(pool.awaitTermination(Duration.ofSeconds(60)), "the workers exit");
        IllegalStateException late = assertThrows(IllegalStateException.class, () -> pool.imap(x -> x, List.of(1)));
        assertTrue(late.getMessage().contains("no new tasks"), late.getMessage());
      }
    }
  }

  @Test
  void anInterruptedNextTakesNothing() throws Exception {
    try (Pool pool = Pool.create(1)) {
      for (boolean ordered : new boolean[] {true, false}) {
        CheckedFunction<Integer, Integer> slow = x -> {
          Thread.sleep(1_000);
          return x;
        };
        Iterator<Integer> it = ordered ? pool.imap(slow, List.of(7)) : pool.imapUnordered(slow, List.of(7));
        Thread.currentThread().interrupt();
        CompletionException e = assertThrows(CompletionException.class, it::next);
        assertTrue(e.getCause() instanceof InterruptedException, String.valueOf(e.getCause()));
        assertTrue(Thread.interrupted(), "the interrupt status is kept");
        assertEquals(7, it.next(), "the item is still there");
        assertFalse(it.hasNext());
      }
    }
  }
}
