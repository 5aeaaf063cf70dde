package dev.ipckit.redis;

import dev.ipckit.IpcException;
import dev.ipckit.spi.Backend;
import dev.ipckit.spi.Namespace;
import java.net.URI;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;

/**
 * The Redis backend: namespaces at {@code redis://host:6379/ns} (and {@code rediss://} for TLS), shared by every
 * process on every machine that reaches the server, with the API of {@code dev.ipckit}. A namespace is the keys
 * {@code ipckit:{ns}:*}; credentials come from {@link RedisConfig its configuration} ({@code ipckit.redis.user},
 * {@code ipckit.redis.password}), never from the location.
 *
 * <p>One server (with the replicas Redis provides); Redis Cluster is not supported: liveness counts the
 * subscribers of a process's channel on one node. The server must not evict keys ({@code maxmemory-policy
 * noeviction}, Redis's default): a server that may is refused, since an evicted queue is lost data.
 *
 * <p>Namespaces never expire: {@link #delete(URI)} removes one, {@link #sweep(URI)} removes the temporary ones
 * ({@code Ipc.temp(URI)}) whose owners died before closing them.
 */
public final class RedisBackend implements Backend {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Made by {@link java.util.ServiceLoader}. */
  public RedisBackend() {
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public Set<String> schemes() {
    return Set.of(RedisLocation.REDIS, RedisLocation.REDISS);
  }

  @Override
  public Namespace open(URI location) {
    RedisLocation where = RedisLocation.parse(location, true);
    return new RedisNamespace(Server.acquire(where), where, false);
  }

  @Override
  public Namespace attach(URI location) {
    RedisLocation where = RedisLocation.parse(location, true);
    Server server = Server.acquire(where);
    RedisNamespace ns = new RedisNamespace(server, where, false);
    if (!server.call(j -> j.exists(ns.metaKey()))) {
      ns.close();
      throw new IpcException("cannot attach to the namespace " + where.uri() + ": it does not exist (was it closed"
          + " or deleted?)");
    }
    return ns;
  }

  @Override
  public Namespace createTemp(URI base) {
    RedisLocation server = RedisLocation.parse(base, false);
    String name = "tmp-" + ProcessHandle.current().pid() + "-" + Long.toHexString(RANDOM.nextLong() >>> 1);
    RedisLocation where = server.withNamespace(name);
    RedisNamespace ns = new RedisNamespace(Server.acquire(where), where, true);
    ns.markTemp();
    return ns;
  }

  /**
   * Deletes the namespace at {@code location} with everything in it, whoever uses it: their handles then see
   * missing objects. Returns the number of keys removed (0 if there was no such namespace).
   *
   * @throws IllegalArgumentException if {@code location} is not a {@code redis:} or {@code rediss:} namespace
   *                                  location
   * @throws IpcException             if the server cannot be reached
   */
  public static long delete(URI location) {
    RedisLocation where = RedisLocation.parse(location, true);
    Server server = Server.acquire(where);
    try {
      return RedisNamespace.deleteKeys(server, "ipckit:{" + where.namespace() + "}:");
    } finally {
      server.release();
    }
  }

  /**
   * Deletes the temporary namespaces on the server of {@code server} whose owning process is dead (it did not
   * close them): the namespaces {@code Ipc.temp(URI)} made, and only those. Returns their locations.
   *
   * @throws IpcException if the server cannot be reached
   */
  public static List<URI> sweep(URI server) {
    RedisLocation at = RedisLocation.parse(server, false);
    Server s = Server.acquire(at);
    try {
      java.util.ArrayList<URI> swept = new java.util.ArrayList<>();
      for (String ns : TempSweep.deadTemporaries(s)) {
        RedisNamespace.deleteKeys(s, "ipckit:{" + ns + "}:");
        swept.add(at.withNamespace(ns).uri());
      }
      return swept;
    } finally {
      s.release();
    }
  }

  @Override
  public String toString() {
    return "RedisBackend" + schemes();
  }

  /** Finds temporary namespaces whose owner token is not alive. */
  static final class TempSweep {
    private static final Script DEAD = new Script("tempOwnerDead", String.join("\n",
        "local t = redis.call('HGET', KEYS[1], '" + RedisNamespace.TEMP_FIELD + "')",
        "if not t then return 0 end",
        "if alive(t) then return 0 end",
        "return 1"));

    private TempSweep() {
    }

    static List<String> deadTemporaries(Server s) {
      return s.call(j -> {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        String cursor = "0";
        redis.clients.jedis.params.ScanParams p = new redis.clients.jedis.params.ScanParams()
            .match("ipckit:{tmp-*}:meta").count(1000);
        do {
          redis.clients.jedis.resps.ScanResult<String> r = j.scan(cursor, p);
          for (String key : r.getResult()) {
            Object dead = DEAD.run(j, List.of(RedisNamespace.utf8(key)));
            if (Script.asLong(dead) == 1) {
              out.add(key.substring("ipckit:{".length(), key.length() - "}:meta".length()));
            }
          }
          cursor = r.getCursor();
        } while (!cursor.equals("0"));
        return out;
      });
    }
  }
}
