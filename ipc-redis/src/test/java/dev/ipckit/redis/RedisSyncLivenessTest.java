package dev.ipckit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcBarrier;
import dev.ipckit.IpcEvent;
import dev.ipckit.IpcException;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Threads;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What only the Redis backend has for semaphores, events and barriers: this process losing its liveness token when
 * its subscriber connection is dropped ({@code CLIENT KILL}), the scripts' arithmetic on counts past 2^31, and
 * objects whose keys were removed.
 */
@Tag("unit")
class RedisSyncLivenessTest {
  private static final RedisTestServer SERVER = RedisTestServer.shared();
  private static final Duration BOUND = Duration.ofSeconds(30);

  private Ipc ipc;
  private Server server;

  @BeforeEach
  void open() {
    ipc = Ipc.open(SERVER.newNamespace("sync-liveness"));
    server = ((RedisNamespace) ipc.namespace()).server;
  }

  @AfterEach
  void close() {
    ipc.close();
  }

  /** Drops this JVM's subscriber connection, as a network failure would, and waits for its new token. */
  private String dropConnection() {
    String before = server.token();
    String id = null;
    for (String line : SERVER.command("CLIENT", "LIST", "TYPE", "pubsub").split("\n")) {
      if (line.contains("name=ipckit-" + ProcessHandle.current().pid() + " ")) {
        id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
      }
    }
    assertNotNull(id, "this JVM's subscriber connection");
    assertTrue(SERVER.command("CLIENT", "KILL", "ID", id).startsWith(":1"));
    Await.until("a new liveness token", BOUND, () -> !server.token().equals(before));
    return before;
  }

  private String count(RedisSemaphore s) {
    return server.call(j -> j.hget(s.key, "p"));
  }

  @Test
  void permitsHeldWhenTheConnectionDroppedComeBackOnceAndTheirReleaseMakesNoneAfterAReclaim() throws Exception {
    IpcSemaphore s = ipc.boundedSemaphore("mutex", 1);
    s.acquire();
    dropConnection();                             // the permit was held under a token that is gone
    assertTrue(s.tryAcquire(), "reclaimed from the lost token, here as anywhere");
    assertTrue(s.reclaimed());
    s.release();                                  // the permit taken under the new token
    s.release();                                  // the one held under the lost token: given back already
    assertEquals(1, s.availablePermits(), "no permit made: the bound holds, nothing was refused");
    assertFalse(s.tryAcquire(2));
  }

  @Test
  void permitsHeldWhenTheConnectionDroppedAreReturnedFromTheLostTokenWhenNobodyReclaimedThem() throws Exception {
    RedisSemaphore s = (RedisSemaphore) ipc.semaphore("s", 2);
    s.acquire(2);
    String lost = dropConnection();
    assertEquals("2", server.call(j -> j.hget(s.key("holders"), lost)), "nobody reclaimed them yet");
    s.release(2);
    assertEquals(2, s.availablePermits());
    String after = server.call(j -> j.hget(s.key("holders"), lost));
    assertNull(after, "returned out of the lost token's entry");
    assertTrue(s.tryAcquire(2));
    assertFalse(s.reclaimed(), "released, not reclaimed");
    assertEquals(2, s.disown(2));
  }

  @Test
  void aWaiterKeepsWaitingAcrossADroppedConnectionAndIsWokenAfterIt() throws Exception {
    IpcSemaphore s = ipc.semaphore("s", 0);
    IpcEvent ev = ipc.event("ev");
    Thread[] waiters = new Thread[2];
    CompletableFuture<Boolean> permit = Threads.start(() -> s.tryAcquire(BOUND.toMillis(), TimeUnit.MILLISECONDS),
        waiters);
    CompletableFuture<Boolean> set = Threads.start(() -> ev.await(BOUND.toMillis(), TimeUnit.MILLISECONDS), null);
    Await.blocked(waiters[0], BOUND);
    dropConnection();
    assertFalse(permit.isDone() || set.isDone(), "a dropped connection wakes nobody for good");
    s.release();
    ev.set();
    assertTrue(permit.get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
    assertTrue(set.get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
  }

  @Test
  void aPartyWaitingWhenItsConnectionDroppedBreaksTheBarrier() throws Exception {
    IpcBarrier b = ipc.barrier("b", 2);
    CompletableFuture<Integer> waiter = Threads.start(() -> b.await(BOUND.toMillis(), TimeUnit.MILLISECONDS), null);
    Await.until("a party waiting", BOUND, () -> b.getNumberWaiting() == 1);
    dropConnection();                             // its arrival was recorded under the lost token
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> waiter.get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
    assertTrue(e.getCause() instanceof BrokenBarrierException, e.getCause().toString());
    assertTrue(b.isBroken());
  }

  @Test
  void countsPastTwoToTheThirtyOneAreExactAndAPlainSemaphoreSaturates() {
    RedisSemaphore s = (RedisSemaphore) ipc.semaphore("big", 0);
    for (int i = 0; i < 3; i++) {
      s.release(Integer.MAX_VALUE);
    }
    assertEquals("6442450941", count(s), "stored as an integer, not in Lua's %.14g");
    assertEquals(Integer.MAX_VALUE, s.availablePermits());
    assertEquals(Integer.MAX_VALUE, s.drainPermits(), "the answer is capped, the drain is not");
    assertEquals("0", count(s));
    assertEquals(6442450941L, s.heldByThisProcess());
    assertEquals(3, s.disown(3));
    assertEquals(6442450938L, s.heldByThisProcess());
    server.call(j -> j.hset(s.key, "p", String.valueOf(RedisSemaphore.MAX_COUNT - 1)));
    s.release(5);
    assertEquals(String.valueOf(RedisSemaphore.MAX_COUNT), count(s), "saturated, as the shared-memory count word");
  }

  @Test
  void handlesOfRemovedObjectsSaySoAndTheirKeysAreGone() throws Exception {
    IpcSemaphore s = ipc.semaphore("s", 2);
    IpcEvent ev = ipc.event("ev");
    IpcBarrier b = ipc.barrier("b", 3);
    s.acquire();
    CompletableFuture<Integer> waiting = Threads.start(() -> b.await(BOUND.toMillis(), TimeUnit.MILLISECONDS), null);
    Await.until("a party waiting", BOUND, () -> b.getNumberWaiting() == 1);
    b.abort();
    assertThrows(ExecutionException.class, () -> waiting.get(BOUND.toMillis(), TimeUnit.MILLISECONDS));
    assertTrue(ipc.remove("s") && ipc.remove("ev") && ipc.remove("b"));
    String prefix = ((RedisNamespace) ipc.namespace()).prefix();
    Set<String> left = new HashSet<>(server.call(j -> j.keys(RedisNamespace.escapeGlob(prefix) + "*")));
    left.remove(prefix + "meta");
    assertEquals(Set.of(), left, "every key of the three (holders, arrived) went with them");
    IpcException e = assertThrows(IpcException.class, s::tryAcquire);
    assertTrue(e.getMessage().contains("\"s\"") && e.getMessage().contains("no longer exists"), e.getMessage());
    assertThrows(IpcException.class, s::release);
    assertThrows(IpcException.class, s::availablePermits);
    assertThrows(IpcException.class, ev::set);
    assertThrows(IpcException.class, () -> ev.await(1, TimeUnit.SECONDS));
    assertThrows(IpcException.class, b::await);
    assertThrows(IpcException.class, b::reset);
  }
}
