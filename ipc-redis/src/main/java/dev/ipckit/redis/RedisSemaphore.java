package dev.ipckit.redis;

import dev.ipckit.IpcException;
import dev.ipckit.spi.CheckedSemaphore;
import dev.ipckit.spi.ReclaimedPermits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import static dev.ipckit.spi.PermitSemaphore.checkPermits;

/**
 * {@link dev.ipckit.Ipc#semaphore} and {@link dev.ipckit.Ipc#boundedSemaphore} on Redis: the permit count in a hash
 * at the object key, and beside it what each process holds, so that the permits of a process that is gone come back.
 *
 * <p><b>State.</b> The hash at the object key has {@code p}, the permits available, and {@code u}, the
 * <em>unreported</em> permits among them: permits a reclaim gave back that no acquisition has taken yet (those
 * that do report {@link #reclaimed()}). {@code KEY:holders} maps the liveness token of each process holding permits
 * to how many it holds ({@link Kind#SEMAPHORE}). Every operation is one script: the count and the holdings change
 * together or not at all, whatever instant a process is killed at. Numbers stay below 2<sup>53</sup> (a plain
 * semaphore's count saturates at {@link #MAX_COUNT}, as the shared-memory backend's count word does), so the
 * scripts' arithmetic on Lua's doubles is exact; they store numbers with {@code %d}, never Lua's default format.
 *
 * <p><b>Reclaim.</b> An acquisition that finds too few permits first looks at the holders: every token that is not
 * {@code alive()} gives its permits back to the count (never past the bound) and to {@code u}, and its entry goes. A
 * {@code tryAcquire} does this before it answers; a waiter ({@link RedisHandle#await}) at every attempt, which
 * comes at each wake-up and at least every probe interval: a holder killed with {@code kill -9} loses its
 * subscription at once, so its permits come back within milliseconds.
 *
 * <p><b>Wake-ups.</b> The scripts that raise the count (a release, a reclaim) publish on the object key; those that
 * only lower it or move holdings (an acquisition, a drain, a disown) do not, since no waiter can go on because of
 * them and a publication would only have every waiter look again for nothing.
 *
 * <p><b>A lost token.</b> When this process loses its token (its connection dropped, its lease lapsed: {@link
 * Server#epoch()}), the permits it held under the old one are the permits of a process that is gone: others reclaim
 * them. This JVM keeps what it holds under each token ({@link Local}); a release of permits held under a lost token
 * returns them from that token's entry if it is still there, and otherwise returns nothing, since the reclaim gave
 * them back already: no permit is made or lost by a reconnect. An acquisition made while the server no longer
 * counts this process's token as alive takes nothing (a {@code tryAcquire} returns false, a drain 0, a waiter looks
 * again), since the others may reclaim whatever that token holds.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads and processes. The threads and handles of one process
 * share its holdings (its token) and its {@link Local}.
 *
 * <p><b>Memory consistency.</b> The server runs one script at a time: actions before {@link #release()} happen-before
 * actions after an acquisition that takes the permit it returned.
 */
final class RedisSemaphore extends RedisHandle implements CheckedSemaphore {
  private static final long serialVersionUID = 1L;
  /** The most permits a plain semaphore counts (more releases leave it there): far below 2^53. */
  static final long MAX_COUNT = (1L << 47) - 1;

  /** Helpers of the semaphore scripts: a number field (0 when missing), a number as a string, a decrement. */
  private static final String HELPERS = String.join("\n",
      "local function num(x) if x then return tonumber(x) end return 0 end",
      "local function str(x) return string.format('%d', x) end",
      "local function dec(t, x)",
      "  if redis.call('HINCRBY', KEYS[2], t, str(-x)) <= 0 then redis.call('HDEL', KEYS[2], t) end",
      "end",
      "");

