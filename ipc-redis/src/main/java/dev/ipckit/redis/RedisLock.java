package dev.ipckit.redis;

import dev.ipckit.IpcCondition;
import dev.ipckit.IpcException;
import dev.ipckit.IpcLock;
import dev.ipckit.spi.Deadline;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * {@link dev.ipckit.Ipc#lock} (and {@link dev.ipckit.Ipc#fileLock}, the same object on Redis) and {@link
 * dev.ipckit.Ipc#rlock} on a Redis server: a hash ({@link Kind#LOCK}) whose {@code o} field holds the liveness
 * token of the holding process, {@code t} the holding thread's id, {@code c} the hold count and {@code s} the
 * signal count of the lock's conditions ({@link RedisCondition}).
 *
 * <p>Every operation is one script: acquiring takes a free lock, takes over one whose holder's token is not
 * {@code alive()} (and reports {@link #ownerDied()}), or answers busy; releasing checks that the caller's token and
 * thread hold it, sets the holds left or clears the owner, and publishes on the lock's key so that waiters wake. A
 * waiter waits in the one wait loop ({@link RedisHandle#await}): woken by that message, or after each probe
 * interval, when it finds a dead holder's lock and takes it over (within 100 ms of the death).
 *
 * <p><b>Holders in this JVM.</b> The server knows the holder as token and thread id; this JVM remembers, for each of
 * its threads that holds the lock, the token and the {@link Server#epoch()} of the acquisition, in one state shared
 * by every handle of the lock in the JVM. When the epoch changes (this process's subscription dropped or its lease
 * lapsed) the server no longer counts this process as alive under that token and another process may have taken
 * the lock over: the thread no longer holds it ({@link #isHeldByCurrentThread()} is false), and its {@link
 * #unlock()} throws an {@link IllegalMonitorStateException} saying the lock was lost (releasing it if the server
 * still records it as this thread's). A thread that locks again after such a loss starts a new acquisition.
 *
 * <p><b>Dropped connections.</b> A call that fails because the server had closed its pooled connection (while this
 * process stays alive on its subscription) is made once more on a fresh connection. The scripts make that retry
 * safe: acquiring and releasing set the hold count the caller expects rather than adding to it, an acquisition
 * that finds the lock already the caller's knows the first attempt took it (it cannot tell whether that took it over
 * from a dead holder: {@link #ownerDied()} is then false), and a release that finds the lock no longer the caller's
 * while the caller is alive knows the first attempt released it.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads and processes.
 *
 * <p><b>Memory consistency.</b> A release reaches the server before the next acquisition anywhere succeeds there;
 * within this JVM the lock's shared state carries a volatile write before every release and a volatile read after
 * every acquisition, so that actions before {@code unlock()} happen-before actions after the next acquisition.
 */
final class RedisLock extends RedisHandle implements IpcLock {
  private static final long serialVersionUID = 1L;

  /** Results of {@link #ACQUIRE}. */
  private static final long BUSY = 0;
  private static final long TAKEN = 1;
  private static final long TOOK_OVER = 2;
  private static final long HELD = 3;
  private static final long HELD_BY_CALLER = -1;

  /**
   * Acquires: KEYS[1] the lock; ARGV token, thread id, '1' if reentrant, the hold count after this acquisition,
   * '1' on a retry. Returns {@link #TAKEN}, {@link #TOOK_OVER} (from a holder that is not alive), {@link #HELD}
   * (the caller held it already: re-entered, or taken by the attempt a retry repeats), {@link #BUSY}, or {@link
   * #HELD_BY_CALLER} (a lock that is not reentrant, already held by the calling thread).
   */
  static final Script ACQUIRE = new Script("lockAcquire", String.join("\n",
      "local o = redis.call('HGET', KEYS[1], 'o')",
      "if o == ARGV[1] then",
      "  if redis.call('HGET', KEYS[1], 't') ~= ARGV[2] then return 0 end",
      "  if ARGV[3] ~= '1' and ARGV[5] ~= '1' then return -1 end",
      "  redis.call('HSET', KEYS[1], 'c', ARGV[4])",
      "  return 3",
      "end",
      "if o and alive(o) then return 0 end",
      "redis.call('HSET', KEYS[1], 'o', ARGV[1], 't', ARGV[2], 'c', ARGV[4])",
      "if o then return 2 end",
      "return 1"));

  /**
   * Releases: KEYS[1] the lock; ARGV token, thread id, the hold count after this release, '1' on a retry. Returns
   * {-1} if the caller does not hold it, else {holds left, the signal count}; at 0 holds the owner is cleared and
   * waiters are woken. A retry that finds the lock no longer the caller's while the caller's token is alive
   * answers {0, ...}: nobody takes a live process's lock, so the attempt it repeats released it.
   */
  static final Script RELEASE = new Script("lockRelease", String.join("\n",
      "if redis.call('HGET', KEYS[1], 'o') ~= ARGV[1] or redis.call('HGET', KEYS[1], 't') ~= ARGV[2] then",
      "  if ARGV[4] == '1' and alive(ARGV[1]) then return {0, redis.call('HGET', KEYS[1], 's')} end",
      "  return {-1}",
      "end",
      "if ARGV[3] ~= '0' then",
      "  redis.call('HSET', KEYS[1], 'c', ARGV[3])",
      "else",
      "  redis.call('HDEL', KEYS[1], 'o', 't', 'c')",
      "  redis.call('PUBLISH', KEYS[1], '')",
      "end",
      "return {tonumber(ARGV[3]), redis.call('HGET', KEYS[1], 's')}"));

  /**
   * Signals the lock's conditions: KEYS[1] the lock; ARGV token, thread id. Returns 1, or -1 if the caller does not
   * hold the lock.
   */
  static final Script SIGNAL = new Script("lockSignal", String.join("\n",
      "if redis.call('HGET', KEYS[1], 'o') ~= ARGV[1] or redis.call('HGET', KEYS[1], 't') ~= ARGV[2] then",
      "  return -1",
      "end",
      "redis.call('HINCRBY', KEYS[1], 's', 1)",
      "redis.call('PUBLISH', KEYS[1], '')",
      "return 1"));

  /** Whether a live process holds the lock: 1 or 0. */
  static final Script LOCKED = new Script("lockLocked", String.join("\n",
      "local o = redis.call('HGET', KEYS[1], 'o')",
      "if o and alive(o) then return 1 end",
      "return 0"));

  /** The state of every lock this JVM uses, per server connection and key: shared by all its handles. */
  private static final Map<Server, Map<String, State>> STATES = new WeakHashMap<>();

  private final transient boolean reentrant;
  private final transient State state;
  private final transient List<String> keys;

  private RedisLock(RedisNamespace ns, Kind kind, String name, State state) {
    super(ns, kind, name);
    this.reentrant = kind == Kind.RLOCK;
    this.state = state;
    this.keys = List.of(key);
  }

  /** The lock {@code name} ({@code reentrant}: an rlock), created or opened. */
  static RedisLock open(RedisNamespace ns, String name, boolean reentrant) {
    Kind kind = reentrant ? Kind.RLOCK : Kind.LOCK;
    ns.create(kind, name, null);
    String key = ns.key(kind, name);
    State st;
    synchronized (STATES) {
      st = STATES.computeIfAbsent(ns.server, s -> new ConcurrentHashMap<>()).computeIfAbsent(key, k -> new State());
    }
    return new RedisLock(ns, kind, name, st);
  }

  /** What this JVM knows of one lock: which of its threads hold it, with what. */
  private static final class State {
    final Map<Thread, Hold> holders = new ConcurrentHashMap<>();
    /** Written before every release and read after every acquisition: the in-JVM happens-before edge. */
    private volatile long releases;

    /** Before a release: a volatile write that publishes what the releasing thread did. */
    void releasing() {
      releases++;
    }

    /** After an acquisition: a volatile read that sees what the last releasing thread of this JVM did. */
    long acquired() {
      return releases;
    }
  }

  /** One thread's acquisition: the token and epoch it was made under, its holds, whether it took over from the dead. */
  private static final class Hold {
    final String token;
    final long epoch;
    final boolean ownerDied;
    int count;

    Hold(String token, long epoch, boolean ownerDied, int count) {
      this.token = token;
      this.epoch = epoch;
      this.ownerDied = ownerDied;
      this.count = count;
    }
  }

  // ---- acquiring

  @Override
  public void lock() {
    acquireUninterruptibly(1);
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    acquire(Deadline.FOREVER, 1);
  }

  @Override
  public boolean tryLock() {
    checkOpen();
    Thread me = Thread.currentThread();
    return reenter(me) || attempt(me, 1) != null;
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    return acquire(Deadline.nanos(time, unit), 1);
  }

  /** Acquires (or re-enters) within {@code nanos} with {@code holds} holds; false on timeout. */
  private boolean acquire(long nanos, int holds) throws InterruptedException {
    checkOpen();
    Thread me = Thread.currentThread();
    return reenter(me) || await(nanos, () -> attempt(me, holds)) != null;
  }

  /** Acquires with {@code holds} holds however long it takes, ignoring interrupts but keeping the status. */
  void acquireUninterruptibly(int holds) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          acquire(Deadline.FOREVER, holds);
          return;
        } catch (InterruptedException e) {
          interrupted = true;                    // keep waiting; the status is restored below
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * For a thread that holds the lock (by this JVM's record, under the current epoch): re-enters a reentrant lock
   * and returns true; an {@link IllegalStateException} for one that is not reentrant. False for a thread that does
   * not hold it (a record of an earlier epoch is dropped: that acquisition was lost).
   */
  private boolean reenter(Thread me) {
    Hold h = state.holders.get(me);
    if (h == null) {
      return false;
    }
    if (h.epoch != server.epoch()) {
      state.holders.remove(me);
      return false;
    }
    if (!reentrant) {
      throw relocked(me);
    }
    if (h.count == Integer.MAX_VALUE) {
      throw new Error("maximum lock count exceeded for rlock \"" + name + "\"");
    }
    long r = acquireScript(h.token, me, h.count + 1);
    if (r == HELD) {
      h.count++;
      return true;
    }
    // the server no longer records this thread as the holder: that acquisition was lost; this may be a new one
    state.holders.remove(me);
    return record(me, h.token, h.epoch, r, 1) != null;
  }

  /** One acquisition attempt by {@code me}, a thread that does not hold the lock: TRUE if it got it, null if busy. */
  private Boolean attempt(Thread me, int holds) {
    long epoch = server.epoch();                 // before the token: a token newer than its epoch only looks lost
    String token = server.token();
    return record(me, token, epoch, acquireScript(token, me, holds), holds);
  }

  private long acquireScript(String token, Thread me, int holds) {
    String tid = Long.toString(me.getId());
    String r = reentrant ? "1" : "0";
    long outcome = Script.asLong(runRetrying(ACQUIRE, new Object[] {token, tid, r, holds, "0"},
        new Object[] {token, tid, r, holds, "1"}));
    if (outcome == HELD_BY_CALLER) {
      throw relocked(me);
    }
    return outcome;
  }

  /** Records the outcome of an acquisition attempt: TRUE if {@code me} now holds the lock, null if it is busy. */
  private Boolean record(Thread me, String token, long epoch, long outcome, int holds) {
    if (outcome == BUSY) {
      return null;
    }
    state.holders.put(me, new Hold(token, epoch, outcome == TOOK_OVER, holds));
    state.acquired();
    return Boolean.TRUE;
  }

  // ---- releasing

  @Override
  public void unlock() {
    checkOpen();
    Thread me = Thread.currentThread();
    Hold h = state.holders.get(me);
    if (h == null) {
      throw notHeldHere(me);
    }
    state.releasing();
    if (h.epoch != server.epoch()) {
      state.holders.remove(me);
      try {
        release(h, me, 0);                       // free it if the server still records it as ours
      } catch (IpcException unreachable) {
        // lost either way
      }
      throw lost(me);
    }
    int left = h.count - 1;
    List<Object> r = release(h, me, left);
    if (Script.asLong(r.get(0)) < 0) {
      state.holders.remove(me);
      throw lost(me);
    }
    if (left > 0) {
      h.count = left;
    } else {
      state.holders.remove(me);
    }
  }

  /** Runs {@link #RELEASE} for {@code h}, leaving {@code left} holds: {holds left or -1, the signal count}. */
  private List<Object> release(Hold h, Thread me, int left) {
    String tid = Long.toString(me.getId());
    return Script.asList(runRetrying(RELEASE, new Object[] {h.token, tid, left, "0"},
        new Object[] {h.token, tid, left, "1"}));
  }

  /**
   * For {@link RedisCondition}: releases every hold of the current thread and returns the signal count read in the
   * same script (null before the first signal), with the number of holds in {@code holds[0]}.
   *
   * @throws IllegalMonitorStateException if the current thread does not hold the lock, or lost it
   */
  String releaseForAwait(int[] holds) {
    checkOpen();
    Thread me = Thread.currentThread();
    Hold h = heldRecord(me);
    if (h == null) {
      throw notHeldForCondition("await", me);
    }
    state.releasing();
    state.holders.remove(me);
    List<Object> r = release(h, me, 0);
    if (Script.asLong(r.get(0)) < 0) {
      throw lost(me);
    }
    holds[0] = h.count;
    return Script.asString(r.get(1));
  }

  /** @throws IllegalMonitorStateException naming {@code what} if the current thread does not hold the lock */
  void checkHeld(String what) {
    checkOpen();
    Thread me = Thread.currentThread();
    if (heldRecord(me) == null) {
      throw notHeldForCondition(what, me);
    }
  }

  /** For {@link RedisCondition#signalAll}: adds one to the signal count and wakes every waiter. */
  void signalConditions() {
    checkOpen();
    Thread me = Thread.currentThread();
    Hold h = heldRecord(me);
    if (h == null) {
      throw notHeldForCondition("signal", me);
    }
    Object[] args = {h.token, Long.toString(me.getId())};
    if (Script.asLong(runRetrying(SIGNAL, args, args)) < 0) {  // a repeated signal is one more spurious wake-up
      throw lost(me);
    }
  }

  /** The signal count of the lock's conditions (null before the first signal). */
  String signalCount() {
    try {
      return server.call(j -> j.hget(key, "s"));
    } catch (IpcException e) {
      if (!(e.getCause() instanceof JedisConnectionException)) {
        throw e;
      }
      server.dropIdleConnections();
      return server.call(j -> j.hget(key, "s"));
    }
  }

  /**
   * Runs {@code script} on this lock with {@code args}; if that fails on a connection the server had closed, drops
   * the idle connections and runs it once more with {@code retryArgs} (which tell the script it may repeat an
   * attempt whose reply was lost).
   */
  private Object runRetrying(Script script, Object[] args, Object[] retryArgs) {
    try {
      return run(script, keys, args);
    } catch (IpcException e) {
      if (!(e.getCause() instanceof JedisConnectionException)) {
        throw e;
      }
      server.dropIdleConnections();
      return run(script, keys, retryArgs);
    }
  }

  // ---- state

  /** The current thread's record if it holds the lock under the current epoch, else null. */
  private Hold heldRecord(Thread me) {
    Hold h = state.holders.get(me);
    return h != null && h.epoch == server.epoch() ? h : null;
  }

  @Override
  public boolean ownerDied() {
    Hold h = heldRecord(Thread.currentThread());
    return h != null && h.ownerDied;
  }

  @Override
  public boolean isHeldByCurrentThread() {
    return heldRecord(Thread.currentThread()) != null;
  }

  /** The current thread's hold count (0 if it does not hold the lock). */
  int holdCount() {
    Hold h = heldRecord(Thread.currentThread());
    return h == null ? 0 : h.count;
  }

  @Override
  public boolean isLocked() {
    checkOpen();
    return Script.asLong(runRetrying(LOCKED, new Object[0], new Object[0])) == 1;
  }

  /** A condition shared with every process that opens this lock; see {@link RedisCondition}. */
  @Override
  public IpcCondition newCondition() {
    checkOpen();
    return new RedisCondition(this);
  }

  // ---- messages

  /** {@code lock "name" in redis://host:port/ns}. */
  private String describe() {
    return kind.id + " \"" + name + "\" in " + ns.location();
  }

  private IllegalStateException relocked(Thread me) {
    return new IllegalStateException(describe() + " is already held by this thread (" + me.getName()
        + "); lock() is not reentrant, use rlock() for a reentrant lock");
  }

  private IllegalMonitorStateException notHeldHere(Thread me) {
    return new IllegalMonitorStateException(describe() + " is not held by this thread (" + me.getName() + ")");
  }

  private IllegalMonitorStateException notHeldForCondition(String what, Thread me) {
    return new IllegalMonitorStateException("cannot " + what + " a condition of " + this
        + ": the lock is not held by this thread (" + me.getName() + ")");
  }

  private IllegalMonitorStateException lost(Thread me) {
    return new IllegalMonitorStateException(describe() + " was lost while held by this thread (" + me.getName()
        + "): this process's connection to the Redis server at " + ns.where.address() + " dropped or its lease"
        + " lapsed, so another process may have taken it over; treat what it guards as a dead holder's");
  }
}
