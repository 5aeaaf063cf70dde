package dev.ipckit.shm.buffer;

import dev.ipckit.IpcException;
import dev.ipckit.SharedBuffer;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@link SharedBuffer} on a mapped file laid out by {@link BufferDescriptor}.
 *
 * <p>Access modes: an {@code int}, {@code long} or {@code double} at an offset that is a multiple of its size is
 * one VarHandle access, getAcquire or setRelease ({@link Mem}); a byte, and a wider value at any other offset, is a
 * plain access with an acquire fence after a get and a release fence before a put, as are the bulk copies. So every
 * get is an acquire and every put a release, and only aligned values are single accesses.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads and processes; the bytes themselves are unguarded.
 *
 * <p><b>Peer death.</b> Nothing is held; a dead writer leaves what it stored.
 */
public final class ShmBuffer extends ShmHandle implements SharedBuffer {
  private static final long serialVersionUID = 1L;
  private static final int OFFSET = BufferDescriptor.BYTES_OFFSET;

  private final transient ByteBuffer buf;
  private final transient int size;
  /** The user bytes alone, index 0 at offset 0: what {@link #asByteBuffer()} duplicates. */
  private final transient ByteBuffer bytes;

  private ShmBuffer(NamespaceView ns, String name, MappedFile file) {
    super(ns, name, Kind.BUFFER, (int) file.arg0(), false, null);     // the reference carries the size
    this.buf = file.buffer();
    this.size = (int) file.arg0();
    this.bytes = buf.slice(OFFSET, size).order(ByteOrder.nativeOrder());
  }

  /** The buffer {@code name} of {@code size} bytes, created with zeros or opened. */
  public static ShmBuffer open(NamespaceView ns, String name, int size) {
    return new ShmBuffer(ns, name, ns.file(name, spec(size)));
  }

  /**
   * The existing buffer {@code name}, of the size its header says: {@code header} holds the file's header fields,
   * read by the caller ({@link Fields#header}), or is null when there is no such file. Never creates.
   */
  public static ShmBuffer openExisting(NamespaceView ns, String name, Fields header) {
    if (header == null) {
      throw new IpcException("there is no SharedBuffer \"" + name + "\" in " + ns.dir() + ": create it with"
          + " buffer(name, size)");
    }
    Long code = header.get("kind");
    Long size = header.get("arg0");
    Kind found = code == null ? null : Kind.of((int) (long) code);
    if (found == Kind.BUFFER && size != null && size >= 1 && size <= Integer.MAX_VALUE) {
      return open(ns, name, (int) (long) size);
    }
    if (found != null && found != Kind.BUFFER) {
      MappedFile.checkFits(ns.dir().resolve(name), found, 0, 0, spec(1));   // throws: another kind
    }
    if (found == Kind.BUFFER) {
      throw new IpcException(ns.dir().resolve(name) + " is damaged: its header gives a size of " + size + " bytes");
    }
    Long magic = header.get("magic");
    throw new IpcException(ns.dir().resolve(name) + " is not an ipckit SharedBuffer: magic "
        + (magic == null ? "missing" : "0x" + Long.toHexString(magic)) + ", kind " + code + " (a foreign or damaged"
        + " file?)");
  }

  private static MappedFile.Spec spec(int size) {
    return MappedFile.spec(Kind.BUFFER, size, 0, BufferDescriptor.bodyLength(size), null,
        (a0, a1) -> a0 == size && a1 == 0 ? null : "a size of " + a0 + " bytes, not " + size);
  }

  /** The file offset of the {@code width} bytes at user {@code offset}, checked: IndexOutOfBoundsException else. */
  private int at(int offset, int width) {
    checkOpen();
    if (offset < 0 || offset > size - width) {
      throw new IndexOutOfBoundsException("SharedBuffer \"" + name + "\": offset " + offset + " and " + width
          + (width == 1 ? " byte" : " bytes") + " out of bounds for size " + size);
    }
    return OFFSET + offset;
  }

  @Override public int size() {
    return size;
  }

  @Override public byte getByte(int offset) {
    byte v = buf.get(at(offset, 1));
    VarHandle.acquireFence();
    return v;
  }

  @Override public void putByte(int offset, byte v) {
    int at = at(offset, 1);
    VarHandle.releaseFence();
    buf.put(at, v);
  }

  @Override public int getInt(int offset) {
    int at = at(offset, 4);
    if ((at & 3) == 0) {
      return (int) Mem.INT.getAcquire(buf, at);
    }
    int v = buf.getInt(at);
    VarHandle.acquireFence();
    return v;
  }

  @Override public void putInt(int offset, int v) {
    int at = at(offset, 4);
    if ((at & 3) == 0) {
      Mem.INT.setRelease(buf, at, v);
    } else {
      VarHandle.releaseFence();
      buf.putInt(at, v);
    }
  }

  @Override public long getLong(int offset) {
    int at = at(offset, 8);
    if ((at & 7) == 0) {
      return (long) Mem.LONG.getAcquire(buf, at);
    }
    long v = buf.getLong(at);
    VarHandle.acquireFence();
    return v;
  }

  @Override public void putLong(int offset, long v) {
    int at = at(offset, 8);
    if ((at & 7) == 0) {
      Mem.LONG.setRelease(buf, at, v);
    } else {
      VarHandle.releaseFence();
      buf.putLong(at, v);
    }
  }

  @Override public double getDouble(int offset) {
    return Double.longBitsToDouble(getLong(offset));
  }

  @Override public void putDouble(int offset, double v) {
    putLong(offset, Double.doubleToRawLongBits(v));
  }

  @Override public void get(int offset, byte[] into) {
    int at = at(offset, into.length);
    buf.get(at, into);
    VarHandle.acquireFence();
  }

  @Override public void put(int offset, byte[] src) {
    int at = at(offset, src.length);
    VarHandle.releaseFence();
    buf.put(at, src);
  }

  @Override public ByteBuffer asByteBuffer() {
    checkOpen();
    return bytes.duplicate().order(ByteOrder.nativeOrder());
  }

  @Override
  public String toString() {
    return isClosed() ? super.toString() : "SharedBuffer[\"" + name + "\", " + size + " bytes]";
  }
}
