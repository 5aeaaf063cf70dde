package dev.ipckit.shm.value;

import dev.ipckit.IpcLock;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * What the typed arrays share: the mapped elements, the length from the header, the bounds-checked offset of an
 * element ({@link ValueDescriptor}), the serialized length and the array's lock. Each subclass adds only the
 * typed accessors of its element type.
 */
abstract class ShmArray extends ShmHandle {
  private static final long serialVersionUID = 1L;
  protected final transient ByteBuffer buf;
  protected final transient int length;
  private final transient boolean ints;

  ShmArray(NamespaceView ns, String name, Kind kind, MappedFile file) {
    super(ns, name, kind);
    this.buf = file.buffer;
    this.length = (int) file.arg0;
    this.ints = kind == Kind.INT_ARRAY;
  }

  /** The offset of element {@code i}: IndexOutOfBoundsException outside [0, length), IllegalStateException once closed. */
  final int at(int i) {
    checkOpen();
    int checked = Objects.checkIndex(i, length);
    return ints ? ValueDescriptor.intIndex(checked) : ValueDescriptor.longIndex(checked);
  }

  @Override
  protected final long refArg() {
    return length;
  }

  public final int length() {
    return length;
  }

  public final IpcLock getLock() {
    checkOpen();
    return ns.valueLock(name);
  }
}
