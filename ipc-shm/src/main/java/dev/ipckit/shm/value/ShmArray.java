package dev.ipckit.shm.value;

import dev.ipckit.IpcLock;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.spi.CellArray;
import dev.ipckit.spi.CellArrayHandle;
import dev.ipckit.spi.CellType;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.IntToLongFunction;
import java.util.function.LongUnaryOperator;

/**
 * The cells of every typed array on a mapped file: elements of 1, 4 or 8 bytes ({@link ValueDescriptor}), each
 * read, written and updated atomically as raw bits in a {@code long}, the {@link CellArray} primitives. {@link
 * #open} gives the typed array over them ({@link CellType#view}), whose methods are the defaults of {@code
 * dev.ipckit.spi}'s typed interfaces ({@link dev.ipckit.spi.IntCellArray}, ...): they convert the element type to
 * and from the bits (a sign-extended int, a double's raw bits, a boolean's 0 or 1).
 *
 * <p>Access modes: {@link #loadBits} is getAcquire, {@link #storeBits} setRelease, the updates volatile getAndAdd,
 * getAndSet and compareAndSet. A byte element has no VarHandle of its own: it is read through its aligned int word
 * and every store is a compareAndSet of that word ({@link Mem#compareAndExchangeByte}), so neighbours updated at
 * the same time never overwrite each other. A boolean's {@code compareAndSet} compares truth ({@link
 * CellArray#casTruth}): any byte but 0 reads as {@code true}.
 */
public final class ShmArray extends ShmHandle implements CellArrayHandle {
  private static final long serialVersionUID = 1L;
  private final transient ByteBuffer buf;
  private final transient int length;
  /** Bytes per element: 1, 4 or 8. */
  private final transient int width;

  private ShmArray(NamespaceView ns, String name, Kind kind, MappedFile file) {
    super(ns, name, kind, (int) file.arg0(), false, null);    // the reference carries the length
    this.buf = file.buffer();
    this.length = (int) file.arg0();
    this.width = ValueDescriptor.elementSize(kind);
  }

  /**
   * The array {@code name} of {@code type}: created with {@code length} elements, each set to the bits {@code
   * initial} gives (zeros when null), or opened (and then left as it is).
   */
  public static <A> A open(NamespaceView ns, String name, CellType<A> type, int length, IntToLongFunction initial) {
    Kind kind = Kind.of(type);
    return type.view(new ShmArray(ns, name, kind, ns.file(name, spec(kind, length, initial))));
  }

  /**
   * What an array of {@code kind} and {@code length} elements must be; a new one gets the raw bits {@code
   * initial} gives for each index (zeros when null), written before the file is published.
   */
  private static MappedFile.Spec spec(Kind kind, int length, IntToLongFunction initial) {
    int width = ValueDescriptor.elementSize(kind);
    return MappedFile.spec(kind, length, width, ValueDescriptor.arrayBody(length, width),
        initial == null ? null : b -> {
          for (int i = 0; i < length; i++) {
            put(b, ValueDescriptor.elementOffset(i, width), width, initial.applyAsLong(i));
          }
        },
        (a0, a1) -> a0 == length && a1 == width ? null : "length " + a0 + ", not " + length);
  }

  /** Plain store of the low {@code width} bytes of {@code bits}: only into a file not yet published. */
  private static void put(ByteBuffer b, int at, int width, long bits) {
    switch (width) {
      case 8: b.putLong(at, bits); break;
      case 4: b.putInt(at, (int) bits); break;
      default: b.put(at, (byte) bits); break;
    }
  }

  /** Element {@code i}'s offset: IndexOutOfBoundsException outside [0, length), IllegalStateException if closed. */
  private int at(int i) {
    checkOpen();
    return ValueDescriptor.elementOffset(Objects.checkIndex(i, length), width);
  }

  /** Element {@code i}'s bits, sign-extended from its width: getAcquire. */
  @Override
  public long loadBits(int i) {
    return loadAt(at(i));
  }

  private long loadAt(int at) {
    switch (width) {
      case 8: return (long) Mem.LONG.getAcquire(buf, at);
      case 4: return (int) Mem.INT.getAcquire(buf, at);
      default: return Mem.getByteAcquire(buf, at);
    }
  }

  /** Stores element {@code i}'s bits: setRelease (a byte: a compareAndSet of its word, volatile). */
  @Override
  public void storeBits(int i, long bits) {
    int at = at(i);
    switch (width) {
      case 8: Mem.LONG.setRelease(buf, at, bits); break;
      case 4: Mem.INT.setRelease(buf, at, (int) bits); break;
      default: updateAt(at, x -> bits, false); break;
    }
  }

  /** Atomically sets element {@code i}'s bits if they are {@code expect} (compared at the element's width). */
  @Override
  public boolean casBits(int i, long expect, long update) {
    return casAt(at(i), expect, update);
  }

  private boolean casAt(int at, long expect, long update) {
    switch (width) {
      case 8: return Mem.LONG.compareAndSet(buf, at, expect, update);
      case 4: return Mem.INT.compareAndSet(buf, at, (int) expect, (int) update);
      default: return Mem.compareAndExchangeByte(buf, at, (byte) expect, (byte) update) == (byte) expect;
    }
  }

  /** Atomically sets element {@code i}'s bits; returns the previous ones. */
  @Override
  public long swapBits(int i, long bits) {
    int at = at(i);
    switch (width) {
      case 8: return (long) Mem.LONG.getAndSet(buf, at, bits);
      case 4: return (int) Mem.INT.getAndSet(buf, at, (int) bits);
      default: return updateAt(at, x -> bits, false);
    }
  }

  /** Atomically adds {@code delta} to element {@code i}, wrapping at its width; returns the previous value. */
  @Override
  public long getAndAddBits(int i, long delta) {
    int at = at(i);
    switch (width) {
      case 8: return (long) Mem.LONG.getAndAdd(buf, at, delta);
      case 4: return (int) Mem.INT.getAndAdd(buf, at, (int) delta);
      default: return updateAt(at, x -> x + delta, false);
    }
  }

  /**
   * Atomically replaces element {@code i}'s bits with {@code f} of them, by a compareAndSet loop; returns the new
   * bits ({@code newValue}) or the previous ones, sign-extended from the element's width.
   */
  @Override
  public long updateBits(int i, LongUnaryOperator f, boolean newValue) {
    return updateAt(at(i), f, newValue);
  }

  private long updateAt(int at, LongUnaryOperator f, boolean newValue) {
    for (;;) {
      long prev = loadAt(at);
      long next = f.applyAsLong(prev);
      if (casAt(at, prev, next)) {
        return newValue ? narrow(next) : prev;
      }
    }
  }

  /** {@code bits} cut to the element's width and sign-extended back, as {@link #loadBits} returns them. */
  private long narrow(long bits) {
    return CellArray.narrow(bits, width);
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public IpcLock getLock() {
    checkOpen();
    return ns.valueLock(name);
  }
}
