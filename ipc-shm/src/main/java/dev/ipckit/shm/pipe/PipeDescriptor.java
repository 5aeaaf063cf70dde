package dev.ipckit.shm.pipe;

import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import java.nio.ByteBuffer;

/**
 * Layout of pipe files ({@link Kind#PIPE}): the header, one state line per end, then one single-producer
 * single-consumer ring per direction (one ring, into the left end, for a half-duplex pipe).
 *
 * <p>Header words: arg0 = ring capacity in bytes (a power of two), arg1 = 1 for a duplex pipe, 0 otherwise.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Header (128 bytes, FileHeader)               |  0
 *  +---------------------------------------------------------------+
 *  |  Left end: owner token (8 bytes), 0 when unclaimed            |  128
 *  |  Left end: closed flag (8 bytes), 1 once its owner closed it  |  136
 *  |  Left end: takeovers (8 bytes), claims taken from the dead    |  144
 *  |  Reserved up to 192                                           |  152
 *  +---------------------------------------------------------------+
 *  |  Right end: the same, on its own cache line                   |  192
 *  +---------------------------------------------------------------+
 *  |  Ring 0 (into the left end, written by the right end)         |  256
 *  |    tail (8 bytes): bytes ever written; producer's line        |  +0
 *  |    padding to +128                                            |
 *  |    head (8 bytes): bytes ever read; consumer's line           |  +128
 *  |    padding to +256                                            |
 *  |    data: capacity bytes of records                            |  +256
 *  +---------------------------------------------------------------+
 *  |  Ring 1 (into the right end, written by the left end):        |
 *  |  duplex pipes only, same layout                               |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Tail and head are two cache lines apart so that the producer's and the consumer's lines never share an
 * adjacent-line prefetch pair.
 *
 * <p>The data area holds records laid out by {@link RecordDescriptor}, written and read by {@link RecordRing};
 * the protocol over these words is stated in the package summary.
 */
public final class PipeDescriptor {
  static final int LEFT = 0;
  static final int RIGHT = 1;

  static final int END_BASE = FileHeader.LENGTH;
  static final int END_LENGTH = FileHeader.CACHE_LINE;
  static final int OWNER_OFFSET = 0;
  static final int CLOSED_OFFSET = 8;
  static final int TAKEOVERS_OFFSET = 16;

  static final int RINGS_BASE = END_BASE + 2 * END_LENGTH;
  static final int TAIL_OFFSET = 0;
  static final int HEAD_OFFSET = 2 * FileHeader.CACHE_LINE;
  static final int DATA_OFFSET = 4 * FileHeader.CACHE_LINE;
  static final int RING_CONTROL_LENGTH = DATA_OFFSET;

  /** Ring data capacity per direction in bytes. */
  static final int RING_CAPACITY = 1 << 20;

  /**
   * What the words of a pipe file say (header included), read-only: each end's owner, closed flag and takeovers,
   * and each ring's tail and head with the header of its next record.
   */
  public static Fields decode(ByteBuffer buf) {
    Fields f = Fields.header(buf);
    Long capacity = f.get("arg0");
    Long duplex = f.get("arg1");
    for (int end = LEFT; end <= RIGHT; end++) {
      String e = endName(end);
      int at = endOffset(end);
      f.longAt(e + ".owner", at + OWNER_OFFSET, "0 unclaimed, else the owning process's liveness token")
          .longAt(e + ".closed", at + CLOSED_OFFSET, "1 once its owner closed it")
          .longAt(e + ".takeovers", at + TAKEOVERS_OFFSET, "times taken over from a dead owner");
    }
    if (capacity != null && capacity > 0 && capacity <= RING_CAPACITY && Long.bitCount(capacity) == 1) {
      int rings = duplex != null && duplex == 1 ? 2 : 1;
      for (int end = LEFT; end < LEFT + rings; end++) {
        String r = "into" + (end == LEFT ? "Left" : "Right");
        int at = ringOffset(end, (int) (long) capacity);
        f.longAt(r + ".tail", at + TAIL_OFFSET, "bytes ever published into the ring")
            .longAt(r + ".head", at + HEAD_OFFSET, "bytes ever freed");
        Long head = f.get(r + ".head");
        if (head != null) {
          f.longAt(r + ".next", at + DATA_OFFSET + (int) (head & (capacity - 1)) + RecordDescriptor.HEADER_OFFSET,
              "header of the next record: length (low 32 bits) and info (high 32 bits)");
        }
      }
    }
    return f;
  }

  private PipeDescriptor() {
  }

  /** Offset of end {@code end}'s state line. */
  static int endOffset(int end) {
    return END_BASE + end * END_LENGTH;
  }

  /** Offset of the control block of the ring into end {@code end}. */
  static int ringOffset(int end, int capacity) {
    return RINGS_BASE + end * (RING_CONTROL_LENGTH + capacity);
  }

  /** Body length (everything after the header) of a pipe with these parameters. */
  static long bodyLength(boolean duplex, int capacity) {
    return (RINGS_BASE - FileHeader.LENGTH) + (long) (duplex ? 2 : 1) * (RING_CONTROL_LENGTH + capacity);
  }

  static String endName(int end) {
    return end == LEFT ? "left" : "right";
  }
}
