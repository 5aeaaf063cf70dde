package dev.ipckit.redis;

import dev.ipckit.Codec;
import dev.ipckit.Connection;
import dev.ipckit.IpcException;
import dev.ipckit.spi.Deadline;
import dev.ipckit.spi.Pipes;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One end of a {@link RedisPipe}: {@link Connection} over the pipe's hash and lists.
 *
 * <p><b>Layout.</b> The hash at the pipe's key holds, for each end {@code e} (0 left, 1 right): {@code oe} the
 * liveness token of the process that owns the end (absent: nobody), {@code ce} "1" once its owner closed it
 * (cleared by the next claim), {@code be} the bytes queued in the list into the end ({@code KEY:toe}), counting
 * {@value #OVERHEAD} per message besides its length, {@code re} "1" while a receive on the end waits for a message,
 * and {@code we} "1" while a send into the end waits for room. A message is one element of its direction's list,
 * so it is sent and received whole, in order, and a sender that dies never leaves part of one.
 *
 * <p><b>Calls.</b> Each send, receive, poll and release is one script, and each first claims the end for this
 * process: free, already this process's, or owned by a process that is not {@code alive()} (a takeover); another
 * live owner is an {@link IllegalStateException} naming its pid. A send appends the message when the direction
 * holds less than {@value #BUDGET} bytes with it (an empty direction takes any message, so every size up to
 * {@link #MAX_MESSAGE} passes), and else waits for room. It throws {@link IOException} when the peer end is
 * closed, when the peer's owner is found dead while it waits for room, and at once when that owner was found dead
 * before (by a receive's end-of-file, say); a message sent while there is room is kept for the next owner of the
 * peer end, as in the shared-memory backend. A receive pops the next message, or, with none left, sees
 * end-of-file when the peer end is closed or its owner dead, and else waits. A peer end that was never claimed is
 * neither closed nor dead: a receive waits for it, and a send queues for its first owner while there is room.
 *
 * <p><b>Waiting.</b> Waits go through {@link RedisHandle#await}: a waiting receive sets {@code re}, a send
 * waiting for room {@code we}, and a script publishes on the pipe's key when it releases or claims an end, or
 * makes a change that a flagged waiter waits for (clearing the flag), so a stream that never waits costs no
 * wake-ups. What no message announces, a process death, the waiters' probes find.
 *
 * <p><b>Owner process.</b> The first send, receive or poll through a connection claims its end (a connection
 * that arrived from another JVM claims it on arrival, see {@link #claimOnArrival()}); the last connection of this
 * JVM that used the end releases it on close (owner removed, closed flag set, peer woken). Every call claims
 * again, so when this process's token changes (its connection to the server dropped, its lease lapsed: the peer
 * meanwhile sees it dead) the next call takes the end back under the new token unless another live process took
 * it first.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads: each message is one script, so concurrent sends and
 * receives never interleave within a message.
 *
 * <p><b>Memory consistency.</b> Scripts run one at a time on the server, so actions of a thread before the send
 * of a message happen-before actions after the receive that returns it, in any process.
 */
final class RedisPipeEnd<E> extends RedisHandle implements Connection<E> {
  private static final long serialVersionUID = 1L;
  static final int LEFT = Pipes.LEFT;
  static final int RIGHT = Pipes.RIGHT;
  /** The longest message: the server's default {@code proto-max-bulk-len}, the largest argument it accepts. */
  static final long MAX_MESSAGE = 512L << 20;
  /** The bytes one direction holds before a send waits for room (an empty direction takes any one message). */
  static final int BUDGET = 1 << 20;
  /** What each queued message counts for besides its length, so that empty messages fill a direction too. */
  static final int OVERHEAD = 32;

  /** Every script's start: the keys and arguments it shares, and the claim of this end. */
  private static final String HEAD = String.join("\n",
      "local h, e, tok = KEYS[1], ARGV[1], ARGV[2]",
      "local p = e == '0' and '1' or '0'",
      "local function claim(cur)",
      "  if cur == tok then return nil end",
      "  if cur and alive(cur) then return cur end",
      "  redis.call('HSET', h, 'o' .. e, tok)",
      "  redis.call('HDEL', h, 'c' .. e)",
      "  redis.call('PUBLISH', h, '')",
      "  return nil",
      "end",
      "");

  /** Claims the end: 1, or {'owned', token}. */
  private static final Script CLAIM = new Script("pipeClaim", HEAD + String.join("\n",
      "local owner = claim(redis.call('HGET', h, 'o' .. e))",
      "if owner then return {'owned', owner} end",
      "return 1"));

  /**
   * KEYS[2] the list into the peer, ARGV[3] the message, ARGV[4] the peer owner this JVM found dead before (or
   * ''): 1 once sent, or {'owned', token}, {'closed'}, {'dead', token}, {'full'}.
   */
  private static final Script SEND = new Script("pipeSend", HEAD + String.join("\n",
      "local s = redis.call('HMGET', h, 'o' .. e, 'c' .. p, 'o' .. p, 'b' .. p, 'r' .. p)",
      "local owner = claim(s[1])",
      "if owner then return {'owned', owner} end",
      "if s[2] then return {'closed'} end",
      "if s[3] and s[3] == ARGV[4] then return {'dead', s[3]} end",
      "local n = string.len(ARGV[3]) + " + OVERHEAD,
      "local q = tonumber(s[4]) or 0",
      "if q > 0 and q + n > " + BUDGET + " then",
      "  if s[3] and not alive(s[3]) then return {'dead', s[3]} end",
      "  redis.call('HSET', h, 'w' .. p, '1')",
      "  return {'full'}",
      "end",
      "redis.call('RPUSH', KEYS[2], ARGV[3])",
      "redis.call('HINCRBY', h, 'b' .. p, n)",
      "if s[5] then",
      "  redis.call('HDEL', h, 'r' .. p)",
      "  redis.call('PUBLISH', h, '')",
      "end",
      "return 1"));

  /**
   * KEYS[2] the list into this end, ARGV[3] '1' to take the next message, '0' to look: the message (taking) or 1
   * (looking), or {'owned', token}, {'closed'}, {'dead', token}, {'empty'}.
   */
  private static final Script RECV = new Script("pipeRecv", HEAD + String.join("\n",
      "local s = redis.call('HMGET', h, 'o' .. e, 'c' .. p, 'o' .. p, 'w' .. e)",
      "local owner = claim(s[1])",
      "if owner then return {'owned', owner} end",
      "if ARGV[3] == '1' then",
      "  local v = redis.call('LPOP', KEYS[2])",
      "  if v then",
      "    redis.call('HINCRBY', h, 'b' .. e, -(string.len(v) + " + OVERHEAD + "))",
      "    if s[4] then",
      "      redis.call('HDEL', h, 'w' .. e)",
      "      redis.call('PUBLISH', h, '')",
      "    end",
      "    return v",
      "  end",
      "elseif redis.call('LLEN', KEYS[2]) > 0 then",
      "  return 1",
      "end",
      "if s[2] then return {'closed'} end",
      "if s[3] and not alive(s[3]) then return {'dead', s[3]} end",
      "redis.call('HSET', h, 'r' .. e, '1')",
      "return {'empty'}"));

  /** Releases the end if {@code tok} owns it: 1 if it did, else 0. */
  private static final Script RELEASE = new Script("pipeRelease", HEAD + String.join("\n",
      "if redis.call('HGET', h, 'o' .. e) ~= tok then return 0 end",
      "redis.call('HDEL', h, 'o' .. e)",
      "redis.call('HSET', h, 'c' .. e, '1')",
      "redis.call('PUBLISH', h, '')",
      "return 1"));

  private static final String FULL = "full";
  private static final String EMPTY = "empty";

  private final transient int end;
  private final transient String endArg;
  private final transient boolean duplex;
  private final transient boolean canSend;
  private final transient boolean canRecv;
  private final transient Codec<E> codec;
  private final transient String label;
  private final transient List<String> hashKey;
  private final transient List<String> sendKeys;
  private final transient List<String> recvKeys;
  /** This JVM's use of the end, set by the first call that used it through this connection; written under this. */
  private transient volatile EndUse use;

  RedisPipeEnd(RedisNamespace ns, String name, boolean duplex, Codec<E> codec, int end) {
    super(ns, Kind.PIPE, name, end, duplex, codec);
    this.end = end;
    this.endArg = Integer.toString(end);
    this.duplex = duplex;
    this.canSend = duplex || end == RIGHT;
    this.canRecv = duplex || end == LEFT;
    this.codec = codec;
    this.label = Pipes.label(name, ns.location());
    this.hashKey = List.of(key);
    this.sendKeys = List.of(key, key("to" + (1 - end)));
    this.recvKeys = List.of(key, key("to" + end));
    ns.register(this);                           // closing the namespace closes (and releases) the end
  }

  // ---- ownership

  /** This connection's use of the end, counted once (the first call through it); checks that it is open. */
  private EndUse use() {
    EndUse u = use;
    if (u != null && !isClosed()) {
      return u;
    }
    synchronized (this) {
      checkOpen();
      if (use == null) {
        use = EndUse.acquire(this);
      }
      return use;
    }
  }

  /**
   * Claims the end for this process as soon as the connection arrives from another JVM, so that this process's
   * death is an end-of-file for the peer even if it never uses the end. An end another live process owns is left
   * alone: using it says so, naming the owner.
   */
  void claimOnArrival() {
    EndUse u = use();
    String tok = server.token();
    run(CLAIM, hashKey, endArg, tok);
    u.token = tok;
  }

  /**
   * Runs {@code script} for this end with this process's current token (which {@link #close()} releases with),
   * remembering a peer owner the reply says is dead.
   */
  private Object call(Script script, List<String> keys, EndUse u, Object... more) {
    String tok = server.token();
    Object[] args = new Object[2 + more.length];
    args[0] = endArg;
    args[1] = tok;
    System.arraycopy(more, 0, args, 2, more.length);
    Object r = run(script, keys, args);
    u.token = tok;
    if ("dead".equals(code(r))) {
      u.deadPeer = Script.asString(Script.asList(r).get(1));
    }
    return r;
  }

  /** The code of a script's list reply ({@code 'owned'}, {@code 'closed'}, ...), or null for any other reply. */
  private static String code(Object reply) {
    return reply instanceof List ? Script.asString(Script.asList(reply).get(0)) : null;
  }

  private IllegalStateException owned(List<Object> reply) {
    String owner = Script.asString(reply.get(1));
    return new IllegalStateException("the " + Pipes.endName(end) + " end of " + label + " is in use by process "
        + Server.pidOf(owner) + " on " + Server.hostOf(owner) + "; an end has one owner process at a time (close it"
        + " there first, or use the " + Pipes.endName(1 - end) + " end)");
  }

  // ---- sending

  private void checkSend() {
    checkOpen();
    if (!canSend) {
      throw Pipes.receiveOnly(label);
    }
  }

  /**
   * Refuses a message longer than {@link #MAX_MESSAGE}, which the server would not take.
   *
   * @throws IllegalArgumentException naming the pipe, the length and the limit
   */
  static void checkLength(String label, long length) {
    if (length > MAX_MESSAGE) {
      throw new IllegalArgumentException("cannot send a message of " + length + " bytes on " + label + ": on Redis"
          + " a message is at most " + MAX_MESSAGE + " bytes (512 MiB, the server's proto-max-bulk-len)");
    }
  }

  @Override
  public void send(E message) throws IOException, InterruptedException {
    Objects.requireNonNull(message, "message");
    checkSend();
    write(Pipes.encode(codec, message));
  }

  @Override
  public void sendBytes(byte[] b) throws IOException, InterruptedException {
    Objects.requireNonNull(b, "b");
    checkSend();
    write(b);
  }

  /** Appends one message to the direction into the peer, waiting while it has no room. */
  private void write(byte[] b) throws IOException, InterruptedException {
    checkLength(label, b.length);
    EndUse u = use();
    Object r;
    try {
      r = await(Deadline.FOREVER, () -> {
        String dead = u.deadPeer;
        Object x = call(SEND, sendKeys, u, b, dead == null ? "" : dead);
        return FULL.equals(code(x)) ? null : x;
      });
    } catch (IpcException e) {
      throw new IOException("cannot send on " + label + ": " + e.getMessage(), e);
    }
    String code = code(r);
    if (code == null) {
      return;
    }
    List<Object> reply = Script.asList(r);
    switch (code) {
      case "owned":
        throw owned(reply);
      case "closed":
        throw new IOException("cannot send on " + label + ": the " + Pipes.endName(1 - end) + " end is closed");
      case "dead":
        throw new IOException("cannot send on " + label + ": the process that owned the " + Pipes.endName(1 - end)
            + " end (pid " + Server.pidOf(Script.asString(reply.get(1))) + ") died");
      default:
        throw new IllegalStateException("unexpected reply " + code + " from the server for " + this);
    }
  }

  // ---- receiving

  private void checkRecv(String op) {
    checkOpen();
    if (!canRecv) {
      throw Pipes.sendOnly(label, op);
    }
  }

  @Override
  public E recv() throws EOFException, IOException, InterruptedException {
    checkRecv("recv");
    return Pipes.decode(codec, read(), this);
  }

  @Override
  public byte[] recvBytes() throws EOFException, IOException, InterruptedException {
    checkRecv("recvBytes");
    return read();
  }

  /** Takes the next message, waiting for one; EOFException once the peer is closed or dead and none is left. */
  private byte[] read() throws IOException, InterruptedException {
    EndUse u = use();
    Object r;
    try {
      r = await(Deadline.FOREVER, () -> {
        Object x = call(RECV, recvKeys, u, "1");
        return EMPTY.equals(code(x)) ? null : x;
      });
    } catch (IpcException e) {
      throw new IOException("cannot receive on " + label + ": " + e.getMessage(), e);
    }
    if (r instanceof byte[]) {
      return (byte[]) r;
    }
    throw notReceived(r);
  }

  @Override
  public boolean poll(Duration timeout) throws IOException, InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    checkRecv("poll");
    EndUse u = use();
    Object r;
    try {
      r = await(Deadline.nanos(timeout), () -> {
        Object x = call(RECV, recvKeys, u, "0");
        return EMPTY.equals(code(x)) ? null : x;
      });
    } catch (IpcException e) {
      throw new IOException("cannot poll " + label + ": " + e.getMessage(), e);
    }
    if (r == null) {
      return false;
    }
    if ("owned".equals(code(r))) {
      throw owned(Script.asList(r));
    }
    return true;                               // a message, or end-of-file
  }

  /** What a receive that got no message throws: end-of-file, or (thrown here) the refusal of another owner. */
  private EOFException notReceived(Object r) {
    String code = code(r);
    List<Object> reply = Script.asList(r);
    String peer = Pipes.endName(1 - end);
    switch (String.valueOf(code)) {
      case "owned":
        throw owned(reply);
      case "closed":
        return new EOFException("the " + peer + " end of " + label
            + " was closed and everything it sent has been received");
      case "dead":
        return new EOFException("the process that owned the " + peer + " end of " + label + " (pid "
            + Server.pidOf(Script.asString(reply.get(1))) + ") died; everything it sent has been received");
      default:
        throw new IllegalStateException("unexpected reply " + code + " from the server for " + this);
    }
  }

  /** True for both ends of a duplex pipe and for the left end of a half-duplex one. */
  @Override
  public boolean readable() {
    return canRecv;
  }

  /** True for both ends of a duplex pipe and for the right end of a half-duplex one. */
  @Override
  public boolean writable() {
    return canSend;
  }

  /**
   * Closes this connection; when it is the last connection of this JVM that used the end, releases the end (the
   * peer sees end-of-file once it has drained what was sent, and another process may claim the end).
   */
  @Override
  public void close() {
    EndUse u;
    synchronized (this) {                      // a call starting to use the end now sees it closed
      super.close();
      u = use;
      use = null;
    }
    if (u != null) {
      u.release();
    }
  }

  @Override
  public String toString() {
    return Pipes.describeEnd(end, duplex, label, isClosed());
  }

  /**
   * This JVM's use of one end of one pipe: how many connections have used it, and the token they last used it
   * with; the last one to close releases the end under that token (one that was lost meanwhile owns nothing any
   * more, and releasing under it changes nothing).
   */
  private static final class EndUse {
    /** Every end in use in this JVM, by server, key and end; guards {@link #users}. */
    private static final Map<List<Object>, EndUse> USES = new HashMap<>();

    private final List<Object> id;
    private final Server server;
    private final String key;
    private final String end;
    private int users;
    volatile String token;
    /** The peer owner token last found dead (null if none): a send to it fails at once, as if it waited. */
    volatile String deadPeer;

    private EndUse(List<Object> id, Server server, String key, String end) {
      this.id = id;
      this.server = server;
      this.key = key;
      this.end = end;
    }

    static EndUse acquire(RedisPipeEnd<?> c) {
      List<Object> id = List.of(c.server, c.key, c.end);
      synchronized (USES) {
        EndUse u = USES.computeIfAbsent(id, k -> new EndUse(k, c.server, c.key, c.endArg));
        u.users++;
        return u;
      }
    }

    /**
     * One connection fewer; the last one releases the end. Under the lock, so that a connection starting to use
     * the end meanwhile claims it after the release, not before.
     */
    void release() {
      synchronized (USES) {
        if (--users > 0) {
          return;
        }
        USES.remove(id);
        String tok = token;
        if (tok == null) {
          return;                                // never claimed
        }
        try {
          server.run(RELEASE, List.of(key), end, tok);
        } catch (RuntimeException e) {
          // the server cannot be reached, or this JVM's connection is closed: the token lapses with it, and
          // the peer sees this process's end as dead instead of closed
        }
      }
    }
  }
}
