package dev.ipckit.spi;

import java.util.function.IntToLongFunction;
import java.util.function.LongUnaryOperator;

/**
 * An array of fixed-width cells (1, 4 or 8 bytes) that a backend reads and updates atomically as raw bits, each
 * returned in a {@code long} sign-extended from the cell's width: the few primitives over which the typed array
 * interfaces ({@link IntCellArray}, {@link LongCellArray}, {@link DoubleCellArray}, {@link FloatCellArray},
 * {@link ByteCellArray}, {@link BooleanCellArray}) implement every typed method once, for every backend. A backend
 * writes the primitives of its storage once, in one class that serves every element type, and {@link
 * CellType#view} gives the typed array over it.
 *
 * <p>Every primitive checks that the handle is open and the index in range (an {@link IllegalStateException}, an
 * {@link IndexOutOfBoundsException}); the ordering of each is the backend's and is stated on the typed interfaces.
 */
public interface CellArray {
  /**
   * Returns the number of cells.
   *
   * @return the length, fixed when the array was created
   */
  int length();

  /**
   * Returns the array's name, for messages.
   *
   * @return the name in its namespace
   */
  String name();

  /**
   * Returns the length, after checking that the handle is open: what a copy of the whole array is sized by.
   *
   * @return {@link #length()}
   * @throws IllegalStateException if the handle is closed
   */
  int openLength();

  /**
   * Reads cell {@code i}.
   *
   * @param i the index
   * @return its bits, sign-extended from the cell's width
   */
  long loadBits(int i);

  /**
   * Stores the low bits of {@code bits} into cell {@code i}.
   *
   * @param i the index
   * @param bits the new bits
   */
  void storeBits(int i, long bits);

  /**
   * Atomically stores {@code bits} into cell {@code i}.
   *
   * @param i the index
   * @param bits the new bits
   * @return the previous bits, sign-extended
   */
  long swapBits(int i, long bits);

  /**
   * Atomically sets cell {@code i} to {@code update} if it holds {@code expect}, both compared at the cell's width.
   *
   * @param i the index
   * @param expect the expected bits
   * @param update the new bits
   * @return whether the cell held {@code expect} and now holds {@code update}
   */
  boolean casBits(int i, long expect, long update);

  /**
   * Atomically adds {@code delta} to integer cell {@code i}, wrapping at its width.
   *
   * @param i the index
   * @param delta what to add
   * @return the previous value, sign-extended
   */
  long getAndAddBits(int i, long delta);

  /**
   * Atomically replaces cell {@code i}'s bits with {@code f} of them, by a compare-and-set loop ({@code f} may run
   * more than once).
   *
   * @param i the index
   * @param f the new bits from the current ones
   * @param newValue whether to return the new bits rather than the previous ones
   * @return the new or the previous bits, sign-extended
   */
  long updateBits(int i, LongUnaryOperator f, boolean newValue);

  /**
   * Atomically adds {@code delta} to floating-point cell {@code i}: a {@code float} in a 4-byte cell, a {@code
   * double} in an 8-byte one, both as raw IEEE-754 bits. By default a compare-and-set loop ({@link #updateBits});
   * a backend that can add on its side overrides it.
   *
   * @param i the index
   * @param width the cell's width: 4 or 8
   * @param deltaBits the raw bits of the value to add, of the cell's type
   * @param newValue whether to return the sum's bits (else the previous ones)
   * @return the sum's bits or the previous ones
   */
  default long addFloatingBits(int i, int width, long deltaBits, boolean newValue) {
    return width == 8
        ? updateBits(i, x -> Double.doubleToRawLongBits(Double.longBitsToDouble(x)
            + Double.longBitsToDouble(deltaBits)), newValue)
        : updateBits(i, x -> Float.floatToRawIntBits(Float.intBitsToFloat((int) x)
            + Float.intBitsToFloat((int) deltaBits)), newValue);
  }