  /**
   * Takes ARGV[2] permits for token ARGV[1] if there are that many, first reclaiming the permits of the dead holders
   * when there are too few (never past ceiling ARGV[3]). {-2}: no such semaphore; {-1}: the caller's token is not
   * alive; {0}: too few; {1, k}: taken, k of them reclaimed ones.
   */
  private static final Script ACQUIRE = new Script("semaphoreAcquire", HELPERS + String.join("\n",
      "if redis.call('EXISTS', KEYS[1]) == 0 then return {-2} end",
      "local tok = ARGV[1]",
      "if not alive(tok) then return {-1} end",
      "local n = tonumber(ARGV[2])",
      "local s = redis.call('HMGET', KEYS[1], 'p', 'u')",
      "local c = num(s[1])",
      "local u = math.min(num(s[2]), c)",
      "if c < n then",
      "  local ceiling = tonumber(ARGV[3])",
      "  local h = redis.call('HGETALL', KEYS[2])",
      "  local back = 0",
      "  for i = 1, #h, 2 do",
      "    if h[i] ~= tok and not alive(h[i]) then",
      "      back = back + math.max(0, math.min(tonumber(h[i + 1]), ceiling - c - back))",
      "      redis.call('HDEL', KEYS[2], h[i])",
      "    end",
      "  end",
      "  if back > 0 then",
      "    c = c + back",
      "    u = u + back",
      "    redis.call('HSET', KEYS[1], 'p', str(c), 'u', str(u))",
      "    redis.call('PUBLISH', KEYS[1], '')",
      "  end",
      "  if c < n then return {0} end",
      "end",
      "local taken = math.min(u, n)",
      "redis.call('HSET', KEYS[1], 'p', str(c - n), 'u', str(u - taken))",
      "redis.call('HINCRBY', KEYS[2], tok, ARGV[2])",
      "return {1, taken}"));

  /**
   * Returns ARGV[2] permits: first out of the holdings of token ARGV[1], then out of those of this process's lost
   * tokens (pairs token, permits from ARGV[5]: from the entry if it is still there, else nothing is returned, the
   * reclaim having done it), the rest anonymously. Refuses (ARGV[4] = '1', bounded) or saturates at ceiling ARGV[3].
   * {-2}: no such semaphore; {-3, count}: refused, nothing changed; {1, own, lost1, lost2, ...}: what came out of
   * each holding.
   */
  private static final Script RELEASE = new Script("semaphoreRelease", HELPERS + String.join("\n",
      "if redis.call('EXISTS', KEYS[1]) == 0 then return {-2} end",
      "local tok = ARGV[1]",
      "local n = tonumber(ARGV[2])",
      "local ceiling = tonumber(ARGV[3])",
      "local c = num(redis.call('HGET', KEYS[1], 'p'))",
      "local own = math.min(n, num(redis.call('HGET', KEYS[2], tok)))",
      "local rest = n - own",
      "local add = own",
      "local out = {1, own}",
      "local moved = {}",
      "for i = 5, #ARGV, 2 do",
      "  local x = math.min(rest, tonumber(ARGV[i + 1]))",
      "  local have = num(redis.call('HGET', KEYS[2], ARGV[i]))",
      "  if have > 0 then",
      "    x = math.min(x, have)",
      "    add = add + x",
      "    moved[#moved + 1] = ARGV[i]",
      "    moved[#moved + 1] = x",
      "  end",
      "  rest = rest - x",
      "  out[#out + 1] = x",
      "end",
      "add = add + rest",
      "if c > ceiling - add then",
      "  if ARGV[4] == '1' then return {-3, c} end",
      "  c = ceiling - add",
      "end",
      "redis.call('HSET', KEYS[1], 'p', str(c + add))",
      "if own > 0 then dec(tok, own) end",
      "for j = 1, #moved, 2 do",
      "  if moved[j + 1] > 0 then dec(moved[j], moved[j + 1]) end",
      "end",
      "if add > 0 then redis.call('PUBLISH', KEYS[1], '') end",
      "return out"));

  /**
   * Takes every permit available for token ARGV[1], without reclaiming. {-2}: no such semaphore; {-1}: the caller's
   * token is not alive; {c, k}: c taken, k of them reclaimed ones.
   */
  private static final Script DRAIN = new Script("semaphoreDrain", HELPERS + String.join("\n",
      "if redis.call('EXISTS', KEYS[1]) == 0 then return {-2} end",
      "if not alive(ARGV[1]) then return {-1} end",
      "local s = redis.call('HMGET', KEYS[1], 'p', 'u')",
      "local c = num(s[1])",
      "if c <= 0 then return {0, 0} end",
      "redis.call('HSET', KEYS[1], 'p', '0', 'u', '0')",
      "redis.call('HINCRBY', KEYS[2], ARGV[1], str(c))",
      "return {c, math.min(num(s[2]), c)}"));

