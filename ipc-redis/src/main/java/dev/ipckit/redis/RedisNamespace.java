package dev.ipckit.redis;

import dev.ipckit.Codec;
import dev.ipckit.Ipc;
import dev.ipckit.IpcBarrier;
import dev.ipckit.IpcEvent;
import dev.ipckit.IpcException;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcQueue;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.Pipe;
import dev.ipckit.SharedDouble;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedLong;
import dev.ipckit.spi.CellType;
import dev.ipckit.spi.HandleRef;
import dev.ipckit.spi.Namespace;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.function.IntToLongFunction;

/**
 * One namespace on a Redis server: the keys {@code ipckit:{ns}:*}. Its {@code meta} hash maps every object's name
 * to its kind and shape ({@link Kind}), and {@code @version} to the layout version; creating an object and
 * recording it there is one script, so two processes creating the same name race safely, and opening a name as
 * another kind or shape is a clear {@link IllegalArgumentException}. Keys never expire: a namespace lives until
 * {@link RedisBackend#delete} removes it (or, for a temporary one, until {@link #close()} or the sweep).
 */
final class RedisNamespace implements Namespace {
  /** The layout version of a namespace's keys; a namespace of another version is refused naming both. */
  static final int LAYOUT_VERSION = 1;
  static final String VERSION_FIELD = "@version";
  static final String TEMP_FIELD = "@temp";
  /** The suffix of a value's internal lock (an rlock): no user name can end in it. */
  static final String VALUE_LOCK_SUFFIX = "@lock";

  private static final Script CREATE = new Script("create", String.join("\n",
      "local v = redis.call('HGET', KEYS[1], '" + VERSION_FIELD + "')",
      "if not v then redis.call('HSET', KEYS[1], '" + VERSION_FIELD + "', ARGV[1])",
      "elseif v ~= ARGV[1] then return {'version', v} end",
      "local d = redis.call('HGET', KEYS[1], ARGV[2])",
      "if d then return {'exists', d} end",
      "redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])",
      "if ARGV[4] == 's' then redis.call('SET', KEYS[2], ARGV[5])",
      "elseif ARGV[4] == 'h' then redis.call('HSET', KEYS[2], unpack(ARGV, 5)) end",
      "return {'created'}"));

  private static final Script REMOVE = new Script("remove", String.join("\n",
      "local d = redis.call('HGET', KEYS[1], ARGV[1])",
      "if not d then return {'absent'} end",
      "local n = tonumber(ARGV[2])",
      "for i = 1, n do",
      "  local o = redis.call('HGET', KEYS[2], ARGV[2 + i])",
      "  if o and alive(o) then return {'held', o} end",
      "end",
      "redis.call('DEL', KEYS[2])",
      "for i = 3 + n, #ARGV do redis.call('DEL', KEYS[2] .. ':' .. ARGV[i]) end",
      "redis.call('HDEL', KEYS[1], ARGV[1])",
      "redis.call('PUBLISH', KEYS[2], 'removed')",
      "return {'removed'}"));

  final Server server;
  final RedisLocation where;
  private final URI location;
  private final String prefix;
  private final String meta;
  private final boolean temp;
  private final Set<RedisHandle> handles = Collections.newSetFromMap(new WeakHashMap<>());
  private volatile boolean closed;

  RedisNamespace(Server server, RedisLocation where, boolean temp) {
    this.server = server;
    this.where = where;
    this.location = where.uri();
    this.prefix = "ipckit:{" + where.namespace() + "}:";
    this.meta = prefix + "meta";
    this.temp = temp;
  }

  /** Records this namespace as temporary, owned by this process's token (the sweep removes it once that is dead). */
  void markTemp() {
    String token = server.token();
    server.call(j -> j.hset(meta, TEMP_FIELD, token));
    server.call(j -> j.hsetnx(meta, VERSION_FIELD, String.valueOf(LAYOUT_VERSION)));
  }

  @Override
  public URI location() {
    return location;
  }

  @Override
  public Path dir() {
    throw new UnsupportedOperationException("the namespace at " + location + " is not a directory: use location()");
  }

  /** The key of object {@code name} of kind {@code kind}. */
  String key(Kind kind, String name) {
    return prefix + kind.id + ":" + name;
  }

  String metaKey() {
    return meta;
  }

  /** Every key of this namespace starts with this. */
  String prefix() {
    return prefix;
  }

