package dev.ipckit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Args;
import dev.ipckit.Ipc;
import dev.ipckit.IpcEvent;
import dev.ipckit.Pool;
import dev.ipckit.testkit.Children;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A Pool across machines: real PoolWorker JVMs serving a pool on a real redis-server. */
@Tag("process")
class RedisPoolProcessTest {
  private static final RedisTestServer SERVER = RedisTestServer.shared();

  @RegisterExtension
  final Children children = new Children();

  @TempDir
  Path dir;

  @Test
  void mapOfAThousandItemsRunsOverTwoWorkerJvmsAndTheOtherVerbsAsLocally() throws Exception {
    URI at = SERVER.newNamespace("rpool");
    RemoteWorkers workers = new RemoteWorkers(children, dir);
    Set<Long> pids = Set.of(workers.serving(at, "squares").process().pid(),
        workers.serving(at, "squares").process().pid());
    try (Pool pool = Pool.builder().remote(at, "squares").build()) {
      assertEquals(2, pool.processes());
      List<Integer> items = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
      List<Integer> squares = pool.map(x -> x * x, items);
      assertEquals(items.stream().map(x -> x * x).collect(Collectors.toList()), squares);
      List<Long> ran = pool.map(x -> ProcessHandle.current().pid(), items, 10);
      assertTrue(pids.containsAll(ran), "every item ran in a worker JVM: " + new HashSet<>(ran) + " vs " + pids);
      assertEquals(42, pool.apply(() -> 6 * 7));
      assertEquals("ab", pool.applyAsync(() -> "a" + "b").get(30, TimeUnit.SECONDS));
      assertEquals(List.of(3, 7), pool.starmap((Integer a, Integer b) -> a + b, List.of(Args.of(1, 2), Args.of(3, 4))));
      List<Integer> lazy = new ArrayList<>();
      pool.imap(x -> x + 1, List.of(1, 2, 3)).forEachRemaining(lazy::add);
      assertEquals(List.of(2, 3, 4), lazy);
      Set<Integer> unordered = new HashSet<>();
      pool.imapUnordered(x -> x * 2, List.of(1, 2, 3), 2).forEachRemaining(unordered::add);
      assertEquals(Set.of(2, 4, 6), unordered);
      pool.shutdown();
      assertThrows(IllegalStateException.class, () -> pool.apply(() -> 1));
      assertTrue(pool.awaitTermination(Duration.ofSeconds(10)));
    }
  }

  @Test
  void exceptionsTravelAsLocally() throws Exception {
    URI at = SERVER.newNamespace("rpool-ex");
    new RemoteWorkers(children, dir).serving(at, "throws");
    try (Pool pool = Pool.builder().remote(at, "throws").build()) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> pool.apply(() -> {
        throw new IOException("boom in the worker");
      }));
      assertInstanceOf(IOException.class, e.getCause());
      assertEquals("boom in the worker", e.getCause().getMessage());
      ExecutionException m = assertThrows(ExecutionException.class,
          () -> pool.map(x -> 10 / x, List.of(1, 2, 0, 4), 1));
      assertInstanceOf(ArithmeticException.class, m.getCause());
      assertEquals(List.of(10, 5), pool.map(x -> 10 / x, List.of(1, 2)), "the worker goes on after a failure");
      Iterator<Integer> it = pool.imap(x -> 10 / x, List.of(0, 5));
      assertInstanceOf(ArithmeticException.class, assertThrows(java.util.concurrent.CompletionException.class,
          it::next).getCause());
      assertEquals(2, it.next());
    }
  }

  @Test
  void terminateCancelsThePendingTasks() throws Exception {
    URI at = SERVER.newNamespace("rpool-term");
    new RemoteWorkers(children, dir).serving(at, "term");
    try (Ipc ipc = Ipc.open(at)) {
      IpcEvent started = ipc.event("started");
      IpcEvent gate = ipc.event("gate");
      Pool pool = Pool.builder().remote(at, "term").build();
      CompletableFuture<Integer> running = pool.applyAsync(() -> {
        started.set();
        gate.await(60, TimeUnit.SECONDS);
        return 1;
      });
      assertTrue(started.await(30, TimeUnit.SECONDS), "the first task started");
      List<CompletableFuture<Integer>> queued = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        int n = i;
        queued.add(pool.applyAsync(() -> n));
      }
      pool.terminate();
      for (CompletableFuture<Integer> f : queued) {
        assertThrows(CancellationException.class, () -> f.getNow(null), "a queued task is cancelled at once");
      }
      assertThrows(CancellationException.class, () -> running.getNow(null));
      assertThrows(IllegalStateException.class, () -> pool.apply(() -> 1));
      String jobs = SERVER.command("LLEN", "ipckit:{" + at.getPath().substring(1) + "}:pool:term:jobs");
      assertEquals(":0\r\n", jobs, "no task of the terminated pool is left queued");
      gate.set();
    }
  }

  @Test
  void aWorkerOrASubmitterOfAnotherVersionIsRefusedAtRegistration() throws Exception {
    URI at = SERVER.newNamespace("rpool-ver");
    RemoteWorkers workers = new RemoteWorkers(children, dir);
    List<String> other = List.of("-Dipckit.redis.poolWireVersion=999");
    // a live worker of version 999: a submitter of this version is refused when it connects
    RemoteWorkers.Launched old = workers.launch(other, at, "ver");
    dev.ipckit.testkit.Await.until("the version-999 worker to serve", Children.START,
        () -> old.out().contains("serving with") || !old.process().isAlive());
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> Pool.builder().remote(at, "ver").build());
    assertTrue(refused.getMessage().contains("version " + RedisRemotePools.WIRE_VERSION)
        && refused.getMessage().contains("version 999"), refused.getMessage());
    old.process().destroyForcibly();
    assertTrue(old.process().waitFor(Children.REAP.toMillis(), TimeUnit.MILLISECONDS));
    // a live submitter of this version: a worker of version 999 is refused before any task, and exits 1
    dev.ipckit.testkit.Await.until("the killed worker to be taken for dead", Children.START, () -> {
      try {
        Pool.builder().remote(at, "ver").build().terminate();
        return true;
      } catch (IllegalStateException stillAlive) {
        return false;
      }
    });
    try (Pool pool = Pool.builder().remote(at, "ver").build()) {
      RemoteWorkers.Launched w = workers.launch(other, at, "ver");
      assertEquals(1, Children.exitOf(w.process(), Children.START));
      assertTrue(w.err().contains("refused this worker") && w.err().contains("version 999"), w.err());
      assertFalse(w.out().contains("serving"), w.out());
    }
  }
}
