package dev.ipckit.shm.pipe;

/**
 * Layout of one record of a pipe ring ({@link RecordRing}): a header word, then the payload. A record is
 * {@link #ALIGNMENT}-byte aligned and never wraps: a record that would cross the end of the ring's data area is
 * preceded by a padding record that fills the rest of it.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |  Record header, one 8-byte word (native order):               |  0
 *  |    low 32 bits: payload length L of this record               |
 *  |    high 32 bits: info: >= 0 the first record of a message of  |
 *  |    that many bytes; CONTINUATION a further chunk; PADDING     |
 *  +---------------------------------------------------------------+
 *  |  Payload: L bytes, then zero to seven bytes to align the next |  8
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>A message of at most {@link #maxChunk(int)} bytes is one record whose info equals its length; a larger one
 * is streamed as a first record (info = total length) and continuation records, the reader consuming while the
 * writer writes. A padding record's length is the rest of the data area after its header.
 */
final class RecordDescriptor {
  static final int HEADER_OFFSET = 0;
  static final int HEADER_LENGTH = 8;
  static final int PAYLOAD_OFFSET = HEADER_OFFSET + HEADER_LENGTH;
  static final int ALIGNMENT = 8;

  /** Info of a padding record: skip to the start of the data area. */
  static final int PADDING = -1;
  /** Info of a further chunk of a streamed message. */
  static final int CONTINUATION = -2;

  private RecordDescriptor() {
  }

  /** Largest payload of one record: a quarter of the ring, so a padded record always fits. */
  static int maxChunk(int capacity) {
    return capacity / 4 - HEADER_LENGTH;
  }

  /** {@code n} rounded up to a multiple of {@link #ALIGNMENT}. */
  static int align(int n) {
    return (n + ALIGNMENT - 1) & -ALIGNMENT;
  }

  /** Bytes a record of {@code length} payload bytes takes in the ring, header and alignment included. */
  static int size(int length) {
    return align(HEADER_LENGTH + length);
  }

  static long header(int length, int info) {
    return ((long) info << 32) | (length & 0xFFFF_FFFFL);
  }

  static int lengthOf(long header) {
    return (int) header;
  }

  static int infoOf(long header) {
    return (int) (header >> 32);
  }
}
