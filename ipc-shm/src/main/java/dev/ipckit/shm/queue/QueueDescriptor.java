package dev.ipckit.shm.queue;

import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.liveness.OwnerWord;
import dev.ipckit.shm.wait.Bell;

/**
 * Layout of queue files ({@link Kind#QUEUE}). Header {@code arg0} is the capacity (messages), {@code arg1} packs
 * the slot length in bytes ({@link #SLOT_LENGTH}, low 16 bits) and the data-area length in bytes (the bits above:
 * {@link #arg1}); a file of an earlier layout (no data area) therefore fails the reopen check by name. Every control word sits alone on two cache lines (128 bytes), so
 * that producers, consumers and the adjacent-line prefetcher never share a line between the two sides.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                  Header (128 bytes, FileHeader)                |  0
 *  +---------------------------------------------------------------+
 *  |  Producer lock (8 bytes): 0 free, else the holder's token     |  128
 *  |  Reserved up to 256                                           |
 *  +---------------------------------------------------------------+
 *  |  Tail (8 bytes): messages ever published; producers only      |  256
 *  |  Data tail (8 bytes): data bytes ever written; producers only |  264
 *  |  Reserved up to 384                                           |
 *  +---------------------------------------------------------------+
 *  |  Consumer lock (8 bytes): 0 free, else the holder's token     |  384
 *  |  Reserved up to 512                                           |
 *  +---------------------------------------------------------------+
 *  |  Head (8 bytes): messages ever taken; consumers only          |  512
 *  |  Data head (8 bytes): data bytes ever freed; consumers only   |  520
 *  |  Reserved up to 640                                           |
 *  +---------------------------------------------------------------+
 *  |  Done (8 bytes): taskDone() calls ever                        |  640
 *  |  Reserved up to 768                                           |
 *  +---------------------------------------------------------------+
 *  |  Slot 0 | Slot 1 | ... | Slot capacity-1  (SLOT_LENGTH each)   |  768
 *  +---------------------------------------------------------------+
 *  |  Data area: a byte ring of dataLength(capacity) bytes          |  768 + capacity * SLOT_LENGTH
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * A slot (message number {@code n} lives in slot {@code n % capacity}):
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                      Message length (bytes)                   |  0
 *  +---------------------------------------------------------------+
 *  |           Type: INLINE (1), SPILLED (2) or DATA (3)           |  4
 *  +---------------------------------------------------------------+
 *  |  INLINE: the message bytes, up to INLINE_MAX                   |  8
 *  |  DATA: data position (8 bytes): the bytes are at data-area     |
 *  |        offsets position % dataLength onwards, wrapping around  |
 *  |  SPILLED: producer token (8 bytes), spill number (8 bytes):    |
 *  |           the bytes are in the file "name@spill-token-number" |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Protocol. Producers are serialised by the producer lock, consumers by the consumer lock (robust words, see
 * {@link OwnerWord}). A producer writes slot {@code tail % capacity} with plain stores, then publishes it with
 * setRelease(tail + 1); a consumer reads tail with getAcquire, copies slot {@code head % capacity}, then frees it
 * with setRelease(head + 1), which a producer reads with getAcquire before reusing the slot. A process killed
 * before its release store leaves the index unchanged: its half-written or half-read slot is simply done again.
 *
 * <p>Data area. A message longer than {@link #INLINE_MAX} and at most {@link #DATA_MAX} bytes is copied into the
 * data area, a ring of bytes addressed by ever-growing positions (offset = position % dataLength, a message may
 * wrap past the end). Under the producer lock a producer reads data tail, waits until
 * {@code dataTail + length - dataHead <= dataLength}, copies the bytes at dataTail, writes the slot (type DATA,
 * the position), stores dataTail + length into data tail and only then publishes the slot with setRelease(tail
 * + 1). A producer killed before that release leaves at most a gap in the data area (data tail moved on, no slot
 * published), never a message; the gap is freed with the messages around it. A consumer copies the bytes, frees
 * the slot with setRelease(head + 1) and then frees the bytes with setRelease(dataHead = position + length). A
 * consumer killed between the two leaves data head behind: those bytes count as used until the next data message
 * is taken. A producer that sees head == tail (getAcquire, under the producer lock, so tail is its own) knows that
 * no data byte is in use, whatever data head says.
 */
