package dev.ipckit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcEvent;
import dev.ipckit.Pool;
import dev.ipckit.SharedLong;
import dev.ipckit.WorkerDiedException;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a remote pool's worker mid-task. */
@Tag("crash")
class RedisPoolCrashTest {
  private static final RedisTestServer SERVER = RedisTestServer.shared();

  @RegisterExtension
  final Children children = new Children();

  @TempDir
  Path dir;

  @Test
  void aKilledWorkerFailsOnlyItsTaskWithinASecondAndTheTaskIsNotRunAgain() throws Exception {
    URI at = SERVER.newNamespace("rpool-kill");
    RemoteWorkers workers = new RemoteWorkers(children, dir);
    long first = workers.serving(at, "kill").process().pid();
    long second = workers.serving(at, "kill").process().pid();
    try (Ipc ipc = Ipc.open(at); Pool pool = Pool.builder().remote(at, "kill").build()) {
      SharedLong victim = ipc.sharedLong("victim", 0);
      SharedLong runs = ipc.sharedLong("runs", 0);
      IpcEvent never = ipc.event("never");
      CompletableFuture<Integer> doomed = pool.applyAsync(() -> {
        runs.incrementAndGet();
        victim.set(ProcessHandle.current().pid());
        never.await(60, TimeUnit.SECONDS);
        return -1;
      });
      Await.until("the doomed task to start", Children.START, () -> victim.get() != 0);
      long pid = victim.get();
      assertTrue(pid == first || pid == second, "the task runs in a worker: " + pid);
      // the other worker runs these while the victim's task blocks
      CompletableFuture<List<Integer>> others = pool.mapAsync(x -> x + 1,
          IntStream.range(0, 50).boxed().collect(Collectors.toList()), 5);
      long t0 = System.nanoTime();
      ProcessHandle.of(pid).orElseThrow().destroyForcibly();
      ExecutionException died = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> doomed.get(30, TimeUnit.SECONDS));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertInstanceOf(WorkerDiedException.class, died.getCause());
      assertTrue(died.getCause().getMessage().contains("pid " + pid), died.getCause().getMessage());
      System.out.println("the killed worker's task failed " + millis + " ms after the kill");
      assertTrue(millis <= 1000, "the task failed " + millis + " ms after the kill");
      assertEquals(IntStream.range(1, 51).boxed().collect(Collectors.toList()), others.get(30, TimeUnit.SECONDS));
      assertEquals(42, pool.apply(() -> 42), "the surviving worker serves on");
      assertEquals(1, runs.get(), "the task of the killed worker was not run again");
      never.set();
    }
  }
}