  boolean closed() {
    return closed;
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the namespace " + location + " is closed");
    }
  }

  void register(RedisHandle h) {
    synchronized (handles) {
      handles.add(h);
    }
  }

  /**
   * Creates object {@code name} of {@code kind} and {@code shape} if the name is free, initialising its key with
   * {@code init} ({@code "s", bytes} sets a string; {@code "h", field, value, ...} sets hash fields; nothing for
   * neither), or checks that the existing one matches.
   *
   * @return true if this call created it
   * @throws IllegalArgumentException if the name holds another kind or shape
   */
  boolean create(Kind kind, String name, Object shape, Object... init) {
    checkOpen();
    String desc = kind.descriptor(shape);
    Object[] args = new Object[3 + Math.max(1, init.length)];
    args[0] = LAYOUT_VERSION;
    args[1] = name;
    args[2] = desc;
    if (init.length == 0) {
      args[3] = "n";
    } else {
      System.arraycopy(init, 0, args, 3, init.length);
    }
    List<Object> r = Script.asList(server.run(CREATE, List.of(meta, key(kind, name)), args));
    String what = Script.asString(r.get(0));
    if (what.equals("created")) {
      return true;
    }
    if (what.equals("version")) {
      throw new IpcException("the namespace " + location + " has layout version " + Script.asString(r.get(1))
          + ", this ipckit reads " + LAYOUT_VERSION + ": its processes run different ipckit versions");
    }
    String found = Script.asString(r.get(1));
    if (!found.equals(desc)) {
      throw new IllegalArgumentException("\"" + name + "\" in " + location + " is a " + Kind.describe(found)
          + ", not a " + Kind.describe(desc));
    }
    return false;
  }

  /** The descriptor recorded for {@code name}, or null. */
  String descriptorOf(String name) {
    return server.call(j -> j.hget(meta, name));
  }

  // ---- values and arrays

  @Override
  public SharedInt sharedInt(String name, int initial) {
    return track(new RedisInt(this, name, initial));
  }

  @Override
  public SharedLong sharedLong(String name, long initial) {
    return track(new RedisLong(this, name, initial));
  }

  @Override
  public SharedDouble sharedDouble(String name, double initial) {
    return track(new RedisDouble(this, name, initial));
  }

  @Override
  public <A> A array(String name, CellType<A> type, int length, IntToLongFunction initial) {
    return type.view(track(Cells.array(this, name, type, length, initial)));
  }

  /** The internal reentrant lock of value {@code name} ({@code getLock()}, Python's {@code get_lock()}). */
  IpcLock valueLock(String name) {
    return rlock(name + VALUE_LOCK_SUFFIX);
  }

  // ---- locks and synchronisation

  @Override
  public IpcLock lock(String name) {
    return track(RedisLock.open(this, name, false));
  }

  @Override
  public IpcLock rlock(String name) {
    return track(RedisLock.open(this, name, true));
  }

  /** On Redis a file lock is {@link #lock}: the same object (documented). */
  @Override
  public IpcLock fileLock(String name) {
    return lock(name);
  }

  @Override
  public IpcSemaphore semaphore(String name, int permits) {
    return track(RedisSemaphore.open(this, name, permits, false));
  }

  @Override
  public IpcSemaphore boundedSemaphore(String name, int permits) {
    return track(RedisSemaphore.open(this, name, permits, true));
  }

  @Override
  public IpcEvent event(String name) {
    return track(RedisEvent.open(this, name));
  }

  @Override
  public IpcBarrier barrier(String name, int parties) {
    return track(RedisBarrier.open(this, name, parties, null));
  }

  @Override
  public IpcBarrier barrier(String name, int parties, Runnable action) {
    return track(RedisBarrier.open(this, name, parties, action));
  }

  @Override
  public <E> IpcQueue<E> queue(String name, int capacity, Codec<E> codec) {
    return track(RedisQueue.open(this, name, capacity, codec));
  }

  @Override
  public <E> Pipe<E> pipe(String name, boolean duplex, Codec<E> codec) {
    return track(RedisPipe.open(this, name, duplex, codec));
  }

  private <T extends RedisHandle> T track(T h) {
    register(h);
    return h;
  }

  // ---- listing, removing, reopening

  @Override
  public SortedSet<String> names() {
    checkOpen();
    Set<String> fields = server.call(j -> j.hkeys(meta));
    SortedSet<String> out = new TreeSet<>();
    for (String f : fields) {
      if (f.indexOf('@') < 0) {
        out.add(f);
      }
    }
    return Collections.unmodifiableSortedSet(out);
  }

  @Override
  public boolean remove(String name) {
    checkOpen();
    String desc = descriptorOf(name);
    if (desc == null) {
      return false;
    }
    Kind kind = Kind.ofId(desc.split("/", 2)[0]);
    if (kind == null) {
      throw new IpcException("\"" + name + "\" in " + location + " has an unknown kind " + desc);
    }
    boolean removed = removeObject(kind, name);
    if (removed && kind.ordinal() <= Kind.BOOLEAN_ARRAY.ordinal()) {
      removeObject(Kind.RLOCK, name + VALUE_LOCK_SUFFIX);          // a value's lock goes with it
    }
    return removed;
  }

  private boolean removeObject(Kind kind, String name) {
    List<Object> args = new ArrayList<>();
    args.add(name);
    args.add(kind.owners.size());
    args.addAll(kind.owners);
    args.addAll(kind.suffixes);
    List<Object> r = Script.asList(server.run(REMOVE, List.of(meta, key(kind, name)), args.toArray()));
    String what = Script.asString(r.get(0));
    if (what.equals("held")) {
      String owner = Script.asString(r.get(1));
      throw new IllegalStateException("cannot remove the " + kind.id + " \"" + name + "\" from " + location
          + ": it is in use by the live process " + Server.pidOf(owner) + " on " + Server.hostOf(owner));
    }
    return what.equals("removed");
  }

  @Override
  public Object reopen(HandleRef ref) {
    checkOpen();
    Kind kind = Kind.ofId(ref.kind());
    if (kind == null) {
      throw new IpcException("a handle of kind " + ref.kind() + " cannot be reopened in " + location);
    }
    String name = ref.name();
    String user = kind == Kind.RLOCK && name.endsWith(VALUE_LOCK_SUFFIX)
        ? name.substring(0, name.length() - VALUE_LOCK_SUFFIX.length()) : name;
    try {
      Ipc.checkName(user);
    } catch (IllegalArgumentException e) {
      throw new IpcException("refused to reopen a " + kind.id + " handle for " + location + ": its name is not one"
          + " this library makes (" + e.getMessage() + ")", e);
    }
    String desc = descriptorOf(name);
    if (desc == null) {
      throw new IpcException("cannot reopen the " + kind.id + " \"" + name + "\" in " + location
          + ": it does not exist (was it removed, or its namespace deleted?)");
    }
    if (!desc.split("/", 2)[0].equals(kind.id)) {
      throw new IpcException("cannot reopen \"" + name + "\" in " + location + " as a " + kind.id + ": it is a "
          + Kind.describe(desc));
    }
    int arg = (int) ref.arg();
    CellType<?> cells = kind.cells();
    if (cells != null) {
      return array(name, cells, arg, null);
    }
    switch (kind) {
      case INT: return sharedInt(name, 0);
      case LONG: return sharedLong(name, 0);
      case DOUBLE: return sharedDouble(name, 0);
      case LOCK: return lock(name);
      case RLOCK: return rlock(name);
      case SEMAPHORE: return semaphore(name, arg);
      case BOUNDED_SEMAPHORE: return boundedSemaphore(name, arg);
      case EVENT: return event(name);
      case BARRIER: return barrier(name, arg);
      case QUEUE: return queue(name, arg, ref.codec());
      case PIPE: return track(RedisPipe.reopen(this, ref));
      default: throw new IpcException("a handle of kind " + ref.kind() + " cannot be reopened in " + location);
    }
  }

  // ---- lifetime

  @Override
  public void close() {
    if (closed) {
      return;
    }
    List<RedisHandle> open;
    synchronized (handles) {
      open = new ArrayList<>(handles);
      handles.clear();
    }
    for (RedisHandle h : open) {
      try {
        h.close();
      } catch (RuntimeException ignored) {
        // closing the others matters more
      }
    }
    closed = true;
    try {
      if (temp) {
        deleteKeys(server, prefix);
      }
    } finally {
      server.release();
    }
  }

  /** Deletes every key that starts with {@code prefix}: a whole namespace. Returns how many. */
  static long deleteKeys(Server server, String prefix) {
    return server.call(j -> {
      long n = 0;
      String cursor = "0";
      redis.clients.jedis.params.ScanParams p = new redis.clients.jedis.params.ScanParams()
          .match(escapeGlob(prefix) + "*").count(1000);
      do {
        redis.clients.jedis.resps.ScanResult<String> r = j.scan(cursor, p);
        List<String> keys = r.getResult();
        if (!keys.isEmpty()) {
          n += j.unlink(keys.toArray(new String[0]));
        }
        cursor = r.getCursor();
      } while (!cursor.equals("0"));
      return n;
    });
  }

  /** {@code s} with the glob characters of {@code SCAN MATCH} escaped. */
  static String escapeGlob(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (char c : s.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "RedisNamespace[" + location + "]";
  }
}
