package dev.ipckit.redis;

import dev.ipckit.IpcException;
import dev.ipckit.IpcLock;
import dev.ipckit.spi.CellArray;
import dev.ipckit.spi.CellArrayHandle;
import dev.ipckit.spi.CellType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.IntToLongFunction;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * The one implementation of every Redis value and array: {@code length} cells of {@code width} bytes (1, 4 or 8)
 * in one Redis string, the object's key, cell {@code i} big-endian at byte {@code i * width}; a single value is an
 * array of one cell. Doubles and floats are stored as their raw IEEE-754 bits, booleans as the byte 0 or 1. These are
 * the {@link CellArray} primitives, the bits in a {@code long} sign-extended from the cell's width; an array is these
 * cells viewed as its element type ({@link CellType#view}: the default methods of {@code dev.ipckit.spi}'s typed
 * interfaces, {@link dev.ipckit.spi.IntCellArray}, ..., convert it to and from the bits), and each value a thin
 * subclass over cell 0.
 *
 * <p>Every operation is one round trip: a read is {@code GETRANGE}; every change is a script that first checks that
 * the cells are there, so that an object removed (or its namespace deleted) under an open handle is an {@link
 * IpcException} naming it, never silently recreated. Scripts compare and return raw byte strings, never Lua
 * numbers (doubles, inexact past 2^53): an integer add is {@code BITFIELD OVERFLOW WRAP INCRBY} (which wraps as
 * Java does) returning the cell's previous bytes; {@code compareAndSet} compares bytes (a double's raw bits, so
 * {@code NaN} equals itself and {@code -0.0} differs from {@code 0.0}) and returns what it found, so that an update
 * loop that lost a race tries again without reading; a floating-point add is done by the script on the IEEE bits
 * (Lua's {@code struct}): a double add in Lua is Java's {@code +}, and a float add computed in double and rounded to
 * float is exactly Java's float {@code +}. A bulk read or write of a range is one {@code GETRANGE} or one script,
 * atomic as a whole (more than the interfaces promise).
 *
 * <p>A read or a plain store whose connection failed (the server dropped it) runs once more on a new one ({@link
 * Server#callIdempotent}); an update does not, since it may have been applied: its {@link IpcException} says that
 * the server could not be reached. Values have no blocking operation and so no waiters: their scripts publish no
 * wake-up.
 */
class Cells extends RedisHandle implements CellArrayHandle {
  private static final long serialVersionUID = 1L;
  /** The longest Redis string. */
  private static final long MAX_BYTES = 512L << 20;
  /** Arrays of more bytes are looked up before they are created, so that opening one sends no contents. */
  private static final int LOOK_FIRST_BYTES = 1 << 16;

  /** Stores ARGV[2] at byte ARGV[1], if the string reaches that far; nil if the object is gone. */
  private static final Script STORE = new Script("cellsStore", String.join("\n",
      "if redis.call('STRLEN', KEYS[1]) < ARGV[1] + #ARGV[2] then return false end",
      "redis.call('SETRANGE', KEYS[1], ARGV[1], ARGV[2])",
      "return 1"));

  /** Stores ARGV[2] at byte ARGV[1]; returns the bytes it replaced, nil if the object is gone. */
  private static final Script SWAP = new Script("cellsSwap", String.join("\n",
      "local o = tonumber(ARGV[1])",
      "local old = redis.call('GETRANGE', KEYS[1], o, o + #ARGV[2] - 1)",
      "if #old < #ARGV[2] then return false end",
      "redis.call('SETRANGE', KEYS[1], o, ARGV[2])",
      "return old"));

  /**
   * Compare-and-exchange of the cell at byte ARGV[1]: stores ARGV[3] if the cell holds ARGV[2] (with ARGV[4] 't':
   * if its one byte is zero exactly when ARGV[2]'s is, a boolean's truth); returns the bytes it found, nil if the
   * object is gone.
   */
  private static final Script EXCHANGE = new Script("cellsExchange", String.join("\n",
      "local o = tonumber(ARGV[1])",
      "local old = redis.call('GETRANGE', KEYS[1], o, o + #ARGV[2] - 1)",
      "if #old < #ARGV[2] then return false end",
      "local same",
      "if ARGV[4] == 't' then same = (old == '\\0') == (ARGV[2] == '\\0') else same = old == ARGV[2] end",
      "if same then redis.call('SETRANGE', KEYS[1], o, ARGV[3]) end",
      "return old"));

  /**
   * Adds ARGV[3] (decimal) to cell ARGV[2] of BITFIELD type ARGV[1] (i8, i32, i64), wrapping; returns the cell's
   * bytes before, nil if the object is gone. BITFIELD's own reply is not used: as a Lua number it may be inexact.
   */
  private static final Script ADD = new Script("cellsAdd", String.join("\n",
      "local w = tonumber(string.sub(ARGV[1], 2)) / 8",
      "local o = tonumber(ARGV[2]) * w",
      "local old = redis.call('GETRANGE', KEYS[1], o, o + w - 1)",
      "if #old < w then return false end",
      "redis.call('BITFIELD', KEYS[1], 'OVERFLOW', 'WRAP', 'INCRBY', ARGV[1], '#' .. ARGV[2], ARGV[3])",
      "return old"));

  /**
   * Adds the IEEE value ARGV[2] (the raw bits of a double, 8 bytes, or of a float, 4) to the cell at byte ARGV[1]
   * of the same width; returns {before, after}, nil if the object is gone.
   */
  private static final Script ADD_FLOATING = new Script("cellsAddFloating", String.join("\n",
      "local o = tonumber(ARGV[1])",
      "local w = #ARGV[2]",
      "local old = redis.call('GETRANGE', KEYS[1], o, o + w - 1)",
      "if #old < w then return false end",
      "local f = w == 8 and '>d' or '>f'",
      "local new = struct.pack(f, struct.unpack(f, old) + struct.unpack(f, ARGV[2]))",
      "redis.call('SETRANGE', KEYS[1], o, new)",
      "return {old, new}"));

  final transient int length;
  /** Bytes per cell: 1, 4 or 8. */
  final transient int width;
  private final transient byte[] rawKey;
  private final transient List<byte[]> keys;

  Cells(RedisNamespace ns, Kind kind, String name, int length, int width) {
    super(ns, kind, name, kind.shapeLabel == null ? 0 : length, false, null);  // a single value's carries no length
    this.length = length;
    this.width = width;
    this.rawKey = key.getBytes(StandardCharsets.UTF_8);
    this.keys = List.of(rawKey);
  }

  /**
   * Creates the object {@code name} of {@code kind}, {@code length} cells of {@code width} bytes holding the bits
   * {@code initial} gives for each index (zeros when null), or checks that the existing one is of that kind and
   * length. The contents are written only by the process that creates the object, by the script that records it
   * in the namespace, so nobody sees it half made; an existing one is left as it is.
   *
   * @throws IllegalArgumentException if the name holds another kind or length, or the cells would not fit in one
   *     Redis string
   */
  /**
   * The cells of the array {@code name} of {@code type}: created with {@code length} cells holding the bits {@code
   * initial} gives (zeros when null), or opened (and then left as they are).
   */
  static Cells array(RedisNamespace ns, String name, CellType<?> type, int length, IntToLongFunction initial) {
    Kind kind = Kind.of(type);
    create(ns, kind, name, length, type.width(), initial);
    return new Cells(ns, kind, name, length, type.width());
  }

  static void create(RedisNamespace ns, Kind kind, String name, int length, int width, IntToLongFunction initial) {
    Integer shape = kind.shapeLabel == null ? null : length;
    long bytes = (long) length * width;
    if (bytes > MAX_BYTES) {
      throw new IllegalArgumentException(kind.id + " \"" + name + "\": " + length + " elements of " + width
          + " bytes do not fit in one Redis string (at most " + (MAX_BYTES >> 20) + " MiB)");
    }
    ns.checkOpen();
    if (bytes > LOOK_FIRST_BYTES && kind.descriptor(shape).equals(ns.descriptorOf(name))) {
      return;
    }
    byte[] b = new byte[(int) bytes];
    if (initial != null) {
      for (int i = 0; i < length; i++) {
        put(b, i * width, width, initial.applyAsLong(i));
      }
    }
    ns.create(kind, name, shape, "s", b);
  }

  // ---- one cell

  /** Cell {@code i}'s byte offset: IndexOutOfBoundsException outside [0, length), IllegalStateException if closed. */
  private int at(int i) {
    checkOpen();
    return Objects.checkIndex(i, length) * width;
  }

  /** Cell {@code i}'s bits. */
  @Override
  public final long loadBits(int i) {
    int at = at(i);
    byte[] b = server.callIdempotent(j -> j.getrange(rawKey, at, at + width - 1));
    if (b.length < width) {
      throw gone();
    }
    return bits(b, 0, width);
  }

  /** Stores cell {@code i}'s bits. */
  @Override
  public final void storeBits(int i, long bits) {
    int at = at(i);
    byte[] b = new byte[width];
    put(b, 0, width, bits);
    present(server.callIdempotent(j -> STORE.run(j, keys, at, b)));
  }

  /** Atomically stores cell {@code i}'s bits; returns the previous ones. */
  @Override
  public final long swapBits(int i, long bits) {
    int at = at(i);
    byte[] b = new byte[width];
    put(b, 0, width, bits);
    return bits((byte[]) present(server.call(j -> SWAP.run(j, keys, at, b))), 0, width);
  }

  /** Atomically sets cell {@code i}'s bits if they are {@code expect} (compared at the cell's width). */
  @Override
  public final boolean casBits(int i, long expect, long update) {
    return exchange(i, expect, update, false) == narrow(expect);
  }

  /** Atomically sets one-byte cell {@code i} to {@code update} if it is zero exactly when {@code expect} is. */
  @Override
  public final boolean casTruth(int i, boolean expect, boolean update) {
    return (exchange(i, expect ? 1 : 0, update ? 1 : 0, true) != 0) == expect;
  }

  /**
   * Compare-and-exchange: sets cell {@code i}'s bits to {@code update} if they are {@code expect} (or, with {@code
   * truth}, if their truth is), and returns the bits it found either way.
   */
  private long exchange(int i, long expect, long update, boolean truth) {
    int at = at(i);
    byte[] e = new byte[width];
    byte[] u = new byte[width];
    put(e, 0, width, expect);
    put(u, 0, width, update);
    Object r = server.call(j -> EXCHANGE.run(j, keys, at, e, u, truth ? "t" : "b"));
    return bits((byte[]) present(r), 0, width);
  }

  /** Atomically adds {@code delta} to integer cell {@code i}, wrapping at its width; returns the previous value. */
  @Override
  public final long getAndAddBits(int i, long delta) {
    at(i);
    String type = "i" + (8 * width);
    return bits((byte[]) present(server.call(j -> ADD.run(j, keys, type, i, delta))), 0, width);
  }

  /**
   * Atomically adds the floating-point value whose raw bits are {@code deltaBits} (a double's for 8-byte cells, a
   * float's for 4-byte ones, by the cells' own width: {@code typeWidth} is the same) to cell {@code i}, by the
   * script; returns the bits after ({@code newValue}) or before.
   */
  @Override
  public final long addFloatingBits(int i, int typeWidth, long deltaBits, boolean newValue) {
    int at = at(i);
    byte[] d = new byte[width];
    put(d, 0, width, deltaBits);
    List<Object> r = Script.asList(present(server.call(j -> ADD_FLOATING.run(j, keys, at, d))));
    return bits((byte[]) r.get(newValue ? 1 : 0), 0, width);
  }

  /**
   * Atomically replaces cell {@code i}'s bits with {@code f} of them, by a compare-and-exchange loop (a lost race
   * costs one round trip: the exchange returns what it found); returns the new bits ({@code newValue}) or the
   * previous ones, sign-extended from the cell's width.
   */
  @Override
  public final long updateBits(int i, LongUnaryOperator f, boolean newValue) {
    long prev = loadBits(i);
    for (;;) {
      long next = narrow(f.applyAsLong(prev));
      long seen = exchange(i, prev, next, false);
      if (seen == prev) {
        return newValue ? next : prev;
      }
      prev = seen;
    }
  }

  /** {@code bits} cut to the cell's width and sign-extended back, as {@link #loadBits} returns them. */
  final long narrow(long bits) {
    return CellArray.narrow(bits, width);
  }

  // ---- ranges

  /** One {@code GETRANGE} for the whole range, after the checks. */
  @Override
  public final void getBits(String type, int from, int count, int javaLength, int offset, BitsSink into) {
    checkRange(type, from, count, javaLength, offset);
    byte[] b = read(from, count);
    for (int k = 0; k < count; k++) {
      into.accept(k, bits(b, k * width, width));
    }
  }

  /** One script for the whole range, after the checks. */
  @Override
  public final void setBits(String type, int from, int count, int javaLength, int offset, IntToLongFunction bits) {
    checkRange(type, from, count, javaLength, offset);
    byte[] b = new byte[count * width];
    for (int k = 0; k < count; k++) {
      put(b, k * width, width, bits.applyAsLong(k));
    }
    write(from, b);
  }

  /**
   * The bounds check of a bulk {@code get} or {@code set} ({@link CellArray#checkRange}) on an open handle.
   *
   * @param type the interface's name, for the message ({@code "SharedIntArray"})
   */
  final void checkRange(String type, int from, int count, int javaLength, int offset) {
    checkOpen();
    CellArray.checkRange(type, name, length, from, count, javaLength, offset);
  }

  /** The bytes of {@code count} cells from cell {@code from} (a range already checked): one {@code GETRANGE}. */
  final byte[] read(int from, int count) {
    checkOpen();
    if (count == 0) {
      return new byte[0];
    }
    long start = (long) from * width;
    long end = start + (long) count * width - 1;
    byte[] b = server.callIdempotent(j -> j.getrange(rawKey, start, end));
    if (b.length < count * width) {
      throw gone();
    }
    return b;
  }

  /** Stores {@code bytes}, whole cells, from cell {@code from} on (a range already checked): one script. */
  final void write(int from, byte[] bytes) {
    checkOpen();
    if (bytes.length == 0) {
      return;
    }
    long at = (long) from * width;
    present(server.callIdempotent(j -> STORE.run(j, keys, at, bytes)));
  }

  /** The big-endian {@code width} bytes at {@code at}, sign-extended. */
  static long bits(byte[] b, int at, int width) {
    long v = b[at];
    for (int k = 1; k < width; k++) {
      v = (v << 8) | (b[at + k] & 0xff);
    }
    return v;
  }

  /** Puts the low {@code width} bytes of {@code bits} at {@code at}, big-endian. */
  static void put(byte[] b, int at, int width, long bits) {
    for (int k = width - 1; k >= 0; k--) {
      b[at + k] = (byte) bits;
      bits >>= 8;
    }
  }

  // ---- the rest of the handle

  /** The reply of a script that answers nil when the object is gone. */
  private Object present(Object reply) {
    if (reply == null) {
      throw gone();
    }
    return reply;
  }

  private IpcException gone() {
    return new IpcException("the " + kind.id + " \"" + name + "\" in " + ns.location() + " does not exist any"
        + " more (was it removed, or its namespace deleted?)");
  }

  @Override
  public final int length() {
    return length;
  }

  @Override
  public final IpcLock getLock() {
    checkOpen();
    return ns.valueLock(name);
  }

  /** {@code type["name"=value]} for a single value, as the shared-memory backend shows it. */
  final String show(String type, Supplier<Object> value) {
    if (isClosed()) {
      return super.toString();
    }
    try {
      return type + "[\"" + name + "\"=" + value.get() + "]";
    } catch (RuntimeException e) {
      return super.toString();
    }
  }
}
