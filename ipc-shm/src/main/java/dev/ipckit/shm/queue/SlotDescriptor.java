package dev.ipckit.shm.queue;

/**
 * Layout of one slot of a queue file's ring ({@link QueueDescriptor}: message number {@code n} lives in slot
 * {@code n % capacity}, at {@link QueueDescriptor#slotOffset}). The protocol that writes and reads slots is
 * {@link SlotRing}'s, stated in the package summary.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                      Message length (bytes)                   |  0
 *  +---------------------------------------------------------------+
 *  |           Type: INLINE (1), SPILLED (2) or DATA (3)           |  4
 *  +---------------------------------------------------------------+
 *  |  INLINE: the message bytes, up to INLINE_MAX                  |  8
 *  |  DATA: data position (8 bytes): the bytes are at data-area    |
 *  |        offsets position % dataLength onwards, wrapping around |
 *  |  SPILLED: producer token (8 bytes), spill number (8 bytes):   |
 *  |           the bytes are in the file "name@spill-token-number" |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Every field is written with plain stores and read with plain loads: a slot is published by the release store of
 * the tail that covers it, and freed by the release store of the head.
 */
final class SlotDescriptor {
  /** Bytes per slot: header plus inline payload. */
  static final int SLOT_LENGTH = 256;
  static final int LENGTH_OFFSET = 0;
  static final int TYPE_OFFSET = 4;
  static final int PAYLOAD_OFFSET = 8;
  /** DATA: the data position of the message's first byte. */
  static final int DATA_POSITION_OFFSET = PAYLOAD_OFFSET;
  /** SPILLED: the token of the producer that wrote the side file. */
  static final int SPILL_TOKEN_OFFSET = PAYLOAD_OFFSET;
  /** SPILLED: the producer's number for the side file. */
  static final int SPILL_NUMBER_OFFSET = PAYLOAD_OFFSET + 8;
  /** Longest message stored in its slot; longer ones go to the data area or a side file. */
  static final int INLINE_MAX = SLOT_LENGTH - PAYLOAD_OFFSET;

  static final int TYPE_INLINE = 1;
  static final int TYPE_SPILLED = 2;
  static final int TYPE_DATA = 3;

  private SlotDescriptor() {
  }
}
