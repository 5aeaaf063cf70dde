package dev.ipckit.spi;

import dev.ipckit.IpcLock;
import dev.ipckit.SharedBooleanArray;
import dev.ipckit.SharedByteArray;
import dev.ipckit.SharedDoubleArray;
import dev.ipckit.SharedFloatArray;
import dev.ipckit.SharedIntArray;
import dev.ipckit.SharedLongArray;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntToLongFunction;
import java.util.function.LongUnaryOperator;

/**
 * The element type of a shared array: its name, its cells' width, and the typed array ({@link SharedIntArray}, ...)
 * over a backend's cells. A backend implements the cells once, as a {@link CellArrayHandle} of every width, and
 * {@link Namespace#array} once; {@link #view} wraps the cells in the typed array, whose every method is a default of
 * {@link IntCellArray} and the others. The view holds nothing but the cells: it serializes as the cells do (their
 * {@link HandleRef}), and closing either closes both.
 *
 * @param <A> the array's public interface
 */
public final class CellType<A> {
  public static final CellType<SharedIntArray> INT = new CellType<>("int", 4, Ints::new);
  public static final CellType<SharedLongArray> LONG = new CellType<>("long", 8, Longs::new);
  public static final CellType<SharedDoubleArray> DOUBLE = new CellType<>("double", 8, Doubles::new);
  public static final CellType<SharedByteArray> BYTE = new CellType<>("byte", 1, Bytes::new);
  public static final CellType<SharedFloatArray> FLOAT = new CellType<>("float", 4, Floats::new);
  public static final CellType<SharedBooleanArray> BOOLEAN = new CellType<>("boolean", 1, Booleans::new);

  private static final List<CellType<?>> VALUES = List.of(INT, LONG, DOUBLE, BYTE, FLOAT, BOOLEAN);

  private final String element;
  private final int width;
  private final Function<CellArrayHandle, A> view;

  private CellType(String element, int width, Function<CellArrayHandle, A> view) {
    this.element = element;
    this.width = width;
    this.view = view;
  }

  /**
   * Returns every element type.
   *
   * @return {@link #INT}, {@link #LONG}, {@link #DOUBLE}, {@link #BYTE}, {@link #FLOAT}, {@link #BOOLEAN}
   */
  public static List<CellType<?>> values() {
    return VALUES;
  }

  /**
   * Returns the Java element type.
   *
   * @return {@code "int"}, {@code "long"}, ...
   */
  public String element() {
    return element;
  }

  /**
   * Returns the width of a cell holding one element, in bytes.
   *
   * @return 1, 4 or 8
   */
  public int width() {
    return width;
  }

  /**
   * Returns the name of the array's public interface, as messages and file descriptions call it.
   *
   * @return {@code "SharedIntArray"}, {@code "SharedLongArray"}, ...
   */
  public String typeName() {
    return "Shared" + Character.toUpperCase(element.charAt(0)) + element.substring(1) + "Array";
  }

  /**
   * Returns the name of the {@link dev.ipckit.Ipc} factory of this type's arrays.
   *
   * @return {@code "intArray"}, {@code "longArray"}, ...
   */
  public String factory() {
    return element + "Array";
  }

  /**
   * Returns the typed array over {@code cells}.
   *
   * @param cells a backend's cells of {@link #width()} bytes
   * @return the array, for as long as {@code cells} is open
   */
  public A view(CellArrayHandle cells) {
    return view.apply(cells);
  }

  @Override
  public String toString() {
    return factory();
  }

  /** Every primitive, and the handle's methods, passed to the backend's cells. */
  private abstract static class View implements CellArrayHandle, Serializable {
    private static final long serialVersionUID = 1L;
    private final transient CellArrayHandle cells;

    View(CellArrayHandle cells) {
      this.cells = cells;
    }

    @Override
    public final int length() {
      return cells.length();
    }

    @Override
    public final String name() {
      return cells.name();
    }

    @Override
    public final int openLength() {
      return cells.openLength();
    }

    @Override
    public final long loadBits(int i) {
      return cells.loadBits(i);
    }

    @Override
    public final void storeBits(int i, long bits) {
      cells.storeBits(i, bits);
    }

    @Override
    public final long swapBits(int i, long bits) {
      return cells.swapBits(i, bits);
    }

    @Override
    public final boolean casBits(int i, long expect, long update) {
      return cells.casBits(i, expect, update);
    }

    @Override
    public final long getAndAddBits(int i, long delta) {
      return cells.getAndAddBits(i, delta);
    }

    @Override
    public final long updateBits(int i, LongUnaryOperator f, boolean newValue) {
      return cells.updateBits(i, f, newValue);
    }

    @Override
    public final long addFloatingBits(int i, int width, long deltaBits, boolean newValue) {
      return cells.addFloatingBits(i, width, deltaBits, newValue);
    }

    @Override
    public final boolean casTruth(int i, boolean expect, boolean update) {
      return cells.casTruth(i, expect, update);
    }

    @Override
    public final void getBits(String type, int from, int count, int javaLength, int offset, BitsSink into) {
      cells.getBits(type, from, count, javaLength, offset, into);
    }

    @Override
    public final void setBits(String type, int from, int count, int javaLength, int offset, IntToLongFunction bits) {
      cells.setBits(type, from, count, javaLength, offset, bits);
    }

    @Override
    public final void checkOpen() {
      cells.checkOpen();
    }

    @Override
    public final HandleRef handleRef() {
      return cells.handleRef();
    }

    @Override
    public final IpcLock getLock() {
      return cells.getLock();
    }

    @Override
    public final void close() {
      cells.close();
    }

    /** The cells' reference: a view is reopened as the cells are, and viewed again. */
    final Object writeReplace() throws ObjectStreamException {
      return cells.handleRef();
    }

    @Override
    public final String toString() {
      return cells.toString();
    }
  }

  // one final class per typed interface, each all defaults over the cells: a default called on a final class is
  // as fast as a method written in it
  static final class Ints extends View implements IntCellArray { Ints(CellArrayHandle c) { super(c); } }
  static final class Longs extends View implements LongCellArray { Longs(CellArrayHandle c) { super(c); } }
  static final class Doubles extends View implements DoubleCellArray { Doubles(CellArrayHandle c) { super(c); } }
  static final class Bytes extends View implements ByteCellArray { Bytes(CellArrayHandle c) { super(c); } }
  static final class Floats extends View implements FloatCellArray { Floats(CellArrayHandle c) { super(c); } }
  static final class Booleans extends View implements BooleanCellArray { Booleans(CellArrayHandle c) { super(c); } }
}