  /**
   * Atomically sets boolean cell {@code i} to {@code update} if its truth is {@code expect}: any byte but 0 is
   * true, so a damaged byte (2, say) is still replaced by {@code casTruth(i, true, false)}. By default a loop of
   * {@link #loadBits} and {@link #casBits}.
   *
   * @param i the index
   * @param expect the expected truth
   * @param update the new value
   * @return whether the cell was {@code expect} and is now {@code update}
   */
  default boolean casTruth(int i, boolean expect, boolean update) {
    for (;;) {
      long cur = loadBits(i);
      if ((cur != 0L) != expect) {
        return false;
      }
      if (casBits(i, cur, update ? 1L : 0L)) {
        return true;
      }
    }
  }

  /**
   * Checks both ranges of a bulk get ({@link #checkRange}), then hands the bits of each of the {@code count} cells
   * from {@code from} on to {@code into}, with its place {@code k} in the range. By default one {@link #loadBits}
   * per cell; a backend may read the range at once.
   *
   * @param type the typed interface's name, for the message ({@code "SharedIntArray"})
   * @param from the first cell
   * @param count how many cells
   * @param javaLength the length of the Java array that receives them
   * @param offset where in the Java array the first one goes
   * @param into what receives each cell's bits
   */
  default void getBits(String type, int from, int count, int javaLength, int offset, BitsSink into) {
    checkRange(type, name(), length(), from, count, javaLength, offset);
    for (int k = 0; k < count; k++) {
      into.accept(k, loadBits(from + k));
    }
  }

  /**
   * Checks both ranges of a bulk set ({@link #checkRange}), then stores into each of the {@code count} cells from
   * {@code from} on, in ascending order, the bits {@code bits} gives for its place {@code k} in the range. By default
   * one {@link #storeBits} per cell; a backend may write the range at once.
   *
   * @param type the typed interface's name, for the message ({@code "SharedIntArray"})
   * @param from the first cell
   * @param count how many cells
   * @param javaLength the length of the Java array the values come from
   * @param offset where in the Java array the first one is
   * @param bits the bits of the value at place {@code k}
   */
  default void setBits(String type, int from, int count, int javaLength, int offset, IntToLongFunction bits) {
    checkRange(type, name(), length(), from, count, javaLength, offset);
    for (int k = 0; k < count; k++) {
      storeBits(from + k, bits.applyAsLong(k));
    }
  }

  /**
   * The bounds check of every bulk {@code get} and {@code set}, before any element is touched: {@code count}
   * elements from index {@code from} must lie in a shared array of {@code length} elements, and from {@code
   * offset} in a Java array of {@code javaLength}.
   *
   * @param type the shared array's interface name, for the message ({@code "SharedIntArray"})
   * @param name the shared array's name, for the message
   * @param length the shared array's length
   * @param from the first index in the shared array
   * @param count how many elements
   * @param javaLength the Java array's length
   * @param offset the first index in the Java array
   * @throws IndexOutOfBoundsException naming the array, the index, the count and the length, if a range does not fit
   */
  static void checkRange(String type, String name, int length, int from, int count, int javaLength, int offset) {
    if (count < 0 || from < 0 || from > length - count) {
      throw new IndexOutOfBoundsException(type + " \"" + name + "\": " + count + " elements from index " + from
          + " out of bounds for length " + length);
    }
    if (offset < 0 || offset > javaLength - count) {
      throw new IndexOutOfBoundsException(type + " \"" + name + "\": " + count + " elements from offset " + offset
          + " out of bounds for a Java array of length " + javaLength);
    }
  }

  /**
   * {@code bits} cut to a cell's width and sign-extended back: what {@link #loadBits} returns for a cell that holds
   * the low bits of {@code bits}.
   *
   * @param bits the bits
   * @param width the cell's width in bytes: 1, 4 or 8
   * @return the low {@code width} bytes of {@code bits}, sign-extended
   */
  static long narrow(long bits, int width) {
    switch (width) {
      case 8: return bits;
      case 4: return (int) bits;
      default: return (byte) bits;
    }
  }

  /** What receives the cells of a bulk get, one at a time. */
  @FunctionalInterface
  interface BitsSink {
    /**
     * Receives one cell.
     *
     * @param k the cell's place in the range (0 for the first)
     * @param bits its bits, sign-extended
     */
    void accept(int k, long bits);
  }
}