  /**
   * Takes up to ARGV[2] permits out of the holdings of token ARGV[1], then of the lost tokens (pairs from ARGV[3])
   * whose entries are still there, returning none of them. {-2}: no such semaphore; {own, lost1, ...}: what came out
   * of each holding.
   */
  private static final Script DISOWN = new Script("semaphoreDisown", HELPERS + String.join("\n",
      "if redis.call('EXISTS', KEYS[1]) == 0 then return {-2} end",
      "local n = tonumber(ARGV[2])",
      "local own = math.min(n, num(redis.call('HGET', KEYS[2], ARGV[1])))",
      "if own > 0 then dec(ARGV[1], own) end",
      "local rest = n - own",
      "local out = {own}",
      "for i = 3, #ARGV, 2 do",
      "  local x = math.min(rest, tonumber(ARGV[i + 1]), num(redis.call('HGET', KEYS[2], ARGV[i])))",
      "  if x > 0 then dec(ARGV[i], x) end",
      "  rest = rest - x",
      "  out[#out + 1] = x",
      "end",
      "return out"));

  /** This JVM's {@link Local} of each semaphore, per server connection (gone with it). */
  private static final Map<Server, Map<String, Local>> LOCALS = new WeakHashMap<>();

  private final transient boolean bounded;
  /** The permits given when opening: the bound of a bounded semaphore. */
  private final transient int permits;
  /** The most permits the count may reach: the bound of a bounded semaphore, else {@link #MAX_COUNT}. */
  private final transient long ceiling;
  private final transient List<String> keys;
  private final transient Local local;

  private RedisSemaphore(RedisNamespace ns, Kind kind, String name, int permits, boolean bounded) {
    super(ns, kind, name, permits, false, null);
    this.bounded = bounded;
    this.permits = permits;
    this.ceiling = bounded ? permits : MAX_COUNT;
    this.keys = List.of(key, key("holders"));
    synchronized (LOCALS) {
      this.local = LOCALS.computeIfAbsent(server, s -> new HashMap<>()).computeIfAbsent(key, k -> new Local());
    }
  }

  /**
   * Opens (creating it with {@code permits} if it does not exist) the semaphore {@code name}. A bounded one's bound
   * is its shape: opening it with other permits is an {@link IllegalArgumentException}; a plain one's permits are
   * ignored when it exists, as a value's initial value is.
   */
  static RedisSemaphore open(RedisNamespace ns, String name, int permits, boolean bounded) {
    Kind kind = bounded ? Kind.BOUNDED_SEMAPHORE : Kind.SEMAPHORE;
    ns.create(kind, name, bounded ? Integer.valueOf(permits) : null, "h", "p", permits, "u", 0);
    return new RedisSemaphore(ns, kind, name, permits, bounded);
  }

  /**
   * What this JVM keeps of one semaphore, shared by all its handles here: the permits it holds under each of its
   * tokens (sums of the changes the scripts report, so that replies arriving out of order add up right), and which
   * threads last acquired reclaimed permits ({@link #reclaimed()}).
   */
  static final class Local extends ReclaimedPermits {
    private final Map<String, Long> held = new HashMap<>();
    /** Held while releasing or disowning permits of lost tokens, so that no two threads give them back twice. */
    final Object lostLock = new Object();

    synchronized void add(String token, long delta) {
      if (delta != 0) {
        long v = held.getOrDefault(token, 0L) + delta;
        if (v <= 0) {
          held.remove(token);
        } else {
          held.put(token, v);
        }
      }
    }

    /** The tokens other than {@code current} under which this JVM holds permits, and how many: token, permits, ... */
    synchronized List<Object> lost(String current) {
      if (held.isEmpty() || held.size() == 1 && held.containsKey(current)) {
        return List.of();
      }
      List<Object> out = new ArrayList<>();
      for (Map.Entry<String, Long> e : held.entrySet()) {
        if (!e.getKey().equals(current)) {
          out.add(e.getKey());
          out.add(e.getValue());
        }
      }
      return out;
    }
  }

  private IpcException gone() {
    return new IpcException("the " + kind.id + " \"" + name + "\" in " + ns.location() + " no longer exists: it was"
        + " removed, or its namespace deleted");
  }

  // ---- acquiring

