package dev.ipckit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import dev.ipckit.testkit.Await;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Locations, credentials, the eviction check, liveness tokens and leases, deleting and sweeping namespaces. */
@Tag("unit")
class RedisBackendTest {
  private static final RedisTestServer SERVER = RedisTestServer.shared();

  @Test
  void aLocationNamesItsNamespaceWithTheRulesOfObjectNames() {
    int port = SERVER.port();
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> Ipc.open(URI.create("redis://127.0.0.1:" + port + "/")));
    assertTrue(none.getMessage().contains("names its namespace"), none.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> Ipc.open(URI.create("redis://127.0.0.1:" + port + "/.hidden")));
    assertTrue(bad.getMessage().contains("must not start with '.'"), bad.getMessage());
    IllegalArgumentException param = assertThrows(IllegalArgumentException.class,
        () -> Ipc.open(URI.create("redis://127.0.0.1:" + port + "/ns?password=x")));
    assertTrue(param.getMessage().contains("unknown parameter \"password\""), param.getMessage());
    assertFalse(param.getMessage().contains("=x"), param.getMessage());
    try (Ipc ipc = Ipc.open(URI.create("REDIS://127.0.0.1:" + port + "/ns-db?db=3"))) {
      assertEquals(URI.create("redis://127.0.0.1:" + port + "/ns-db?db=3"), ipc.location());
    }
  }

  @Test
  void credentialsInALocationAreRefusedWithoutShowingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Ipc.open(URI.create("redis://user:s3cret@127.0.0.1:" + SERVER.port() + "/ns")));
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    assertTrue(e.getMessage().contains("credentials"), e.getMessage());
  }

  @Test
  void aServerWithAPasswordTakesItFromTheConfigurationAndSaysSoWithoutIt() {
    try (RedisTestServer server = RedisTestServer.start("--requirepass", "pw-" + ProcessHandle.current().pid())) {
      URI where = server.newNamespace("auth");
      IpcException refused = assertThrows(IpcException.class, () -> Ipc.open(where));
      assertTrue(refused.getMessage().contains("ipckit.redis.password"), refused.getMessage());
      System.setProperty("ipckit.redis.password", "pw-" + ProcessHandle.current().pid());
      try (Ipc ipc = Ipc.open(where)) {
        assertTrue(ipc.names().isEmpty());
      } finally {
        System.clearProperty("ipckit.redis.password");
      }
    }
  }

  @Test
  void aServerThatMayEvictKeysIsRefusedUnlessAllowed() {
    try (RedisTestServer server = RedisTestServer.start("--maxmemory", "64mb", "--maxmemory-policy",
        "allkeys-lru")) {
      URI where = server.newNamespace("evict");
      IpcException refused = assertThrows(IpcException.class, () -> Ipc.open(where));
      assertTrue(refused.getMessage().contains("allkeys-lru"), refused.getMessage());
      assertTrue(refused.getMessage().contains("noeviction"), refused.getMessage());
      System.setProperty("ipckit.redis.allowEviction", "true");
      try (Ipc ipc = Ipc.open(where)) {
        assertTrue(ipc.names().isEmpty());
      } finally {
        System.clearProperty("ipckit.redis.allowEviction");
      }
    }
  }

  @Test
  void anUnreachableServerIsAnErrorNamingIt() {
    IpcException e = assertThrows(IpcException.class, () -> Ipc.open(URI.create("redis://127.0.0.1:1/ns")));
    assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
  }

  @Test
  void aDroppedSubscriptionLosesTheTokenAndMakesANewOne() {
    try (Ipc ipc = Ipc.open(SERVER.newNamespace("drop"))) {
      Server server = ((RedisNamespace) ipc.namespace()).server;
      String before = server.token();
      long epoch = server.epoch();
      SERVER.command("CLIENT", "KILL", "TYPE", "pubsub");
      Await.until("a new token after the subscription dropped", Duration.ofSeconds(10),
          () -> server.epoch() != epoch && server.token() != null && !server.token().equals(before));
      String after = server.token();
      assertTrue(SERVER.command("PUBSUB", "NUMSUB", before).contains(":0"), "the old token is dead");
      assertTrue(SERVER.command("PUBSUB", "NUMSUB", after).contains(":1"), "the new token is alive");
    }
  }

  @Test
  void aLapsedLeaseLosesTheTokenAndMakesANewOne() {
    try (RedisTestServer server = RedisTestServer.start()) {
      System.setProperty("ipckit.redis.leaseMillis", "300");
      try (Ipc ipc = Ipc.open(server.newNamespace("lease"))) {
        Server s = ((RedisNamespace) ipc.namespace()).server;
        String before = s.token();
        long epoch = s.epoch();
        assertTrue(server.command("PTTL", before + ":lease").matches(":\\d+\r\n"), "the lease has a ttl");
        server.command("DEL", before + ":lease");        // as if this process had paused longer than its lease
        Await.until("a new token after the lease lapsed", Duration.ofSeconds(10),
            () -> s.epoch() != epoch && s.token() != null && !s.token().equals(before));
        assertNotEquals(before, s.token());
        assertTrue(server.command("EXISTS", s.token() + ":lease").contains(":1"));
      } finally {
        System.clearProperty("ipckit.redis.leaseMillis");
      }
    }
  }

  @Test
  void aTemporaryNamespaceIsGoneWhenClosed() {
    URI where;
    try (Ipc ipc = Ipc.temp(SERVER.base())) {
      where = ipc.location();
      assertTrue(where.getPath().startsWith("/tmp-"), where.toString());
      String ns = where.getPath().substring(1);
      assertTrue(SERVER.command("EXISTS", "ipckit:{" + ns + "}:meta").contains(":1"));
    }
    String ns = where.getPath().substring(1);
    assertTrue(SERVER.command("EXISTS", "ipckit:{" + ns + "}:meta").contains(":0"));
  }

  @Test
  void theSweepRemovesOnlyTemporaryNamespacesWhoseOwnerIsDead() {
    String dead = "tmp-sweep-dead-" + ProcessHandle.current().pid();
    SERVER.command("HSET", "ipckit:{" + dead + "}:meta", "@temp", "ipckit:live:h:1:dead", "@version", "1");
    SERVER.command("SET", "ipckit:{" + dead + "}:SharedLong:x", "12345678");
    try (Ipc live = Ipc.temp(SERVER.base())) {
      List<URI> swept = RedisBackend.sweep(SERVER.base());
      assertTrue(swept.contains(URI.create("redis://127.0.0.1:" + SERVER.port() + "/" + dead)), swept.toString());
      assertFalse(swept.contains(live.location()), swept.toString());
      assertTrue(SERVER.command("EXISTS", "ipckit:{" + dead + "}:meta", "ipckit:{" + dead + "}:SharedLong:x")
          .contains(":0"));
      String mine = live.location().getPath().substring(1);
      assertTrue(SERVER.command("EXISTS", "ipckit:{" + mine + "}:meta").contains(":1"));
    }
  }

  @Test
  void deletingANamespaceRemovesEveryKeyOfItAndNoOther() {
    URI where = SERVER.newNamespace("delete");
    String ns = where.getPath().substring(1);
    SERVER.command("HSET", "ipckit:{" + ns + "}:meta", "@version", "1");
    SERVER.command("SET", "ipckit:{" + ns + "}:SharedLong:a", "x");
    SERVER.command("SET", "ipckit:{" + ns + "-other}:meta", "x");
    assertEquals(2, RedisBackend.delete(where));
    assertTrue(SERVER.command("EXISTS", "ipckit:{" + ns + "-other}:meta").contains(":1"));
    assertEquals(0, RedisBackend.delete(where));
  }

  @Test
  void aNamespaceOfAnotherLayoutVersionIsRefusedNamingBoth() {
    URI where = SERVER.newNamespace("version");
    String ns = where.getPath().substring(1);
    SERVER.command("HSET", "ipckit:{" + ns + "}:meta", "@version", "99");
    try (Ipc ipc = Ipc.open(where)) {
      IpcException e = assertThrows(IpcException.class, () -> ipc.sharedLong("v", 0));
      assertTrue(e.getMessage().contains("layout version 99") && e.getMessage().contains("reads 1"), e.getMessage());
    }
  }

  @Test
  void aNameOpenedAsAnotherKindIsAnErrorNamingTheObjectAndBothKinds() {
    try (Ipc ipc = Ipc.open(SERVER.newNamespace("kinds"))) {
      ipc.longArray("a", 4);
      IllegalArgumentException kind = assertThrows(IllegalArgumentException.class, () -> ipc.sharedLong("a", 0));
      assertTrue(kind.getMessage().contains("\"a\"") && kind.getMessage().contains("longArray of length 4")
          && kind.getMessage().contains("not a SharedLong"), kind.getMessage());
      IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> ipc.longArray("a", 5));
      assertTrue(size.getMessage().contains("not a longArray of length 5"), size.getMessage());
      assertEquals(java.util.Set.of("a"), ipc.names());
    }
  }

  @Test
  void aKeyChangedToAnotherTypeBySomethingElseIsAnErrorNamingIt() {
    URI where = SERVER.newNamespace("damaged");
    String ns = where.getPath().substring(1);
    try (Ipc ipc = Ipc.open(where)) {
      dev.ipckit.IpcLock lock = ipc.lock("l");
      SERVER.command("SET", "ipckit:{" + ns + "}:lock:l", "not a hash");
      IpcException e = assertThrows(IpcException.class, lock::tryLock);
      assertTrue(e.getMessage().contains("ipckit:{" + ns + "}:lock:l") && e.getMessage().contains("another type"),
          e.getMessage());
      SERVER.command("DEL", "ipckit:{" + ns + "}:meta");
      SERVER.command("SET", "ipckit:{" + ns + "}:meta", "x");
      IpcException meta = assertThrows(IpcException.class, () -> ipc.sharedLong("v", 0));
      assertTrue(meta.getMessage().contains("ipckit:{" + ns + "}:meta"), meta.getMessage());
    }
  }
}
