package dev.ipckit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcQueue;
import dev.ipckit.SharedLong;
import dev.ipckit.testkit.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The server itself crashes (kill -9, no persistence) and comes back on the same port: calls during the outage
 * fail with an IpcException naming the server (never a hang), a waiter stays bounded, a held lock is lost and
 * {@code unlock()} says so, and once the server is back the same handles work again (their objects are gone with
 * the server's data: opening them again recreates them).
 */
@Tag("crash")
class RedisServerCrashTest {

  @Test
  void aServerThatCrashesAndComesBackLosesHeldLocksLoudlyAndServesAgain() throws Exception {
    RedisTestServer server = RedisTestServer.start();
    try (Ipc ipc = Ipc.open(server.newNamespace("server-crash"))) {
      IpcLock lock = ipc.lock("l");
      SharedLong v = ipc.sharedLong("v", 41);
      IpcQueue<String> q = ipc.queue("q", 4, Codec.string());
      lock.lock();
      CompletableFuture<String> taker = CompletableFuture.supplyAsync(() -> {
        try {
          return q.poll(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        } catch (IpcException e) {
          return "failed: " + e.getMessage();
        }
      });
      Server s = ((RedisNamespace) ipc.namespace()).server;
      long epoch = s.epoch();

      server.kill();
      IpcException down = assertThrows(IpcException.class, v::get);
      assertTrue(down.getMessage().contains("127.0.0.1:" + server.port()), down.getMessage());

      server = server.crashAndRestart();
      Await.until("a new token once the server is back", Duration.ofSeconds(20),
          () -> s.epoch() != epoch && hasToken(s));
      IllegalMonitorStateException lost = assertThrows(IllegalMonitorStateException.class, lock::unlock);
      assertTrue(lost.getMessage().contains("lost"), lost.getMessage());

      // the server came back empty: the objects are made again by opening them, and work
      SharedLong again = ipc.sharedLong("v", 7);
      assertEquals(8, again.incrementAndGet());
      IpcLock lock2 = ipc.lock("l");
      assertTrue(lock2.tryLock(5, TimeUnit.SECONDS));
      lock2.unlock();
      IpcQueue<String> q2 = ipc.queue("q", 4, Codec.string());
      q2.put("after");
      String got = taker.get(60, TimeUnit.SECONDS);
      assertTrue(got == null || got.equals("after") || got.startsWith("failed: "), got);
    } finally {
      server.close();
    }
  }

  /** Whether the connection has a token again (asking waits at most the connect timeout). */
  private static boolean hasToken(Server s) {
    try {
      return s.token() != null;
    } catch (IpcException e) {
      return false;
    }
  }
}
