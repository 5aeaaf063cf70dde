package dev.ipckit.redis;

import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import dev.ipckit.spi.RemotePools;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.util.KeyValue;

/**
 * Pools across machines on a Redis server: the tasks of {@code Pool.builder().remote(redis://host:port/ns, pool)}
 * run in the {@code dev.ipckit.PoolWorker} processes of that pool, on any machine that reaches the server.
 *
 * <p><b>Keys</b> (prefix {@code ipckit:{ns}:pool:<pool>:}): {@code jobs}, the list of tasks no worker has taken,
 * each {@code <submitter>:<id>:<task bytes>}; {@code inflight:<token>}, the tasks worker {@code token} (its
 * liveness token, see {@link Server}) is running; {@code reply:<submitter>}, the outcomes for one submitter, each
 * {@code <id>:O<outcome bytes>} or {@code <id>:D<token of the worker that died>}; {@code workers}, a hash of
 * worker token to {@code "<version> <threads>"}; {@code submitters}, a hash of submitter to
 * {@code "<version> <token>"}.
 *
 * <p><b>Delivery.</b> A worker thread moves a task from {@code jobs} to its own in-flight list in one command
 * ({@code BLMOVE}, waiting at most a second), runs it, and in one script removes it from the in-flight list and
 * pushes the outcome to the submitter's list. A submitter with tasks outstanding looks every
 * {@value #SWEEP_MILLIS} ms for registered workers that are no longer alive: each task in such a worker's in-flight
 * list becomes a "died" outcome, in the same script that empties the list, so a task gets exactly one outcome and
 * is never run again. The server notices a killed worker's closed socket at once, so its task fails within about
 * {@value #SWEEP_MILLIS} ms; a machine that vanished is noticed when its lease lapses.
 *
 * <p><b>Versions.</b> Workers and submitters register with the version of this wire format; one whose version
 * differs from a live worker's or submitter's is refused at registration, with both versions in the message. (The
 * system property {@code ipckit.redis.poolWireVersion} replaces the version this process claims: for testing that
 * refusal only.)
 */
