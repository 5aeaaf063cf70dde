package dev.ipckit.shm.buffer;

import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import java.nio.ByteBuffer;

/**
 * Layout of shared memory block files ({@link Kind#BUFFER}): the header, then the user's bytes. Header arg0 is the
 * size in bytes, arg1 is 0. The body is the size rounded up to whole cache lines; the bytes past the size are never
 * shown to the user.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                  Header (128 bytes, FileHeader)                |  0
 *  +---------------------------------------------------------------+
 *  |  User bytes: offset 0 of the buffer       (arg0 = size)       |  128
 *  +---------------------------------------------------------------+
 *  |  Zero padding to a multiple of 64 bytes                       |  128 + size
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class BufferDescriptor {
  static final int BYTES_OFFSET = FileHeader.LENGTH;

  /** What the words of a buffer file say (header included), read-only: the size and the first user word. */
  public static Fields decode(ByteBuffer buf) {
    return Fields.header(buf)
        .longAt("bytes0", BYTES_OFFSET, "the first 8 user bytes, as a native long (zero padded past the size)");
  }

  /** Body length for {@code size} user bytes: whole cache lines. */
  static long bodyLength(int size) {
    return ((long) size + FileHeader.CACHE_LINE - 1) & -FileHeader.CACHE_LINE;
  }

  private BufferDescriptor() {
  }
}
