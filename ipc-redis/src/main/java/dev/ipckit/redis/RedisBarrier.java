package dev.ipckit.redis;

import dev.ipckit.IpcException;
import dev.ipckit.spi.Deadline;
import dev.ipckit.spi.TimedBarrier;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * {@link dev.ipckit.Ipc#barrier} on Redis: a cyclic barrier whose state is a hash at the object key, changed by one
 * script per step, as {@link java.util.concurrent.CyclicBarrier}.
 *
 * <p><b>State.</b> {@code g} the current generation (a count from 0), {@code n} the parties arrived in it, {@code
 * b} {@code "1"} once it is broken, {@code r} the generations that {@link #reset()} ended, newest first (the
 * last {@value #RESETS_KEPT}), so that a waiter that looks late still tells a reset from a trip. {@code
 * KEY:arrived} ({@link Kind#BARRIER}) maps the liveness token of each process with a party arrived in the current
 * generation to how many; the generation that trips or is reset empties it.
 *
 * <p><b>Arriving.</b> A party counts itself and records its token in one script. The last one trips the barrier
 * (the next generation, the count back to 0) and publishes on the object key, which wakes the waiters; with a
 * barrier action it first marks the generation as tripping (the count stays at {@code parties}, so nobody else
 * joins or trips it), runs the action, then trips it with another script, which fails if the generation was broken
 * or reset meanwhile. A party that comes while an action runs waits for the next generation. A timeout, an
 * interrupt or an action that throws breaks the generation (and publishes), as in {@code CyclicBarrier}: the
 * waiters throw {@link BrokenBarrierException}; a wait that gives up after its generation tripped returns its
 * arrival index instead.
 *
 * <p><b>Peer death.</b> A waiter's every attempt ({@link RedisHandle#await}: at each wake-up and at least every
 * probe interval) asks whether the processes recorded in its generation are {@code alive()}; one that is not
 * (killed while it waits, or while it runs the action as the last party) breaks the generation. A party that dies
 * before it arrives is not recorded, and is waited for like a slow one.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads and processes; the action is this handle's own.
 *
 * <p><b>Memory consistency.</b> The server runs one script at a time: actions before each party's {@link #await()}
 * happen-before actions after every party's {@code await()} of that generation returns.
 */
final class RedisBarrier extends RedisHandle implements TimedBarrier {
  private static final long serialVersionUID = 1L;
  /** How many of the generations ended by {@link #reset()} the state keeps. */
  static final int RESETS_KEPT = 16;

  /** Lua helpers: a number as a string; whether generation {@code g} was ended by a reset ({@code r}: the list). */
  private static final String HELPERS = String.join("\n",
      "local function str(x) return string.format('%d', x) end",
      "local function wasReset(r, g) return string.find(' ' .. (r or '') .. ' ', ' ' .. g .. ' ', 1, true) ~= nil end",
      "");

  /**
   * A party of token ARGV[1] arrives (ARGV[2] parties; ARGV[3] '1' if it has an action; ARGV[4] '1' if its thread
   * is interrupted, which breaks the generation instead). Replies {what, generation, index}: gone, broken,
   * interrupted, tripping (an action runs: wait for the next generation), wait, action (run it, then TRIP), tripped.
   */
  private static final Script ARRIVE = new Script("barrierArrive", HELPERS + String.join("\n",
      "if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone', '0', 0} end",
      "local s = redis.call('HMGET', KEYS[1], 'g', 'n', 'b')",
      "local g = s[1]",
      "local n = tonumber(s[2])",
      "local parties = tonumber(ARGV[2])",
      "if s[3] == '1' then return {'broken', g, 0} end",
      "if n >= parties then return {'tripping', g, 0} end",
      "if ARGV[4] == '1' then",
      "  redis.call('HSET', KEYS[1], 'b', '1')",
      "  redis.call('PUBLISH', KEYS[1], '')",
      "  return {'interrupted', g, 0}",
      "end",
      "n = n + 1",
      "redis.call('HINCRBY', KEYS[2], ARGV[1], 1)",
      "if n < parties then",
      "  redis.call('HSET', KEYS[1], 'n', str(n))",
      "  return {'wait', g, parties - n}",
      "end",
      "if ARGV[3] == '1' then",
      "  redis.call('HSET', KEYS[1], 'n', str(n))",
      "  return {'action', g, 0}",
      "end",
      "redis.call('HSET', KEYS[1], 'g', str(tonumber(g) + 1), 'n', '0')",
      "redis.call('DEL', KEYS[2])",
      "redis.call('PUBLISH', KEYS[1], '')",
      "return {'tripped', g, 0}"));

  /**
   * One look of a party waiting in generation ARGV[1] (its own token ARGV[2]): next (it tripped), reset, broken,
   * gone, or wait; a process recorded in the generation that is not alive breaks it (broken).
   */
  private static final Script CHECK = new Script("barrierCheck", HELPERS + String.join("\n",
      "if redis.call('EXISTS', KEYS[1]) == 0 then return 'gone' end",
      "local s = redis.call('HMGET', KEYS[1], 'g', 'b', 'r')",
      "if s[1] ~= ARGV[1] then",
      "  if wasReset(s[3], ARGV[1]) then return 'reset' end",
      "  return 'next'",
      "end",
      "if s[2] == '1' then return 'broken' end",
      "local a = redis.call('HKEYS', KEYS[2])",
      "for i = 1, #a do",
      "  if a[i] ~= ARGV[2] and not alive(a[i]) then",
      "    redis.call('HSET', KEYS[1], 'b', '1')",
      "    redis.call('PUBLISH', KEYS[1], '')",
      "    return 'broken'",
      "  end",
      "end",
      "return 'wait'"));

  /**
   * A party of generation ARGV[1] gives up (timeout, interrupt, its action threw): breaks the generation if it is
   * still current and whole. Replies {what, arrived}: broke, next, reset, broken, gone.
   */
  private static final Script GIVE_UP = new Script("barrierGiveUp", HELPERS + String.join("\n",
      "if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone', 0} end",
      "local s = redis.call('HMGET', KEYS[1], 'g', 'b', 'r', 'n')",
      "if s[1] ~= ARGV[1] then",
      "  if wasReset(s[3], ARGV[1]) then return {'reset', 0} end",
      "  return {'next', 0}",
      "end",
      "if s[2] == '1' then return {'broken', 0} end",
      "redis.call('HSET', KEYS[1], 'b', '1')",
      "redis.call('PUBLISH', KEYS[1], '')",
      "return {'broke', tonumber(s[4])}"));

  /** The last party of generation ARGV[1] ran its action: trips it, unless it was broken or reset. 1 if tripped. */
  private static final Script TRIP = new Script("barrierTrip", HELPERS + String.join("\n",
      "local s = redis.call('HMGET', KEYS[1], 'g', 'b')",
      "if s[1] ~= ARGV[1] or s[2] ~= '0' then return 0 end",
      "redis.call('HSET', KEYS[1], 'g', str(tonumber(s[1]) + 1), 'n', '0')",
      "redis.call('DEL', KEYS[2])",
      "redis.call('PUBLISH', KEYS[1], '')",
      "return 1"));

  /** Ends the current generation as reset (its waiters throw) and starts the next one, not broken. 0 if gone. */
  private static final Script RESET = new Script("barrierReset", HELPERS + String.join("\n",
      "if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end",
      "local s = redis.call('HMGET', KEYS[1], 'g', 'r')",
      "local r = s[1]",
      "local k = 1",
      "for x in string.gmatch(s[2] or '', '%S+') do",
      "  if k >= tonumber(ARGV[1]) then break end",
      "  r = r .. ' ' .. x",
      "  k = k + 1",
      "end",
      "redis.call('HSET', KEYS[1], 'g', str(tonumber(s[1]) + 1), 'n', '0', 'b', '0', 'r', r)",
      "redis.call('DEL', KEYS[2])",
      "redis.call('PUBLISH', KEYS[1], '')",
      "return 1"));

  /** Breaks the current generation, whichever it is. 0 if gone. */
  private static final Script ABORT = new Script("barrierAbort", String.join("\n",
      "if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end",
      "if redis.call('HGET', KEYS[1], 'b') ~= '1' then",
      "  redis.call('HSET', KEYS[1], 'b', '1')",
      "  redis.call('PUBLISH', KEYS[1], '')",
      "end",
      "return 1"));

  private final transient int parties;
  /** Run by this handle's thread when it arrives last; null for none. */
  private final transient Runnable action;
  private final transient List<String> keys;

  private RedisBarrier(RedisNamespace ns, String name, int parties, Runnable action) {
    super(ns, Kind.BARRIER, name, parties, false, null);
    this.parties = parties;
    this.action = action;
    this.keys = List.of(key, key("arrived"));
  }

  /**
   * Opens (creating it if it does not exist) the barrier {@code name} of {@code parties} (its shape: another number
   * is an {@link IllegalArgumentException}); {@code action} (null for none) is this handle's own.
   */
  static RedisBarrier open(RedisNamespace ns, String name, int parties, Runnable action) {
    ns.create(Kind.BARRIER, name, parties, "h", "g", 0, "n", 0, "b", 0, "r", "");
    return new RedisBarrier(ns, name, parties, action);
  }

  @Override
  public int parties() {
    return parties;
  }

  @Override
  public int awaitNanos(long nanos) throws InterruptedException, BrokenBarrierException, TimeoutException {
    checkOpen();
    long deadline = Deadline.after(nanos);
    for (;;) {
      boolean interrupted = Thread.currentThread().isInterrupted();
      List<Object> r = Script.asList(run(ARRIVE, keys, server.token(), parties, action != null ? 1 : 0,
          interrupted ? 1 : 0));
      String what = Script.asString(r.get(0));
      String gen = Script.asString(r.get(1));
      switch (what) {
        case "gone":
          throw gone();
        case "broken":
          throw broken();
        case "interrupted":
          Thread.interrupted();
          throw new InterruptedException();
        case "tripping":
          awaitNextGeneration(gen, left(nanos, deadline));
          continue;
        case "tripped":
          return 0;
        case "action":
          return trip(gen);
        default:
          return awaitTrip(gen, (int) Script.asLong(r.get(2)), left(nanos, deadline));
      }
    }
  }

  /** What is left of a timeout of {@code nanos} that ends at {@code deadline}. */
  private static long left(long nanos, long deadline) {
    return Deadline.isForever(nanos) ? nanos : Math.max(0L, Deadline.remaining(deadline));
  }

  /** One look at generation {@code gen}: null while it waits, else next, reset, broken or gone. */
  private String look(String gen) {
    String s = Script.asString(run(CHECK, keys, gen, server.token()));
    return s.equals("wait") ? null : s;
  }

  /** Waits, as a party arrived in generation {@code gen} with arrival index {@code index}, until it trips. */
  private int awaitTrip(String gen, int index, long nanos)
      throws InterruptedException, BrokenBarrierException, TimeoutException {
    String out;
    try {
      out = await(nanos, () -> look(gen));
    } catch (InterruptedException e) {
      out = giveUp(gen, e);
    }
    if (out == null) {
      out = giveUp(gen, null);
    }
    switch (out) {
      case "next":
        return index;
      case "gone":
        throw gone();
      default:
        throw broken();
    }
  }

  /**
   * Gives up waiting in generation {@code gen}, breaking it if it is still current: then throws {@code interrupt}
   * if there is one, else a TimeoutException. A generation that ended meanwhile is not broken: returns how it ended
   * (re-asserting the interrupt), as {@code CyclicBarrier} does.
   */
  private String giveUp(String gen, InterruptedException interrupt)
      throws InterruptedException, TimeoutException {
    List<Object> r = Script.asList(run(GIVE_UP, keys, gen));
    String what = Script.asString(r.get(0));
    if (what.equals("broke")) {
      if (interrupt != null) {
        throw interrupt;
      }
      throw new TimeoutException("barrier \"" + name + "\" in " + ns.location() + ": " + Script.asLong(r.get(1))
          + " of " + parties + " parties arrived before the timeout");
    }
    if (interrupt != null) {
      Thread.currentThread().interrupt();
    }
    return what;
  }

  /**
   * Runs the action as the last party of generation {@code gen} (the count already says {@code parties}), then trips
   * it; an action that throws breaks {@code gen} and the exception propagates.
   */
  private int trip(String gen) throws BrokenBarrierException {
    try {
      action.run();
    } catch (RuntimeException | Error e) {
      run(GIVE_UP, keys, gen);
      throw e;
    }
    if (Script.asLong(run(TRIP, keys, gen)) == 0) {
      throw broken();          // a waiter gave up (timeout, interrupt, death) or reset() while the action ran
    }
    return 0;
  }

  /** Waits while another party's action runs, until generation {@code gen} trips, is reset or breaks. */
  private void awaitNextGeneration(String gen, long nanos) throws InterruptedException, TimeoutException {
    String out = await(nanos, () -> look(gen));
    if (out == null) {
      throw new TimeoutException("barrier \"" + name + "\" in " + ns.location() + ": more than " + parties
          + " parties arrived and the last one's action did not finish before the timeout");
    }
    if (out.equals("gone")) {
      throw gone();
    }
  }

  @Override
  public void reset() {
    checkOpen();
    if (Script.asLong(run(RESET, keys, RESETS_KEPT)) == 0) {
      throw gone();
    }
  }

  @Override
  public void abort() {
    checkOpen();
    if (Script.asLong(run(ABORT, keys)) == 0) {
      throw gone();
    }
  }

  @Override
  public boolean isBroken() {
    checkOpen();
    return "1".equals(field("b"));
  }

  @Override
  public int getNumberWaiting() {
    checkOpen();
    return Integer.parseInt(field("n"));
  }

  private String field(String f) {
    String v = server.call(j -> j.hget(key, f));
    if (v == null) {
      throw gone();
    }
    return v;
  }

  private BrokenBarrierException broken() {
    return new BrokenBarrierException("barrier \"" + name + "\" in " + ns.location() + " is broken");
  }

  private IpcException gone() {
    return new IpcException("the barrier \"" + name + "\" in " + ns.location() + " no longer exists: it was removed,"
        + " or its namespace deleted");
  }
}