public final class RedisRemotePools implements RemotePools {
  /** This wire format's version. */
  static final String WIRE_VERSION = "1";
  static final long SWEEP_MILLIS = 200;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] EMPTY = new byte[0];

  private static final Script REGISTER = new Script("poolRegister", String.join("\n",
      "local ver = ARGV[4]",
      "local threads = 0",
      "local w = redis.call('HGETALL', KEYS[1])",
      "for i = 1, #w, 2 do",
      "  local wv, n = string.match(w[i + 1], '^(%S+) (%d+)$')",
      "  if w[i] ~= ARGV[2] and alive(w[i]) then",
      "    if wv ~= ver then return 'refused worker ' .. w[i] .. ' ' .. tostring(wv) end",
      "    threads = threads + tonumber(n)",
      "  end",
      "end",
      "local s = redis.call('HGETALL', KEYS[2])",
      "for i = 1, #s, 2 do",
      "  local sv, tok = string.match(s[i + 1], '^(%S+) (.+)$')",
      "  if not alive(tok) then redis.call('HDEL', KEYS[2], s[i])",
      "  elseif sv ~= ver then return 'refused submitter ' .. tok .. ' ' .. tostring(sv) end",
      "end",
      "if ARGV[1] == 'w' then redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])",
      "else redis.call('HSET', KEYS[2], ARGV[2], ARGV[3]) end",
      "return 'ok ' .. threads"));

  private static final Script SWEEP = new Script("poolSweep", String.join("\n",
      "local w = redis.call('HGETALL', KEYS[1])",
      "local failed = 0",
      "for i = 1, #w, 2 do",
      "  local tok = w[i]",
      "  if not alive(tok) then",
      "    local fl = ARGV[1] .. 'inflight:' .. tok",
      "    for _, e in ipairs(redis.call('LRANGE', fl, 0, -1)) do",
      "      local sub, id = string.match(e, '^([^:]+):(%d+):')",
      "      if sub and redis.call('HEXISTS', ARGV[1] .. 'submitters', sub) == 1 then",
      "        redis.call('RPUSH', ARGV[1] .. 'reply:' .. sub, id .. ':D' .. tok)",
      "        failed = failed + 1",
      "      end",
      "    end",
      "    redis.call('DEL', fl)",
      "    redis.call('HDEL', KEYS[1], tok)",
      "  end",
      "end",
      "return failed"));

  private static final Script FINISH = new Script("poolFinish", String.join("\n",
      "if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end",
      "if redis.call('HEXISTS', KEYS[3], ARGV[3]) == 0 then return 0 end",
      "redis.call('RPUSH', KEYS[2], ARGV[2])",
      "return 1"));

  private static final Script CANCEL = new Script("poolCancel", String.join("\n",
      "local n = 0",
      "for _, e in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do",
      "  if string.sub(e, 1, #ARGV[1]) == ARGV[1] then",
      "    redis.call('LREM', KEYS[1], 1, e)",
      "    n = n + 1",
      "  end",
      "end",
      "return n"));

  private static final Script UNREGISTER_WORKER = new Script("poolUnregisterWorker", String.join("\n",
      "if redis.call('LLEN', KEYS[2]) == 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end",
      "return 1"));

  /** Made by {@link java.util.ServiceLoader}. */
  public RedisRemotePools() {
  }

  @Override
  public Set<String> schemes() {
    return Set.of(RedisLocation.REDIS, RedisLocation.REDISS);
  }

  @Override
  public Submitter connect(URI location, String poolName, Replies replies) {
    Keys k = new Keys(location, poolName);
    Server server = Server.acquire(k.where);
    try {
      return new RedisSubmitter(server, k, replies);
    } catch (RuntimeException e) {
      server.release();
      throw e;
    }
  }

  @Override
  public Worker serve(URI location, String poolName, int threads, Runner runner) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive: threads=" + threads);
    }
    Keys k = new Keys(location, poolName);
    Server server = Server.acquire(k.where);
    try {
      return new RedisWorker(server, k, threads, runner);
    } catch (RuntimeException e) {
      server.release();
      throw e;
    }
  }

  @Override
  public String toString() {
    return "RedisRemotePools" + schemes();
  }

  /** The version this process claims. */
  static String version() {
    String v = System.getProperty("ipckit.redis.poolWireVersion", WIRE_VERSION);
    if (v.isEmpty() || v.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("ipckit.redis.poolWireVersion must be a word: \"" + v + "\"");
    }
    return v;
  }

  /**
   * Registers {@code id} as a worker ({@code role} "w") or a submitter ("s"); returns the live worker threads of
   * the pool besides it.
   *
   * @throws IllegalStateException if a live member speaks another version
   */
  static int register(Server server, Keys k, String role, String id, String value) {
    String v = version();
    String r = Script.asString(server.run(REGISTER, List.of(k.workers, k.submitters), role, id, value, v));
    if (r.startsWith("ok ")) {
      return Integer.parseInt(r.substring(3));
    }
    String[] p = r.split(" ");                   // refused <worker|submitter> <token> <version>
    throw new Refused("pool " + k.pool + " at " + k.where.uri() + " refused this "
        + (role.equals("w") ? "worker" : "submitter") + ": it speaks version " + v + " of the pool wire format,"
        + " and the live " + p[1] + " on host " + Server.hostOf(p[2]) + " (pid " + Server.pidOf(p[2])
        + ") speaks version " + p[3] + ": run the same ipckit version on every machine of the pool");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Index of the {@code n}th (1-based) ':' in {@code b}, or -1. */
  private static int colon(byte[] b, int n) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == ':' && --n == 0) {
        return i;
      }
    }
    return -1;
  }

  /** A registration refused for its version. */
  static final class Refused extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /** The keys of one pool. */
  static final class Keys {
    final RedisLocation where;
    final String pool;
    final String prefix;
    final String jobs;
    final String workers;
    final String submitters;

    Keys(URI location, String poolName) {
      this.where = RedisLocation.parse(location, true);
      this.pool = Ipc.checkName(poolName);
      this.prefix = "ipckit:{" + where.namespace() + "}:pool:" + pool + ":";
      this.jobs = prefix + "jobs";
      this.workers = prefix + "workers";
      this.submitters = prefix + "submitters";
    }

    String inflight(String token) {
      return prefix + "inflight:" + token;
    }

    String reply(String submitter) {
      return prefix + "reply:" + submitter;
    }
  }

  /** A submitter: queues tasks, reads its outcomes on its own thread, and sweeps dead workers' tasks. */
  private static final class RedisSubmitter implements Submitter {
    private final Server server;
    private final Keys k;
    private final Replies replies;
    private final String id = Long.toHexString(RANDOM.nextLong() >>> 1);
    private final byte[] replyKey;
    private final byte[] jobsKey;
    private final int threads;
    private final AtomicLong outstanding = new AtomicLong();
    private final Thread reader;
    /** The liveness token this submitter is registered with; the reader registers again when it changes. */
    private String registeredWith;
    private volatile boolean closed;

    RedisSubmitter(Server server, Keys k, Replies replies) {
      this.server = server;
      this.k = k;
      this.replies = replies;
      this.replyKey = utf8(k.reply(id));
      this.jobsKey = utf8(k.jobs);
      this.registeredWith = server.token();
      this.threads = Math.max(1, register(server, k, "s", id, version() + " " + registeredWith));
      this.reader = new Thread(this::readLoop, "ipckit-pool-replies-" + k.pool);
      this.reader.setDaemon(true);
      this.reader.start();
    }

    @Override
    public int workerThreads() {
      return threads;
    }

    @Override
    public void submit(long taskId, byte[] task) {
      if (closed) {
        throw new IllegalStateException("the connection to pool " + k.pool + " is closed");
      }
      byte[] entry = concat(utf8(id + ":" + taskId + ":"), task);
      outstanding.incrementAndGet();
      try {
        server.call(j -> j.rpush(jobsKey, entry));
      } catch (RuntimeException e) {
        outstanding.decrementAndGet();
        throw e;
      }
    }

    @Override
    public void cancelQueued() {
      long n = Script.asLong(server.run(CANCEL, List.of(k.jobs), id + ":"));
      outstanding.addAndGet(-n);
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        reader.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        server.call(j -> {
          j.hdel(k.submitters, id);
          return j.del(replyKey);
        });
      } catch (RuntimeException ignored) {
        // the server is gone: the next registration drops this dead submitter
      } finally {
        server.release();
      }
    }

    private void readLoop() {
      long lastSweep = System.nanoTime();
      while (!closed) {
        try {
          String t = server.token();
          if (!t.equals(registeredWith)) {          // reconnected: a dead token's registration would be dropped
            register(server, k, "s", id, version() + " " + t);
            registeredWith = t;
          }
          List<byte[]> got = server.call(j -> {
            KeyValue<byte[], byte[]> kv = j.blpop(SWEEP_MILLIS / 1000.0, replyKey);
            if (kv == null) {
              return List.<byte[]>of();
            }
            List<byte[]> out = new ArrayList<>();
            out.add(kv.getValue());
            List<byte[]> more = j.lpop(replyKey, 256);
            if (more != null) {
              out.addAll(more);
            }
            return out;
          });
          for (byte[] r : got) {
            deliver(r);
          }
          if (outstanding.get() > 0 && System.nanoTime() - lastSweep >= TimeUnit.MILLISECONDS.toNanos(SWEEP_MILLIS)) {
            lastSweep = System.nanoTime();
            server.run(SWEEP, List.of(k.workers), k.prefix);
          }
        } catch (RuntimeException e) {
          if (closed || server.closed()) {
            return;
          }
          try {
            Thread.sleep(SWEEP_MILLIS);           // the server is unreachable: try again shortly
          } catch (InterruptedException stop) {
            return;
          }
        }
      }
    }

    private void deliver(byte[] r) {
      int c = colon(r, 1);
      if (c < 0 || c + 1 >= r.length) {
        return;
      }
      long taskId;
      try {
        taskId = Long.parseLong(new String(r, 0, c, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        return;
      }
      outstanding.decrementAndGet();
      byte kind = r[c + 1];
      byte[] body = java.util.Arrays.copyOfRange(r, c + 2, r.length);
      if (kind == 'O') {
        replies.outcome(taskId, body);
      } else {
        String token = new String(body, StandardCharsets.UTF_8);
        replies.died(taskId, "worker " + token + " of pool " + k.pool + " (host " + Server.hostOf(token) + ", pid "
            + Server.pidOf(token) + ") died");
      }
    }
  }

  /** A worker: its threads take tasks, run them and send back their outcomes. */
  private static final class RedisWorker implements Worker {
    private final Server server;
    private final Keys k;
    private final int threads;
    private final Runner runner;
    private final byte[] jobsKey;
    private final List<Thread> loops = new ArrayList<>();
    private final CountDownLatch stopped;
    private final Object registration = new Object();
    private volatile String registeredAs;
    private volatile boolean closing;
    private boolean closed;

    RedisWorker(Server server, Keys k, int threads, Runner runner) {
      this.server = server;
      this.k = k;
      this.threads = threads;
      this.runner = runner;
      this.jobsKey = utf8(k.jobs);
      this.stopped = new CountDownLatch(threads);
      registered();                                // refused here, before any task
      for (int i = 0; i < threads; i++) {
        Thread t = new Thread(this::loop, "ipckit-pool-worker-" + k.pool + "-" + i);
        loops.add(t);
        t.start();
      }
    }

    /** The token this worker is registered under, registering again if the token changed (a reconnect). */
    private String registered() {
      String t = server.token();
      if (t.equals(registeredAs)) {
        return t;
      }
      synchronized (registration) {
        if (!t.equals(registeredAs)) {
          register(server, k, "w", t, version() + " " + threads);
          registeredAs = t;
        }
      }
      return t;
    }

    private void loop() {
      try {
        while (!closing) {
          try {
            step();
          } catch (Refused refused) {
            System.err.println("PoolWorker: " + refused.getMessage());
            return;
          } catch (RuntimeException e) {
            if (closing || server.closed()) {
              return;
            }
            if (!(e instanceof IpcException)) {
              System.getLogger(RedisRemotePools.class.getName()).log(System.Logger.Level.WARNING,
                  "pool " + k.pool + " worker: " + e, e);
            }
            try {
              Thread.sleep(SWEEP_MILLIS);         // the server is unreachable: try again shortly
            } catch (InterruptedException stop) {
              return;
            }
          }
        }
      } finally {
        stopped.countDown();
      }
    }

    private void step() {
      String token = registered();
      String inflight = k.inflight(token);
      byte[] inflightKey = utf8(inflight);
      byte[] entry = server.call(j -> j.blmove(jobsKey, inflightKey, ListDirection.LEFT, ListDirection.RIGHT, 1.0));
      if (entry == null) {
        return;
      }
      int c1 = colon(entry, 1);
      int c2 = colon(entry, 2);
      String sub = new String(entry, 0, Math.max(0, c1), StandardCharsets.US_ASCII);
      byte[] out;
      String taskId;
      if (c1 <= 0 || c2 < 0) {
        server.call(j -> j.lrem(inflightKey, 1, entry));     // not a task of this format: dropped
        return;
      }
      taskId = new String(entry, c1 + 1, c2 - c1 - 1, StandardCharsets.US_ASCII);
      out = runner.run(java.util.Arrays.copyOfRange(entry, c2 + 1, entry.length));
      byte[] reply = concat(utf8(taskId + ":O"), out == null ? EMPTY : out);
      server.run(FINISH, List.of(inflight, k.reply(sub), k.submitters), entry, reply, sub);
    }

    @Override
    public boolean await() throws InterruptedException {
      stopped.await();
      return closing;
    }

    @Override
    public void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      closing = true;
      for (Thread t : loops) {
        try {
          t.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      String t = registeredAs;
      try {
        if (t != null) {
          server.run(UNREGISTER_WORKER, List.of(k.workers, k.inflight(t)), t);
        }
      } catch (RuntimeException ignored) {
        // the server is gone: a submitter's sweep drops this worker once its token is dead
      } finally {
        server.release();
      }
    }
  }
}
