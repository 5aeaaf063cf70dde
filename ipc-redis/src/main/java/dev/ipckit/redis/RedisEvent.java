package dev.ipckit.redis;

import dev.ipckit.IpcEvent;
import dev.ipckit.IpcException;
import dev.ipckit.spi.Deadline;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link dev.ipckit.Ipc#event} on Redis: the flag is field {@code s} ({@code "1"} set, {@code "0"} clear) of the hash
 * at the object key, as Python's {@code multiprocessing.Event}.
 *
 * <p>{@link #set()} is one script that stores the flag and publishes on the object key, which wakes every waiter in
 * every process ({@link RedisHandle#await}); {@link #clear()} stores it without a wake-up (no waiter waits for a
 * clear flag). A waiter reads the flag at each wake-up and at each probe interval.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads and processes: each call is one command or script, which
 * the server runs atomically.
 *
 * <p><b>Memory consistency.</b> The server runs the commands of all clients one at a time: actions before
 * {@code set()} happen-before actions after an {@link #await()} that returns because it read the flag that call
 * stored.
 *
 * <p><b>Peer death.</b> Nothing is held: a process killed at any instant has either stored the flag or not.
 */
final class RedisEvent extends RedisHandle implements IpcEvent {
  private static final long serialVersionUID = 1L;

  /** Stores the flag of KEYS[1] (ARGV[1]: "1" or "0") if the event exists; publishes when it sets it. */
  private static final Script STORE = new Script("eventStore", String.join("\n",
      "if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end",
      "redis.call('HSET', KEYS[1], 's', ARGV[1])",
      "if ARGV[1] == '1' then redis.call('PUBLISH', KEYS[1], '') end",
      "return 1"));

  private final transient List<String> keys;

  private RedisEvent(RedisNamespace ns, String name) {
    super(ns, Kind.EVENT, name);
    this.keys = List.of(key);
  }

  /** Opens (creating it clear if it does not exist) the event {@code name}. */
  static RedisEvent open(RedisNamespace ns, String name) {
    ns.create(Kind.EVENT, name, null, "h", "s", "0");
    return new RedisEvent(ns, name);
  }

  @Override
  public void set() {
    store("1");
  }

  @Override
  public void clear() {
    store("0");
  }

  private void store(String flag) {
    checkOpen();
    if (Script.asLong(run(STORE, keys, flag)) == 0) {
      throw gone();
    }
  }

  @Override
  public boolean isSet() {
    checkOpen();
    return flag();
  }

  /** The flag as the server has it now. */
  private boolean flag() {
    String s = server.call(j -> j.hget(key, "s"));
    if (s == null) {
      throw gone();
    }
    return s.equals("1");
  }

  @Override
  public void await() throws InterruptedException {
    await(Deadline.FOREVER, this::setOrNull);
  }

  @Override
  public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    return await(Deadline.nanos(timeout, unit), this::setOrNull) != null;
  }

  private Boolean setOrNull() {
    return flag() ? Boolean.TRUE : null;
  }

  private IpcException gone() {
    return new IpcException("the event \"" + name + "\" in " + ns.location() + " no longer exists: it was removed,"
        + " or its namespace deleted");
  }
}