final class QueueDescriptor {
  static final int LINE = 2 * FileHeader.CACHE_LINE;
  static final int PRODUCER_LOCK_OFFSET = FileHeader.LENGTH;
  static final int TAIL_OFFSET = PRODUCER_LOCK_OFFSET + LINE;
  static final int DATA_TAIL_OFFSET = TAIL_OFFSET + 8;
  /** Consumers' sleep word ({@link Bell}): the header's first; a producer reads it after every put. */
  static final int CONSUMER_SLEEP_OFFSET = FileHeader.SLEEP_OFFSET;
  static final int CONSUMER_LOCK_OFFSET = TAIL_OFFSET + LINE;
  static final int HEAD_OFFSET = CONSUMER_LOCK_OFFSET + LINE;
  static final int DATA_HEAD_OFFSET = HEAD_OFFSET + 8;
  /** Producers' sleep word ({@link Bell}): the header's second; a consumer reads it after every take. */
  static final int PRODUCER_SLEEP_OFFSET = FileHeader.SECOND_SLEEP_OFFSET;
  static final int DONE_OFFSET = HEAD_OFFSET + LINE;
  static final int SLOTS_OFFSET = DONE_OFFSET + LINE;

  /** Bytes per slot: header plus inline payload. */
  static final int SLOT_LENGTH = 256;
  static final int SLOT_LENGTH_FIELD = 0;
  static final int SLOT_TYPE_FIELD = 4;
  static final int SLOT_PAYLOAD = 8;
  static final int SPILL_TOKEN_FIELD = SLOT_PAYLOAD;
  static final int SPILL_NUMBER_FIELD = SLOT_PAYLOAD + 8;
  static final int DATA_POSITION_FIELD = SLOT_PAYLOAD;
  /** Longest message stored in its slot; longer ones are spilled to a side file. */
  static final int INLINE_MAX = SLOT_LENGTH - SLOT_PAYLOAD;

  static final int TYPE_INLINE = 1;
  static final int TYPE_SPILLED = 2;
  static final int TYPE_DATA = 3;

  /** Longest message copied into the data area; longer ones are spilled to a side file. */
  static final int DATA_MAX = 64 * 1024;
  /** Smallest data area: room for 16 messages of {@link #DATA_MAX} bytes. */
  static final int MIN_DATA_LENGTH = 1 << 20;
  /** Largest data area, reached at a capacity of 256 Ki messages. */
  static final int MAX_DATA_LENGTH = 64 << 20;

  /** Body bytes between the header and the slots. */
  static final int CONTROL_LENGTH = SLOTS_OFFSET - FileHeader.LENGTH;
  /** Largest capacity whose file (slots and data area) still fits one mapping. */
  static final int MAX_CAPACITY = (Integer.MAX_VALUE - SLOTS_OFFSET - MAX_DATA_LENGTH) / SLOT_LENGTH;

  private QueueDescriptor() {
  }

  /**
   * Bytes of the data area for a capacity: {@code capacity * SLOT_LENGTH} rounded up to a multiple of 64 KiB,
   * within {@link #MIN_DATA_LENGTH} and {@link #MAX_DATA_LENGTH}.
   */
  static int dataLength(int capacity) {
    long want = ((long) capacity * SLOT_LENGTH + DATA_MAX - 1) / DATA_MAX * DATA_MAX;
    return (int) Math.max(MIN_DATA_LENGTH, Math.min(MAX_DATA_LENGTH, want));
  }

  /** Header arg1 of a queue file: the slot length and, above bit 16, the data-area length. */
  static long arg1(int capacity) {
    return (long) dataLength(capacity) << 16 | SLOT_LENGTH;
  }

  /** Offset of the data area in the file. */
  static int dataOffset(int capacity) {
    return SLOTS_OFFSET + capacity * SLOT_LENGTH;
  }

  static long bodyLength(int capacity) {
    return CONTROL_LENGTH + (long) capacity * SLOT_LENGTH + dataLength(capacity);
  }

  /** Byte offset of the slot holding message number {@code n}. */
  static int slotOffset(long n, int capacity) {
    return SLOTS_OFFSET + (int) (n % capacity) * SLOT_LENGTH;
  }
}
