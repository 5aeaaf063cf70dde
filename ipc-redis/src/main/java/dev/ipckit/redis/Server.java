package dev.ipckit.redis;

import dev.ipckit.IpcException;
import dev.ipckit.spi.Deadline;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * This JVM's connection to one Redis server (and database): a pool of connections for commands, and one
 * connection subscribed to this process's own channel, its <em>liveness token</em>.
 *
 * <p><b>Liveness.</b> A process is alive for the others while its token channel has a subscriber and its lease key
 * ({@code token:lease}) exists; {@link Script#PRELUDE}'s {@code alive()} checks both inside scripts. The kernel
 * closes a killed process's socket and the server drops its subscription at once, so a takeover after a process
 * death takes milliseconds; the lease, renewed every third of {@link RedisConfig#lease}, covers a machine that
 * died or was cut off. When the subscription drops (the connection failed, the server restarted) or the lease
 * lapsed, this process has lost everything it held under its token: it makes a new token, and {@link #epoch()}
 * changes, which holders compare with the epoch of their acquisition.
 *
 * <p>The same subscriber connection carries the wake-ups of the objects this JVM waits on ({@link Signal}).
 */
final class Server {
  private static final Map<String, Server> SERVERS = new HashMap<>();
  private static final SecureRandom RANDOM = new SecureRandom();

  final RedisLocation location;
  final RedisConfig config;
  private final JedisPool pool;
  private final HostAndPort address;
  private final JedisClientConfig subscriberConfig;
  private final Map<String, Signal> signals = new ConcurrentHashMap<>();
  private final Thread subscriber;
  private final Thread renewer;
  private final Object tokenLock = new Object();
  private volatile Sub pubsub;
  private volatile String token;
  private volatile long epoch;
  private volatile String lastFailure;
  private volatile boolean closed;
  private int users;

  private Server(RedisLocation location, RedisConfig config) {
    this.location = location;
    this.config = config;
    this.address = new HostAndPort(location.host(), location.port());
    DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
        .user(config.user).password(config.password).database(location.db()).ssl(location.tls())
        .connectionTimeoutMillis(config.timeoutMillis).socketTimeoutMillis(config.timeoutMillis)
        .clientSetInfoConfig(ClientSetInfoConfig.DISABLED).clientName("ipckit-" + pid());
    JedisClientConfig cc = b.build();
    this.subscriberConfig = cc;
    GenericObjectPoolConfig<Jedis> pc = new GenericObjectPoolConfig<>();
    pc.setMaxTotal(64);
    pc.setMaxIdle(64);
    pc.setMinIdle(0);
    pc.setBlockWhenExhausted(true);
    pc.setMaxWait(java.time.Duration.ofMillis(config.timeoutMillis));
    pc.setJmxEnabled(false);
    this.pool = new JedisPool(pc, address, cc);
    this.subscriber = new Thread(this::subscribeLoop, "ipckit-redis-liveness-" + location.address());
    this.subscriber.setDaemon(true);
    this.renewer = new Thread(this::renewLoop, "ipckit-redis-lease-" + location.address());
    this.renewer.setDaemon(true);
  }

  /** This JVM's connection to the server of {@code location}, opened on first use; release with {@link #release()}. */
  static Server acquire(RedisLocation location) {
    Server s;
    synchronized (SERVERS) {
      s = SERVERS.get(location.serverKey());
      if (s == null) {
        s = new Server(location.withNamespace(null), RedisConfig.fromEnvironment());
        s.start();
        SERVERS.put(location.serverKey(), s);
      }
      s.users++;
    }
    return s;
  }

  /** One user fewer; the last one closes the connections (and so ends this process's token). */
  void release() {
    synchronized (SERVERS) {
      if (--users > 0) {
        return;
      }
      SERVERS.remove(location.serverKey());
    }
    closed = true;
    Sub p = pubsub;
    if (p != null) {
      try {
        p.unsubscribe();
      } catch (RuntimeException ignored) {
        // the connection is gone already
      }
    }
    subscriber.interrupt();
    renewer.interrupt();
    pool.close();
    for (Signal s : signals.values()) {
      s.fire();
    }
  }

  private void start() {
    try (Jedis j = pool.getResource()) {
      j.ping();
    } catch (JedisDataException e) {           // NOAUTH, WRONGPASS, an ACL refusal
      pool.close();
      throw new IpcException("the Redis server at " + location.address() + " refused this client ("
          + e.getMessage() + "): give the credentials with ipckit.redis.user / ipckit.redis.password (or"
          + " IPCKIT_REDIS_USER / IPCKIT_REDIS_PASSWORD); a location never carries them", e);
    } catch (JedisException e) {
      pool.close();
      throw new IpcException("cannot reach the Redis server at " + location.address() + ": " + e.getMessage(), e);
    }
    checkEviction();
    subscriber.start();
    renewer.start();
    token();                                   // wait until this process is visible as alive
  }

  /**
   * Refuses a server whose {@code maxmemory-policy} may evict keys (an evicted queue is lost data, an evicted lease
   * a live process taken for dead), unless {@code ipckit.redis.allowEviction} is set; a server that does not let
   * this client read its configuration gets a warning.
   */
  private void checkEviction() {
    String policy;
    try (Jedis j = pool.getResource()) {
      Map<String, String> m = j.configGet("maxmemory-policy");
      policy = m.get("maxmemory-policy");
    } catch (JedisException e) {
      System.getLogger(Server.class.getName()).log(System.Logger.Level.WARNING, "cannot read the maxmemory-policy"
          + " of the Redis server at " + location.address() + " (" + e.getMessage() + "): make sure it is"
          + " noeviction, or evicted keys lose queued messages and locks");
      return;
    }
    if (policy == null || policy.equals("noeviction")) {
      return;
    }
    String message = "the Redis server at " + location.address() + " has maxmemory-policy " + policy
        + ", which may evict keys: an evicted queue is lost data and an evicted lease makes a live process look"
        + " dead. Set maxmemory-policy noeviction";
    if (config.allowEviction) {
      System.getLogger(Server.class.getName()).log(System.Logger.Level.WARNING, message
          + " (ipckit.redis.allowEviction is set: going on)");
      return;
    }
    pool.close();
    throw new IpcException(message + ", or set ipckit.redis.allowEviction=true to go on at that risk");
  }

  // ---- commands

  /** Runs {@code f} on a pooled connection; a connection failure is an {@link IpcException} naming the server. */
  <T> T call(Function<Jedis, T> f) {
    if (closed) {
      throw new IllegalStateException("the connection to the Redis server at " + location.address() + " is closed");
    }
    try (Jedis j = pool.getResource()) {
      return f.apply(j);
    } catch (JedisConnectionException e) {
      // the server may have closed every connection of the pool (CLIENT KILL, a restart, its idle timeout): the
      // next call gets fresh ones instead of failing once per stale idle connection
      dropIdleConnections();
      throw new IpcException("the Redis server at " + location.address() + " cannot be reached: " + e.getMessage(),
          e);
    } catch (JedisDataException e) {
      throw new IpcException("the Redis server at " + location.address() + " refused a command: " + e.getMessage(),
          e);
    }
  }

  /**
   * Closes every idle pooled connection, so that the next call opens a fresh one: after a call failed on a
   * connection the server had closed ({@code CLIENT KILL}, its idle {@code timeout}), the other idle ones are
   * likely closed too. For a caller that retries such a call.
   */
  void dropIdleConnections() {
    try {
      pool.clear();
    } catch (RuntimeException ignored) {
      // closing a dead connection may fail: it is gone either way
    }
  }

  /** Runs {@code script} with {@code keys} (strings) and {@code args}. */
  Object run(Script script, List<String> keys, Object... args) {
    List<byte[]> k = new ArrayList<>(keys.size());
    for (String key : keys) {
      k.add(key.getBytes(StandardCharsets.UTF_8));
    }
    try {
      return call(j -> script.run(j, k, args));
    } catch (IpcException e) {
      Throwable c = e.getCause();
      if (c instanceof JedisDataException && String.valueOf(c.getMessage()).contains("WRONGTYPE")) {
        throw new IpcException("a key of " + keys + " on the Redis server at " + location.address() + " holds a value"
            + " of another type than ipckit wrote there (changed by something other than ipckit?): "
            + e.getCause().getMessage(), e.getCause());
      }
      throw e;
    }
  }

  /**
   * As {@link #call}, for a command that may run twice without harm (a read, a plain store): when its connection
   * fails, the server may have dropped every connection of this pool ({@code CLIENT KILL}, a restart), so the idle
   * ones are discarded and the command runs once more, on a new connection.
   */
  <T> T callIdempotent(Function<Jedis, T> f) {
    try {
      return call(f);
    } catch (IpcException e) {
      if (closed || !(e.getCause() instanceof JedisConnectionException)) {
        throw e;
      }
      return call(f);
    }
  }

  // ---- liveness

  /**
   * This process's current liveness token, waiting (up to the configured timeout) for the subscription that makes
   * it alive.
   *
   * @throws IpcException if the server cannot be reached
   */
  String token() {
    String t = token;
    if (t != null) {
      return t;
    }
    long deadline = Deadline.after(config.timeoutMillis, TimeUnit.MILLISECONDS);
    boolean interrupted = false;               // the wait is bounded: the caller sees the interrupt afterwards
    try {
      synchronized (tokenLock) {
        while ((t = token) == null) {
          long left = Deadline.remaining(deadline);
          if (closed || left <= 0) {
            throw new IpcException("no connection to the Redis server at " + location.address()
                + (lastFailure == null ? "" : ": " + lastFailure));
          }
          try {
            TimeUnit.NANOSECONDS.timedWait(tokenLock, left);
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
      return t;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Changes whenever this process loses its token (and with it everything it held). */
  long epoch() {
    return epoch;
  }

  /** How long a waiter keeps looking again without parking (a reply from a peer arrives within that). */
  long spinNanos() {
    return config.spin.toNanos();
  }

  /** The longest a waiter waits before it looks again on its own. */
  long probeNanos() {
    return config.probe.toNanos();
  }

  private static String pid() {
    return String.valueOf(ProcessHandle.current().pid());
  }

  private static String newToken() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException | RuntimeException e) {
      host = "host";
    }
    host = host.replaceAll("[^A-Za-z0-9.-]", "_");
    return "ipckit:live:" + host + ":" + pid() + ":" + Long.toHexString(RANDOM.nextLong());
  }

  /** The pid in a token ({@code ipckit:live:host:pid:random}), for messages; -1 if it has none. */
  static long pidOf(String token) {
    if (token == null) {
      return -1;
    }
    String[] p = token.split(":");
    try {
      return p.length >= 5 ? Long.parseLong(p[3]) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The host in a token, for messages. */
  static String hostOf(String token) {
    String[] p = token == null ? new String[0] : token.split(":");
    return p.length >= 5 ? p[2] : "?";
  }

  private final class Sub extends JedisPubSub {
    private final String mine;

    Sub(String mine) {
      this.mine = mine;
    }

    @Override
    public void onSubscribe(String channel, int count) {
      if (channel.equals(mine)) {
        synchronized (signals) {             // from now on subscribe() adds channels through this connection
          pubsub = this;
          if (!signals.isEmpty()) {
            subscribe(signals.keySet().toArray(new String[0]));
          }
        }
        synchronized (tokenLock) {
          token = mine;
          tokenLock.notifyAll();
        }
        return;
      }
      Signal s = signals.get(channel);
      if (s != null) {
        s.subscribed(true);
      }
    }

    @Override
    public void onMessage(String channel, String message) {
      Signal s = signals.get(channel);
      if (s != null) {
        s.fire();
      }
    }
  }

  private void subscribeLoop() {
    long backoff = 50;
    while (!closed) {
      String mine = newToken();
      try (Jedis j = new Jedis(address, subscriberConfig)) {
        j.set(mine + ":lease", "1", SetParams.setParams().px(config.lease.toMillis()));
        Sub p = new Sub(mine);
        backoff = 50;
        j.subscribe(p, mine);                  // returns when unsubscribed (closing) or the connection fails
      } catch (RuntimeException e) {
        lastFailure = String.valueOf(e.getMessage());
      } finally {
        lose();
      }
      if (!closed) {
        try {
          Thread.sleep(backoff);              // reconnect after a failure, backing off to 1 s
        } catch (InterruptedException e) {
          return;
        }
        backoff = Math.min(1000, backoff * 2);
      }
    }
  }

  /** This process's token is gone: whatever it held is lost; every waiter looks again. */
  private void lose() {
    synchronized (tokenLock) {
      token = null;
      epoch++;
    }
    synchronized (signals) {
      pubsub = null;
      for (Signal s : signals.values()) {
        s.subscribed(false);
        s.fire();
      }
    }
  }

  private void renewLoop() {
    long every = Math.max(1, config.lease.toMillis() / 3);
    while (!closed) {
      try {
        Thread.sleep(every);
      } catch (InterruptedException e) {
        return;
      }
      String t = token;
      Sub p = pubsub;
      if (t == null || p == null) {
        continue;
      }
      try (Jedis j = pool.getResource()) {
        String ok = j.set(t + ":lease", "1", SetParams.setParams().px(config.lease.toMillis()).xx());
        if (ok == null && t.equals(token)) {
          // the lease lapsed (a pause longer than the lease): others may have taken what this process held
          lastFailure = "the lease of " + t + " lapsed";
          p.unsubscribe();
        }
      } catch (RuntimeException e) {
        lastFailure = String.valueOf(e.getMessage());
      }
    }
  }

  // ---- wake-ups

  /** The signal of {@code channel}, subscribed on first use; release it with {@link #unsubscribe(Signal)}. */
  Signal subscribe(String channel) {
    Signal s;
    synchronized (signals) {
      s = signals.computeIfAbsent(channel, Signal::new);
      if (s.refs++ == 0) {
        Sub p = pubsub;
        if (p != null) {
          try {
            p.subscribe(channel);
          } catch (RuntimeException e) {
            // the connection is failing: the reconnect subscribes every channel in the map
          }
        }
      }
    }
    return s;
  }

  /** One user of {@code s} fewer; the last one unsubscribes. */
  void unsubscribe(Signal s) {
    synchronized (signals) {
      if (--s.refs > 0) {
        return;
      }
      signals.remove(s.channel);
      Sub p = pubsub;
      if (p != null && !closed) {
        try {
          p.unsubscribe(s.channel);
        } catch (RuntimeException ignored) {
          // the connection is failing: nothing left to unsubscribe
        }
      }
    }
  }

  /** Waits (briefly, at most the timeout) until {@code s} is subscribed, so that no message to it is missed. */
  void awaitSubscribed(Signal s) {
    long deadline = Deadline.after(Math.min(config.timeoutMillis, 1000), TimeUnit.MILLISECONDS);
    while (!s.subscribed() && !closed && !Deadline.passed(deadline) && !Thread.currentThread().isInterrupted()) {
      long seen = s.seq();
      if (s.subscribed()) {
        return;
      }
      s.await(seen, TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  boolean closed() {
    return closed;
  }
}