  /**
   * One attempt to take {@code n > 0} permits for this process, reclaiming the dead holders' first if there are too
   * few: TRUE if taken, null if not (too few, or this process's token is being replaced after a lost connection).
   */
  private Boolean take(int n) {
    String token = server.token();
    List<Object> r = Script.asList(run(ACQUIRE, keys, token, n, ceiling));
    long status = Script.asLong(r.get(0));
    if (status == -2) {
      throw gone();
    }
    if (status <= 0) {
      return null;
    }
    local.add(token, n);
    local.acquired(Script.asLong(r.get(1)) > 0);
    return Boolean.TRUE;
  }

  @Override
  public boolean tryTakePermits(int n) {
    return take(n) != null;
  }

  /** Waits at most {@code nanos} for {@code n} permits: true if taken. */
  @Override
  public boolean awaitPermits(int n, long nanos) throws InterruptedException {
    checkOpen();
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    return n == 0 || await(nanos, () -> take(n)) != null;
  }

  @Override
  public boolean reclaimed() {
    return local.reclaimed();
  }

  // ---- releasing

  @Override
  public void releasePermits(int permits) {
    String token = server.token();
    List<Object> lost = local.lost(token);
    if (lost.isEmpty()) {
      release(token, permits, lost);
    } else {
      synchronized (local.lostLock) {
        release(token, permits, local.lost(token));
      }
    }
  }

  private void release(String token, int n, List<Object> lost) {
    List<Object> r = Script.asList(run(RELEASE, keys, args(token, n, lost, ceiling, bounded ? 1 : 0)));
    long status = Script.asLong(r.get(0));
    if (status == -2) {
      throw gone();
    }
    if (status == -3) {
      throw new IllegalStateException("boundedSemaphore \"" + name + "\" in " + ns.location()
          + " released too many times: permits=" + Script.asLong(r.get(1)) + ", releasing " + n + ", bound="
          + ceiling);
    }
    local.add(token, -Script.asLong(r.get(1)));
    for (int i = 0; i < lost.size() / 2; i++) {
      local.add((String) lost.get(2 * i), -Script.asLong(r.get(2 + i)));
    }
  }

  /** The arguments token, n, extra..., then the lost tokens' pairs. */
  private static Object[] args(String token, int n, List<Object> lost, Object... extra) {
    Object[] a = new Object[2 + extra.length + lost.size()];
    a[0] = token;
    a[1] = n;
    System.arraycopy(extra, 0, a, 2, extra.length);
    for (int i = 0; i < lost.size(); i++) {
      a[2 + extra.length + i] = lost.get(i);
    }
    return a;
  }

  @Override
  public int drainPermits() {
    checkOpen();
    String token = server.token();
    List<Object> r = Script.asList(run(DRAIN, keys, token));
    long c = Script.asLong(r.get(0));
    if (c == -2) {
      throw gone();
    }
    if (c <= 0) {
      return 0;
    }
    local.add(token, c);
    local.acquired(Script.asLong(r.get(1)) > 0);
    return (int) Math.min(Integer.MAX_VALUE, c);
  }

  @Override
  public int disown(int permits) {
    checkPermits(permits);
    checkOpen();
    if (permits == 0) {
      return 0;
    }
    String token = server.token();
    List<Object> lost = local.lost(token);
    if (lost.isEmpty()) {
      return disown(token, permits, lost);
    }
    synchronized (local.lostLock) {
      return disown(token, permits, local.lost(token));
    }
  }

  private int disown(String token, int n, List<Object> lost) {
    List<Object> r = Script.asList(run(DISOWN, keys, args(token, n, lost)));
    long own = Script.asLong(r.get(0));
    if (own == -2) {
      throw gone();
    }
    long given = own;
    local.add(token, -own);
    for (int i = 0; i < lost.size() / 2; i++) {
      long x = Script.asLong(r.get(1 + i));
      local.add((String) lost.get(2 * i), -x);
      given += x;
    }
    return (int) given;
  }

  @Override
  public int availablePermits() {
    checkOpen();
    String p = server.call(j -> j.hget(key, "p"));
    if (p == null) {
      throw gone();
    }
    return (int) Math.min(Integer.MAX_VALUE, Long.parseLong(p));
  }

  /** The permits this process holds under its current token, as the server has them, for tests. */
  long heldByThisProcess() {
    String token = server.token();
    String h = server.call(j -> j.hget(key("holders"), token));
    return h == null ? 0 : Long.parseLong(h);
  }
}
