package dev.ipckit.shm.value;

import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import java.nio.ByteBuffer;

/**
 * Layout of value and array files: the header, then the elements from {@link #ELEMENTS_OFFSET}, each
 * naturally aligned: 8 bytes for long and double, 4 for int and float, 1 for byte and boolean (a boolean is 0 or
 * 1). Header arg0 is the length, arg1 the element size in bytes. The body is the elements rounded up to whole
 * cache lines (at least one), so the aligned int word that holds any byte element lies inside the file. A single
 * value is an array of length one on its own cache line. Doubles and floats are stored as their raw IEEE-754
 * bits.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                  Header (128 bytes, FileHeader)                |  0
 *  +---------------------------------------------------------------+
 *  |  Element 0  |  Element 1  |  ...             (arg0 = length)   |  128
 *  +---------------------------------------------------------------+
 *  |  Zero padding to a multiple of 64 bytes                       |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class ValueDescriptor {
  public static final int ELEMENTS_OFFSET = FileHeader.LENGTH;
  /** Body of a single value: one cache line so that neighbours never share it. */
  public static final int SCALAR_BODY = FileHeader.CACHE_LINE;
  /** Elements an array decoder shows: the first ones only, so that a large array decodes briefly. */
  static final int DECODED_ELEMENTS = 16;

  /** What the words of a scalar value file say (header included): its element as a raw long or int; read-only. */
  public static Fields decode(ByteBuffer buf, boolean intElement) {
    Fields f = Fields.header(buf);
    return intElement ? f.intAt("value", ELEMENTS_OFFSET, "the int") : f.longAt("value", ELEMENTS_OFFSET,
        "the long (a double's raw bits)");
  }

  /**
   * What the words of an array file of any element type say (header included), read-only: the first {@value
   * #DECODED_ELEMENTS} elements as raw bits, at the element size the header's arg1 gives (nothing past the header
   * when that is not 1, 4 or 8).
   */
  public static Fields decodeArray(ByteBuffer buf) {
    Fields f = Fields.header(buf);
    Long length = f.get("arg0");
    Long size = f.get("arg1");
    if (length == null || size == null || (size != 1 && size != 4 && size != 8)) {
      return f;
    }
    int width = (int) (long) size;
    for (int i = 0; i < Math.min(length, DECODED_ELEMENTS); i++) {
      String name = "element" + i;
      int at = elementOffset(i, width);
      if (width == 8) {
        f.longAt(name, at, "raw bits of a long or a double");
      } else if (width == 4) {
        f.intAt(name, at, "raw bits of an int or a float");
      } else {
        f.byteAt(name, at, "a byte, or a boolean (0 or 1)");
      }
    }
    return f;
  }

  private ValueDescriptor() {
  }

  /** Bytes per element of an array kind (its header's arg1). */
  static int elementSize(Kind kind) {
    switch (kind) {
      case LONG_ARRAY: case DOUBLE_ARRAY: return 8;
      case INT_ARRAY: case FLOAT_ARRAY: return 4;
      case BYTE_ARRAY: case BOOLEAN_ARRAY: return 1;
      default: throw new IllegalArgumentException("not an array kind: " + kind);
    }
  }

  /** The offset of element {@code i} (already bounds-checked) of {@code width} bytes. */
  static int elementOffset(int i, int width) {
    return ELEMENTS_OFFSET + i * width;
  }

  /** Body length of an array of {@code length} elements of {@code width} bytes: whole cache lines, at least one. */
  static long arrayBody(int length, int width) {
    long bytes = (long) length * width;
    return Math.max(FileHeader.CACHE_LINE, (bytes + FileHeader.CACHE_LINE - 1) & -FileHeader.CACHE_LINE);
  }
}
