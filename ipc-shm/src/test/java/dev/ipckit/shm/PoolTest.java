package dev.ipckit.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.DecodeException;
import dev.ipckit.Pool;
import dev.ipckit.SerializableCallable;
import dev.ipckit.WorkerDiedException;
import dev.ipckit.testkit.Crash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Tag("crash")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PoolTest {
  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  @Test
  void mapApplyAndIterators() throws Exception {
    try (Pool pool = Pool.create(2)) {
      List<Integer> in = range(1_000);
      assertEquals(in.stream().map(x -> x * x).collect(Collectors.toList()), pool.map(x -> x * x, in));
      assertEquals(in.stream().map(x -> x + 1).collect(Collectors.toList()), pool.map(x -> x + 1, in, 7));
      assertEquals(List.of(), pool.map(x -> x, List.<Integer>of()));
      long pid = pool.apply(() -> ProcessHandle.current().pid());
      assertTrue(pid != ProcessHandle.current().pid(), "ran in a worker");
      Iterator<String> it = pool.imap(x -> "v" + x, range(20));
      for (int i = 0; i < 20; i++) {
        assertEquals("v" + i, it.next());
      }
      Set<Integer> unordered = new HashSet<>();
      pool.imapUnordered(x -> x * 2, range(20)).forEachRemaining(unordered::add);
      assertEquals(range(20).stream().map(x -> x * 2).collect(Collectors.toSet()), unordered);
    }
  }

  /** Chunks of plain ints, longs, doubles and strings travel packed; anything else as objects; all come back. */
  @Test
  void theDefaultPoolHasAWorkerPerProcessor() throws Exception {
    try (Pool pool = Pool.create()) {
      assertEquals(Runtime.getRuntime().availableProcessors(), pool.processes());
      assertEquals(java.util.List.of(1, 4, 9), pool.map(x -> x * x, java.util.List.of(1, 2, 3)));
    }
  }

  @Test
  void mapKeepsEveryKindOfItem() throws Exception {
    try (Pool pool = Pool.create(2)) {
      List<Long> longs = List.of(Long.MIN_VALUE, -1L, 0L, Long.MAX_VALUE);
      assertEquals(longs, pool.map(x -> x, longs, 3));
      List<Double> doubles = List.of(-0.0, 1.5, Double.NaN, Double.MAX_VALUE);
      assertEquals(doubles, pool.map(x -> x, doubles, 3));
      List<String> strings = List.of("", "a", "é ü ✓ 𝄞", "x".repeat(70_000));
      assertEquals(strings, pool.map(x -> x, strings, 3));
      List<Object> mixed = new ArrayList<>(List.of(1, 2L, "three", 4.0));
      mixed.add(null);
      mixed.add(List.of(5));
      assertEquals(mixed, pool.map(x -> x, mixed, 4));
      List<Integer> withNull = new ArrayList<>(List.of(1, 2));
      withNull.add(null);
      assertEquals(withNull, pool.map(x -> x, withNull, 3));
      assertEquals(List.of("1", "2"), pool.map(x -> Integer.toString(x), List.of(1, 2), 2));
    }
  }

  @Test
  void taskExceptionFailsOnlyItsFuture() throws Exception {
    try (Pool pool = Pool.create(2)) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> pool.apply(() -> { throw new IllegalStateException("boom in worker"); }));
      assertTrue(e.getCause() instanceof IllegalStateException && e.getCause().getMessage().equals("boom in worker"));
      assertEquals(42, pool.apply(() -> 42));
    }
  }

  @Test
  void killedWorkerFailsItsTaskAndIsReplaced() throws Exception {
    try (Pool pool = Pool.create(2)) {
      CompletableFuture<Object> doomed = pool.applyAsync(() -> {
        Crash.killThisJvm();
        return "unreachable";
      });
      List<CompletableFuture<Integer>> others = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        final int v = i;
        others.add(pool.applyAsync(() -> v * 10));
      }
      ExecutionException e = assertThrows(ExecutionException.class, () -> doomed.get(60, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof WorkerDiedException, String.valueOf(e.getCause()));
      assertTrue(e.getCause().getMessage().contains("died"), e.getCause().getMessage());
      for (int i = 0; i < 20; i++) {
        assertEquals(i * 10, others.get(i).get(60, TimeUnit.SECONDS));
      }
      assertEquals(7, pool.apply(() -> 7), "the pool goes on with a replacement worker");
    }
  }

  @Test
  void maxTasksPerWorkerReplacesWorkers() throws Exception {
    try (Pool pool = Pool.builder().processes(1).maxTasksPerWorker(2).build()) {
      Set<Long> pids = new HashSet<>();
      for (int i = 0; i < 6; i++) {
        pids.add(pool.apply(() -> ProcessHandle.current().pid()));
      }
      assertEquals(3, pids.size(), "one worker per two tasks: " + pids);
    }
  }

  @Test
  void initializerRunsInEachWorker() throws Exception {
    try (Pool pool = Pool.builder().processes(2).initializer(() -> System.setProperty("pool.init", "yes")).build()) {
      for (int i = 0; i < 4; i++) {
        assertEquals("yes", pool.apply(() -> System.getProperty("pool.init")));
      }
    }
  }

  @Test
  void shutdownTerminateAndBadInput() throws Exception {
    Pool pool = Pool.create(1);
    Object notSerializable = new Object();
    IllegalArgumentException ns = assertThrows(IllegalArgumentException.class,
        () -> pool.applyAsync(() -> notSerializable.hashCode()));
    assertTrue(ns.getMessage().contains("java.lang.Object"), ns.getMessage());
    assertThrows(IllegalArgumentException.class, () -> pool.map(x -> x, List.of(1), 0));
    CompletableFuture<Object> slow = pool.applyAsync(() -> {
      Thread.sleep(60_000);
      return null;
    });
    CompletableFuture<Integer> queued = pool.applyAsync(() -> 1);
    pool.terminate();
    assertThrows(CancellationException.class, () -> {
      try {
        slow.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw e.getCause();
      }
    });
    assertTrue(queued.isDone());
    IllegalStateException closed = assertThrows(IllegalStateException.class, () -> pool.apply(() -> 1));
    assertTrue(closed.getMessage().contains("terminated"), closed.getMessage());
    assertTrue(pool.awaitTermination(Duration.ofSeconds(30)));

    Pool p2 = Pool.create(1);
    CompletableFuture<Integer> f = p2.applyAsync(() -> 5);
    p2.shutdown();
    assertThrows(IllegalStateException.class, () -> p2.applyAsync(() -> 1));
    assertTrue(p2.awaitTermination(Duration.ofSeconds(60)));
    assertEquals(5, f.get(1, TimeUnit.SECONDS));
    assertThrows(IllegalArgumentException.class, () -> Pool.create(0));
  }

  @Test
  void unserializableResultIsAClearError() throws Exception {
    try (Pool pool = Pool.create(1)) {
      SerializableCallable<Object> bad = () -> new Object();
      ExecutionException e = assertThrows(ExecutionException.class, () -> pool.apply(bad));
      assertTrue(e.getCause().getMessage().contains("cannot be sent back"), e.getCause().getMessage());
      assertEquals(3, pool.apply(() -> 3));
    }
  }

  @Test
  void aResultThatCannotBeReadHereFailsItsTaskAndKeepsTheWorker() throws Exception {
    try (Pool pool = Pool.create(1)) {
      long worker = pool.apply(() -> ProcessHandle.current().pid());
      ExecutionException e = assertThrows(ExecutionException.class, () -> pool.apply(Unreadable::new));
      assertTrue(e.getCause() instanceof DecodeException, String.valueOf(e.getCause()));
      assertTrue(((DecodeException) e.getCause()).bytes().length > 0, "the result's bytes travel with the error");
      assertEquals(worker, pool.apply(() -> ProcessHandle.current().pid()), "the worker was not replaced");
    }
  }

  /** Serializes fine in the worker; refuses to be read back in the parent. */
  static final class Unreadable implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException {
      throw new java.io.InvalidObjectException("refusing to be read, on purpose");
    }
  }
}
