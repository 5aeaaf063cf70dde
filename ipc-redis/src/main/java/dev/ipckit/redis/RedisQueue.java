package dev.ipckit.redis;

import dev.ipckit.Codec;
import dev.ipckit.IpcException;
import dev.ipckit.IpcQueue;
import dev.ipckit.spi.Deadline;
import dev.ipckit.spi.QueueViews;
import dev.ipckit.spi.TimedQueue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link dev.ipckit.Ipc#queue} on a Redis server: the messages in a Redis list, every change one Lua script, so
 * that a message is either entirely in the queue or not at all, whoever dies when.
 *
 * <p><b>Keys</b> (see {@link Kind#QUEUE}). The capacity is the object's shape in the namespace's {@code meta} hash
 * ({@code queue/100}); {@code KEY:list} holds the messages, head first; {@code KEY:tasks} is a hash of the task
 * counts: {@code p} messages ever put, {@code d} {@code taskDone()} calls ever, {@code a} tasks abandoned by dead
 * consumers (counted so far), and {@code o:TOKEN} the tasks the consumer process of liveness token {@code TOKEN}
 * took and has not marked done. The object key itself holds nothing; it is the channel of the queue's wake-ups.
 *
 * <p><b>Scripts.</b> Each operation is one script call, and each script first checks that the namespace still
 * records the queue with this capacity (a removed queue is an {@link IpcException}, not a silent new one).
 * <ul>
 *   <li>put: if {@code LLEN < capacity}, {@code RPUSH} and {@code p + 1}.
 *   <li>take (one, a batch of {@code drainTo}, or {@code clear()}): {@code LPOP} and {@code o:TOKEN + n}, this
 *   process's token being the taker's.
 *   <li>taskDone: refused once {@code d >= p}; else {@code o:TOKEN - 1} for the first of this process's tokens
 *   that owes a task (a process whose connection dropped has had other tokens), then {@code d + 1}.
 *   <li>join's look: done when {@code d + a >= p}; before deciding, every {@code o:TOKEN} whose process is not
 *   {@code alive()} moves to {@code a}. {@link #abandonedTasks()} is the same look: {@code min(a, p - d)}.
 * </ul>
 * Counts grow by one per message or call, so they stay far below 2<sup>53</sup>, where Lua's numbers are exact.
 *
 * <p><b>Wake-ups.</b> Waiters wait in {@link RedisHandle#await} for a message on the object key. A put publishes
 * when it found the list empty, a take when it found the list full, a taskDone when it may have finished the last
 * task: a waiter whose attempt found the list empty (full) is woken by the first put (take) after that attempt,
 * which is the one that finds it so. Nothing else is waited for.
 *
 * <p><b>Peer death.</b> A producer or consumer killed at any instant leaves the list whole: a script runs to its
 * end or not at all, and the server drops a half-sent command. A message whose take had run is gone with the
 * killed consumer, and its task is owed by the dead token: {@link #join()} counts it as done at its next look
 * (within the probe interval), {@link #abandonedTasks()} counts it. A process whose connection drops is dead for
 * the others in the same way: the tasks it owed are abandoned; its later {@code taskDone()} for one already
 * counted abandoned counts that task twice ({@link IpcQueue#join()} states the limit). A connection that fails
 * while a put's or take's reply is on its way is an {@link IpcException}, though the script may have run: the
 * message may then be in the queue (put) or gone, counted as this process's task (take). Unlike the shared-memory
 * queue, no half-done {@code taskDone()} exists (it is one script) and no count saturates.
 *
 * <p><b>Sizes.</b> A message is one Redis string: at most {@link #MAX_MESSAGE_BYTES} (the server's default
 * {@code proto-max-bulk-len}); a longer one is refused before anything is sent.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads and processes: every change is one atomic script.
 */
final class RedisQueue<E> extends RedisHandle implements TimedQueue<E> {
  private static final long serialVersionUID = 1L;
  /** The longest message: Redis's bulk-string limit ({@code proto-max-bulk-len}, 512 MiB by default). */
  static final long MAX_MESSAGE_BYTES = 512L << 20;
  /** Most messages taken by one script call of {@code drainTo}. */
  private static final int DRAIN_BATCH = 256;
  /** A put waiting for room sends a message longer than this only once a look at the length found room. */
  private static final int LOOK_FIRST_BYTES = 64 << 10;
  /** The earlier tokens of this JVM that took messages, newest first, per server (at most {@link #OLD_TOKENS}). */
  private static final Map<Server, ArrayDeque<String>> TAKERS = new WeakHashMap<>();
  private static final int OLD_TOKENS = 8;

  /** The check every script starts with: the namespace records the queue as this kind and capacity. */
  private static final String CHECK = "if redis.call('HGET', KEYS[4], ARGV[1]) ~= ARGV[2] then return -1 end\n";

  /** ARGV: name, descriptor, capacity, message. 1 put, 0 full, -1 gone. */
  private static final Script PUT = new Script("queuePut", String.join("\n",
      CHECK,
      "local n = redis.call('LLEN', KEYS[2])",
      "if n >= tonumber(ARGV[3]) then return 0 end",
      "redis.call('RPUSH', KEYS[2], ARGV[4])",
      "redis.call('HINCRBY', KEYS[3], 'p', 1)",
      "if n == 0 then redis.call('PUBLISH', KEYS[1], '') end",
      "return 1"));

  /** ARGV: name, descriptor, capacity, token, most. The messages taken (none if empty), or -1 gone. */
  private static final Script TAKE = new Script("queueTake", String.join("\n",
      CHECK,
      "local n = redis.call('LLEN', KEYS[2])",
      "if n == 0 then return {} end",
      "local m = redis.call('LPOP', KEYS[2], ARGV[5])",
      "redis.call('HINCRBY', KEYS[3], 'o:' .. ARGV[4], #m)",
      "if n >= tonumber(ARGV[3]) then redis.call('PUBLISH', KEYS[1], '') end",
      "return m"));

  /** ARGV: name, descriptor, capacity, token. How many messages were removed, or -1 gone. */
  private static final Script CLEAR = new Script("queueClear", String.join("\n",
      CHECK,
      "local n = redis.call('LLEN', KEYS[2])",
      "if n == 0 then return 0 end",
      "redis.call('DEL', KEYS[2])",
      "redis.call('HINCRBY', KEYS[3], 'o:' .. ARGV[4], n)",
      "redis.call('PUBLISH', KEYS[1], '')",
      "return n"));

  /**
   * ARGV: name, descriptor, then this process's tokens, current first. {1} counted; {0, p, d} refused (every
   * message put is done); -1 gone.
   */
  private static final Script TASK_DONE = new Script("queueTaskDone", String.join("\n",
      CHECK,
      "local c = redis.call('HMGET', KEYS[3], 'p', 'd', 'a')",
      "local p = tonumber(c[1] or '0')",
      "local d = tonumber(c[2] or '0')",
      "local a = tonumber(c[3] or '0')",
      "if d >= p then return {0, c[1] or '0', c[2] or '0'} end",
      "for i = 3, #ARGV do",
      "  local f = 'o:' .. ARGV[i]",
      "  local o = tonumber(redis.call('HGET', KEYS[3], f) or '0')",
      "  if o > 0 then",
      "    if o == 1 then redis.call('HDEL', KEYS[3], f) else redis.call('HINCRBY', KEYS[3], f, -1) end",
      "    break",
      "  end",
      "end",
      "redis.call('HINCRBY', KEYS[3], 'd', 1)",
      "if d + 1 + a >= p then redis.call('PUBLISH', KEYS[1], '') end",
      "return {1}"));

  /**
   * ARGV: name, descriptor, mode ({@code j}: join, which looks for dead consumers only while tasks are
   * outstanding; {@code a}: always). Moves the tasks of dead tokens to {@code a}; returns {done (1/0), a, p, d},
   * or -1 gone.
   */
  private static final Script LOOK = new Script("queueLook", String.join("\n",
      CHECK,
      "local c = redis.call('HMGET', KEYS[3], 'p', 'd', 'a')",
      "local p = tonumber(c[1] or '0')",
      "local d = tonumber(c[2] or '0')",
      "local a = tonumber(c[3] or '0')",
      "if ARGV[3] == 'j' and d + a >= p then return {1, a, p, d} end",
      "local moved = 0",
      "local all = redis.call('HGETALL', KEYS[3])",
      "for i = 1, #all, 2 do",
      "  local f = all[i]",
      "  if string.sub(f, 1, 2) == 'o:' and not alive(string.sub(f, 3)) then",
      "    moved = moved + tonumber(all[i + 1])",
      "    redis.call('HDEL', KEYS[3], f)",
      "  end",
      "end",
      "if moved > 0 then a = redis.call('HINCRBY', KEYS[3], 'a', moved) end",
      "local done = d + a >= p",
      "if moved > 0 and done then redis.call('PUBLISH', KEYS[1], '') end",
      "return {done and 1 or 0, a, p, d}"));

  private final transient int capacity;
  private final transient Codec<E> codec;
  /** key, list, tasks, meta: the KEYS of every script. */
  private final transient List<byte[]> keys;
  private final transient byte[] nameArg;
  private final transient byte[] descriptorArg;
  private final transient byte[] capacityArg;
  private transient volatile long maxMessageBytes = MAX_MESSAGE_BYTES;

  private RedisQueue(RedisNamespace ns, String name, int capacity, Codec<E> codec) {
    super(ns, Kind.QUEUE, name, capacity, false, codec);
    this.capacity = capacity;
    this.codec = codec;
    this.keys = List.of(utf8(key), utf8(key("list")), utf8(key("tasks")), utf8(ns.metaKey()));
    this.nameArg = utf8(name);
    this.descriptorArg = utf8(Kind.QUEUE.descriptor(capacity));
    this.capacityArg = utf8(String.valueOf(capacity));
  }

  /**
   * Creates queue {@code name} of {@code capacity} in {@code ns}, or opens it.
   *
   * @throws IllegalArgumentException if the capacity is below 1, or the name holds another kind or capacity
   */
  static <E> RedisQueue<E> open(RedisNamespace ns, String name, int capacity, Codec<E> codec) {
    QueueViews.checkCapacity(capacity, Integer.MAX_VALUE, name);
    Objects.requireNonNull(codec, "codec");
    ns.create(Kind.QUEUE, name, capacity);
    return new RedisQueue<>(ns, name, capacity, codec);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Runs {@code script} with this queue's keys. */
  private Object exec(Script script, Object... args) {
    return server.call(j -> script.run(j, keys, args));
  }

  /** What a script's -1 means. */
  private IpcException gone() {
    return new IpcException("queue \"" + name + "\" no longer exists in " + ns.location()
        + " (was it removed, or its namespace deleted?)");
  }

  /** Lowers the message size limit, for tests of the check (the real limit needs 512 MiB). */
  void messageLimit(long bytes) {
    this.maxMessageBytes = bytes;
  }

  // ------------------------------------------------------------------ producer side

  @Override
  public boolean offer(E e) {
    checkOpen();
    return tryPut(encode(e));
  }

  @Override
  public boolean offerNanos(E e, long nanos) throws InterruptedException {
    TimedQueue.checkPut(e, this);
    byte[] b = encode(e);
    boolean[] first = {true};
    return await(nanos, () -> {
      // a long message is sent again only once the queue may have room for it
      if (!first[0] && b.length > LOOK_FIRST_BYTES && server.call(j -> j.llen(keys.get(1))) >= capacity) {
        return null;
      }
      first[0] = false;
      return tryPut(b) ? Boolean.TRUE : null;
    }) != null;
  }

  /** One put; false when the queue is full. */
  private boolean tryPut(byte[] b) {
    long r = Script.asLong(exec(PUT, nameArg, descriptorArg, capacityArg, b));
    if (r < 0) {
      throw gone();
    }
    return r == 1;
  }

  private byte[] encode(E e) {
    byte[] b = QueueViews.encode(codec, e, name);
    long limit = maxMessageBytes;
    if (b.length > limit) {
      throw new IllegalArgumentException("cannot put a message of " + b.length + " bytes on queue \"" + name
          + "\" in " + ns.location() + ": a Redis value holds at most " + limit + " bytes (proto-max-bulk-len)");
    }
    return b;
  }

  // ------------------------------------------------------------------ consumer side

  @Override
  public E poll() {
    checkOpen();
    List<byte[]> m = tryTake(1);
    return m.isEmpty() ? null : decode(m.get(0), true);
  }

  @Override
  public E pollNanos(long nanos) throws InterruptedException {
    byte[] b = await(nanos, () -> {
      List<byte[]> m = tryTake(1);
      return m.isEmpty() ? null : m.get(0);
    });
    return b == null ? null : decode(b, true);
  }

  /** Takes up to {@code most} messages from the head, counted as this process's tasks; none if it is empty. */
  private List<byte[]> tryTake(int most) {
    String token = takerToken();
    Object r = exec(TAKE, nameArg, descriptorArg, capacityArg, token, String.valueOf(most));
    if (r instanceof Long) {
      throw gone();
    }
    List<Object> l = Script.asList(r);
    List<byte[]> out = new ArrayList<>(l.size());
    for (Object o : l) {
      out.add((byte[]) o);
    }
    return out;
  }

  /** This process's token, remembered as one its tasks may be owed under (for {@link #taskDone()}). */
  private String takerToken() {
    String token = server.token();
    synchronized (TAKERS) {
      ArrayDeque<String> d = TAKERS.computeIfAbsent(server, s -> new ArrayDeque<>());
      if (!token.equals(d.peekFirst())) {
        d.remove(token);
        d.addFirst(token);
        if (d.size() > OLD_TOKENS) {
          d.removeLast();
        }
      }
    }
    return token;
  }

  /** The message of {@code b}; {@code removed}: whether the call took it out of the queue (for the message). */
  private E decode(byte[] b, boolean removed) {
    return QueueViews.decode(codec, b, name, removed);
  }


  @Override
  public int drainTo(Collection<? super E> c, int maxElements) {
    QueueViews.checkDrainTarget(this, c);
    checkOpen();
    return QueueViews.drain(c, maxElements, DRAIN_BATCH, this::tryTake, b -> decode(b, true));
  }

  @Override
  public E peek() {
    checkOpen();
    byte[] b = server.call(j -> j.lindex(keys.get(1), 0));
    return b == null ? null : decode(b, false);
  }

  /** The messages in the queue at one instant, head first, decoded, read without taking them. */
  @Override
  public List<E> snapshot() {
    checkOpen();
    return QueueViews.decodeAll(codec, server.call(j -> j.lrange(keys.get(1), 0, -1)), name);
  }

  /** Removes every message in the queue; they count as this process's tasks until marked done. */
  @Override
  public void clear() {
    checkOpen();
    long r = Script.asLong(exec(CLEAR, nameArg, descriptorArg, capacityArg, takerToken()));
    if (r < 0) {
      throw gone();
    }
  }

  // ------------------------------------------------------------------ counts, join

  @Override
  public int size() {
    checkOpen();
    long n = server.call(j -> j.llen(keys.get(1)));
    return (int) Math.min(Integer.MAX_VALUE, n);
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public void taskDone() {
    checkOpen();
    List<Object> args = new ArrayList<>();
    args.add(nameArg);
    args.add(descriptorArg);
    String current = server.token();
    args.add(current);
    synchronized (TAKERS) {
      ArrayDeque<String> d = TAKERS.get(server);
      if (d != null) {
        for (String t : d) {
          if (!t.equals(current)) {
            args.add(t);
          }
        }
      }
    }
    Object r = exec(TASK_DONE, args.toArray());
    if (r instanceof Long) {
      throw gone();
    }
    List<Object> l = Script.asList(r);
    if (Script.asLong(l.get(0)) == 0) {
      throw QueueViews.tooManyDone(name, Script.asLong(l.get(1)), Script.asLong(l.get(2)));
    }
  }

  /**
   * Waits until every message put is done or was taken by a consumer that died ({@code d + a >= p}); each look
   * counts the tasks of dead consumers, so a death is seen at the wait's probe interval at the latest.
   */
  @Override
  public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
    return await(Deadline.nanos(timeout, unit), () -> Script.asLong(look("j").get(0)) == 1 ? Boolean.TRUE : null)
        != null;
  }

  /** Tasks taken by processes that died before marking them done (see {@link IpcQueue#abandonedTasks()}). */
  @Override
  public long abandonedTasks() {
    checkOpen();
    List<Object> l = look("a");
    long a = Script.asLong(l.get(1));
    long p = Script.asLong(l.get(2));
    long d = Script.asLong(l.get(3));
    return Math.max(0L, Math.min(a, p - d));
  }

  private List<Object> look(String mode) {
    Object r = exec(LOOK, nameArg, descriptorArg, mode);
    if (r instanceof Long) {
      throw gone();
    }
    return Script.asList(r);
  }

  // ------------------------------------------------------------------ handle

  /**
   * The messages, head first, as every {@link java.util.Collection} prints them ({@code [e1, e2]}): a snapshot, as
   * {@link #iterator()}. A closed queue prints as its handle does. {@link #describe()} gives where it lives.
   */
  @Override
  public String toString() {
    return isClosed() ? super.toString() : QueueViews.elements(this);
  }

  @Override
  public String describe() {
    return isClosed() ? super.toString() : QueueViews.describe(this, ns.location(), codec);
  }
}
