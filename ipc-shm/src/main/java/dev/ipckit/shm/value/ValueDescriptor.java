package dev.ipckit.shm.value;

import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.FileHeader;
import java.nio.ByteBuffer;

/**
 * Layout of value and array files: the header, then the elements from {@link #ELEMENTS_OFFSET}, each
 * naturally aligned (8 bytes for long and double, 4 for int). A single value is an array of length one on its
 * own cache line. Doubles are stored as their raw IEEE-754 bits.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                  Header (128 bytes, FileHeader)                |  0
 *  +---------------------------------------------------------------+
 *  |  Element 0  |  Element 1  |  ...             (arg0 = length)   |  128
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class ValueDescriptor {
  public static final int ELEMENTS_OFFSET = FileHeader.LENGTH;
  /** Body of a single value: one cache line so that neighbours never share it. */
  public static final int SCALAR_BODY = FileHeader.CACHE_LINE;

  /** What the words of a scalar value file say (header included): its element as a raw long or int; read-only. */
  public static Fields decode(ByteBuffer buf, boolean intElement) {
    Fields f = Fields.header(buf);
    return intElement ? f.intAt("value", ELEMENTS_OFFSET, "the int") : f.longAt("value", ELEMENTS_OFFSET,
        "the long (a double's raw bits)");
  }

  private ValueDescriptor() {
  }

  static int longIndex(int i) {
    return ELEMENTS_OFFSET + (i << 3);
  }

  static int intIndex(int i) {
    return ELEMENTS_OFFSET + (i << 2);
  }
}
