package dev.ipckit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcQueue;
import dev.ipckit.Pool;
import dev.ipckit.SharedLong;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import dev.ipckit.testkit.Crash;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redis handles in pool workers, and the sweep of a temporary namespace whose owner was killed. */
@Tag("crash")
class RedisProcessTest {
  private static final RedisTestServer SERVER = RedisTestServer.shared();

  @RegisterExtension
  final Children children = new Children();

  @Test
  void poolWorkersUseTheRedisHandlesTheirTaskCaptures() throws Exception {
    try (Ipc ipc = Ipc.open(SERVER.newNamespace("pool")); Pool pool = Pool.create(2)) {
      SharedLong sum = ipc.sharedLong("sum", 0);
      List<Integer> items = IntStream.rangeClosed(1, 100).boxed().collect(Collectors.toList());
      List<Long> seen = pool.map(i -> sum.addAndGet(i), items);
      assertEquals(100, seen.size());
      assertEquals(5050, sum.get());
      assertEquals(5050, seen.stream().mapToLong(Long::longValue).max().orElse(0));
    }
  }

  @Test
  void theSweepRemovesTheTemporaryNamespaceOfAKilledOwnerAndKeepsALiveOnes() throws Exception {
    try (Ipc ipc = Ipc.open(SERVER.newNamespace("sweep")); Ipc mine = Ipc.temp(SERVER.base())) {
      IpcQueue<String> where = ipc.queue("where", 1, Codec.string());
      URI base = SERVER.base();
      Crash owner = Crash.at(children, ipc, () -> {
        Ipc temp = Ipc.temp(base);
        temp.sharedLong("left-behind", 7);
        where.put(temp.location().toString());     // never closed: the owner is killed
      });
      URI orphan = URI.create(where.take());
      owner.kill();
      // the server drops the dead owner's subscription once it has read the closed socket: moments after the kill
      List<List<URI>> sweeps = new java.util.ArrayList<>();
      Await.until("the sweep to remove " + orphan, Duration.ofSeconds(10), () -> {
        List<URI> swept = RedisBackend.sweep(base);
        sweeps.add(swept);
        return swept.contains(orphan);
      });
      assertTrue(sweeps.stream().noneMatch(l -> l.contains(mine.location())), "a live owner's namespace stays");
      String ns = orphan.getPath().substring(1);
      assertTrue(SERVER.command("EXISTS", "ipckit:{" + ns + "}:meta").contains(":0"));
      assertEquals(List.of(), RedisBackend.sweep(base).stream().filter(orphan::equals).collect(Collectors.toList()));
    }
  }
}
