package dev.ipckit.shm;

/**
 * Layout of queue files ({@link Kind#QUEUE}). Header {@code arg0} is the capacity (messages), {@code arg1} the
 * slot length in bytes ({@link #SLOT_LENGTH}). Every control word sits alone on two cache lines (128 bytes), so
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
 *  |  Reserved up to 384                                           |
 *  +---------------------------------------------------------------+
 *  |  Consumer lock (8 bytes): 0 free, else the holder's token     |  384
 *  |  Reserved up to 512                                           |
 *  +---------------------------------------------------------------+
 *  |  Head (8 bytes): messages ever taken; consumers only          |  512
 *  |  Reserved up to 640                                           |
 *  +---------------------------------------------------------------+
 *  |  Done (8 bytes): taskDone() calls ever                        |  640
 *  |  Reserved up to 768                                           |
 *  +---------------------------------------------------------------+
 *  |  Slot 0 | Slot 1 | ... | Slot capacity-1  (SLOT_LENGTH each)   |  768
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
 *  |                  Type: INLINE (1) or SPILLED (2)              |  4
 *  +---------------------------------------------------------------+
 *  |  INLINE: the message bytes, up to INLINE_MAX                   |  8
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
 */
final class QueueDescriptor {
  static final int LINE = 2 * FileHeader.CACHE_LINE;
  static final int PRODUCER_LOCK_OFFSET = FileHeader.LENGTH;
  static final int TAIL_OFFSET = PRODUCER_LOCK_OFFSET + LINE;
  static final int CONSUMER_LOCK_OFFSET = TAIL_OFFSET + LINE;
  static final int HEAD_OFFSET = CONSUMER_LOCK_OFFSET + LINE;
  static final int DONE_OFFSET = HEAD_OFFSET + LINE;
  static final int SLOTS_OFFSET = DONE_OFFSET + LINE;

  /** Bytes per slot: header plus inline payload. */
  static final int SLOT_LENGTH = 256;
  static final int SLOT_LENGTH_FIELD = 0;
  static final int SLOT_TYPE_FIELD = 4;
  static final int SLOT_PAYLOAD = 8;
  static final int SPILL_TOKEN_FIELD = SLOT_PAYLOAD;
  static final int SPILL_NUMBER_FIELD = SLOT_PAYLOAD + 8;
  /** Longest message stored in its slot; longer ones are spilled to a side file. */
  static final int INLINE_MAX = SLOT_LENGTH - SLOT_PAYLOAD;

  static final int TYPE_INLINE = 1;
  static final int TYPE_SPILLED = 2;

  /** Body bytes between the header and the slots. */
  static final int CONTROL_LENGTH = SLOTS_OFFSET - FileHeader.LENGTH;
  /** Largest capacity whose file still fits one mapping. */
  static final int MAX_CAPACITY = (Integer.MAX_VALUE - SLOTS_OFFSET) / SLOT_LENGTH;

  private QueueDescriptor() {
  }

  static long bodyLength(int capacity) {
    return CONTROL_LENGTH + (long) capacity * SLOT_LENGTH;
  }

  /** Byte offset of the slot holding message number {@code n}. */
  static int slotOffset(long n, int capacity) {
    return SLOTS_OFFSET + (int) (n % capacity) * SLOT_LENGTH;
  }
}
