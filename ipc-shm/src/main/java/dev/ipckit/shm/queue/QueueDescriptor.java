package dev.ipckit.shm.queue;

import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.wait.Bell;
import java.nio.ByteBuffer;

/**
 * Layout of queue files ({@link Kind#QUEUE}). Header {@code arg0} is the capacity (messages), {@code arg1} packs
 * the slot length in bytes ({@link SlotDescriptor#SLOT_LENGTH}, low 16 bits) and the data-area length in bytes
 * (bits 16 to 47) and the layout number (bits 48 and up: {@link #LAYOUT}, 1 since the table of unfinished tasks); a
 * file of an earlier layout (no data area, no task table) therefore fails the reopen check by name. Every control word sits alone on two cache lines (128 bytes), so that producers, consumers and the
 * adjacent-line prefetcher never share a line between the two sides.
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
 *  |  Take record: taker's token (8 bytes; 0 none)                 |  392
 *  |  Take record: head before the take (8 bytes)                  |  400
 *  |  Take record: 2 * messages + entry toggle before (8 bytes)    |  408
 *  |  Recoveries (8 bytes): take records repaired, ever            |  416
 *  |  Reserved up to 512                                           |
 *  +---------------------------------------------------------------+
 *  |  Head (8 bytes): messages ever taken; consumers only          |  512
 *  |  Data head (8 bytes): data bytes ever freed; consumers only   |  520
 *  |  Reserved up to 640                                           |
 *  +---------------------------------------------------------------+
 *  |  Done (8 bytes): taskDone() calls ever                        |  640
 *  |  Reserved up to 768                                           |
 *  +---------------------------------------------------------------+
 *  |  Slot 0 | Slot 1 | ... | Slot capacity-1  (SLOT_LENGTH each)  |  768
 *  +---------------------------------------------------------------+
 *  |  Data area: a byte ring of dataLength(capacity) bytes         |  768 + capacity * SLOT_LENGTH
 *  +---------------------------------------------------------------+
 *  |  Task table: TASK_ENTRIES entries of 16 bytes, one per        |  dataOffset + dataLength
 *  |  registry slot: owner token (8), counts (8)                   |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * A task table entry's counts word ({@link TaskTable}), bit 63 first:
 *
 * <pre>
 *  +-----------------------+--------------------+--------------------+---+
 *  | generation (23 bits)  |  own (20 bits)     |  inherited (20)    | T |
 *  +-----------------------+--------------------+--------------------+---+
 *   63                   41 40               21 20                  1  0
 * </pre>
 *
 * generation: the low 23 bits of the generation of the token whose counts these are; own: messages that process
 * took and has not marked done; inherited: the same for earlier, dead processes of the registry slot; T: flipped by
 * every take that counts in the entry. A count at its largest value ({@link TaskTable#MAX}) is saturated.
 *
 * The slots are drawn in {@link SlotDescriptor}; the protocol over these words, and what a process killed at each
 * step leaves behind, is stated once in the {@linkplain dev.ipckit.shm.queue package summary}.
 */
public final class QueueDescriptor {
  static final int LINE = 2 * FileHeader.CACHE_LINE;
  static final int PRODUCER_LOCK_OFFSET = FileHeader.LENGTH;
  static final int TAIL_OFFSET = PRODUCER_LOCK_OFFSET + LINE;
  static final int DATA_TAIL_OFFSET = TAIL_OFFSET + 8;
  /** Consumers' sleep word ({@link Bell}): the header's first; a producer reads it after every put. */
  static final int CONSUMER_SLEEP_OFFSET = FileHeader.SLEEP_OFFSET;
  static final int CONSUMER_LOCK_OFFSET = TAIL_OFFSET + LINE;
  /** The take record, on the consumer lock's line (written only by its holder): the taker's token, 0 for none. */
  static final int TAKE_TOKEN_OFFSET = CONSUMER_LOCK_OFFSET + 8;
  static final int TAKE_HEAD_OFFSET = CONSUMER_LOCK_OFFSET + 16;
  static final int TAKE_COUNT_OFFSET = CONSUMER_LOCK_OFFSET + 24;
  static final int RECOVERIES_OFFSET = CONSUMER_LOCK_OFFSET + 32;
  static final int HEAD_OFFSET = CONSUMER_LOCK_OFFSET + LINE;
  static final int DATA_HEAD_OFFSET = HEAD_OFFSET + 8;
  /** Producers' sleep word ({@link Bell}): the header's second; a consumer reads it after every take. */
  static final int PRODUCER_SLEEP_OFFSET = FileHeader.SECOND_SLEEP_OFFSET;
  static final int DONE_OFFSET = HEAD_OFFSET + LINE;
  static final int SLOTS_OFFSET = DONE_OFFSET + LINE;

  /** Longest message copied into the data area; longer ones are spilled to a side file. */
  static final int DATA_MAX = 64 * 1024;
  /** Smallest data area: room for 16 messages of {@link #DATA_MAX} bytes. */
  static final int MIN_DATA_LENGTH = 1 << 20;
  /** Largest data area, reached at a capacity of 256 Ki messages. */
  static final int MAX_DATA_LENGTH = 64 << 20;

  /** Entries of the task table: one per registry slot ({@code Registry.MAX_SLOTS}). */
  static final int TASK_ENTRIES = 4096;
  static final int TASK_ENTRY_LENGTH = 16;
  /** In an entry: the token of the process whose entry it is (written only by that process), 0 never used. */
  static final int TASK_OWNER_OFFSET = 0;
  /** In an entry: the counts word. */
  static final int TASK_COUNTS_OFFSET = 8;
  static final int TASK_TABLE_LENGTH = TASK_ENTRIES * TASK_ENTRY_LENGTH;
  /** The layout number, in header arg1 above bit 48: 1 has the task table. */
  static final long LAYOUT = 1L;

  /** Body bytes between the header and the slots. */
  static final int CONTROL_LENGTH = SLOTS_OFFSET - FileHeader.LENGTH;
  /** Largest capacity whose file (slots and data area) still fits one mapping. */
  static final int MAX_CAPACITY = (Integer.MAX_VALUE - SLOTS_OFFSET - MAX_DATA_LENGTH - TASK_TABLE_LENGTH)
      / SlotDescriptor.SLOT_LENGTH;

  /**
   * What the words of a queue file say (header included), read-only: the lock words, indices, done count, and the
   * type, length and position words of the slots of the messages in it (at most the first 16).
   */
  public static Fields decode(ByteBuffer buf) {
    Fields f = Fields.header(buf)
        .longAt("producerLock", PRODUCER_LOCK_OFFSET, "0 free, else the holding producer's liveness token")
        .longAt("tail", TAIL_OFFSET, "messages ever published")
        .longAt("dataTail", DATA_TAIL_OFFSET, "data-area bytes ever written")
        .longAt("consumerLock", CONSUMER_LOCK_OFFSET, "0 free, else the holding consumer's liveness token")
        .longAt("takeToken", TAKE_TOKEN_OFFSET, "0, else the token of a consumer inside a take")
        .longAt("head", HEAD_OFFSET, "messages ever taken")
        .longAt("dataHead", DATA_HEAD_OFFSET, "data-area bytes ever freed")
        .longAt("done", DONE_OFFSET, "taskDone() calls ever");
    Long capacity = f.get("arg0");
    Long head = f.get("head");
    Long tail = f.get("tail");
    if (capacity != null && capacity > 0 && capacity <= MAX_CAPACITY && head != null && tail != null
        && head >= 0 && tail >= head) {
      for (long n = head; n < tail && n < head + 16; n++) {
        int at = slotOffset(n, (int) (long) capacity);
        f.intAt("slot" + n + ".length", at + SlotDescriptor.LENGTH_OFFSET, "message length in bytes")
            .intAt("slot" + n + ".type", at + SlotDescriptor.TYPE_OFFSET, "1 inline, 2 side file, 3 data area");
        int type = buf.capacity() >= at + SlotDescriptor.SLOT_LENGTH ? buf.getInt(at + SlotDescriptor.TYPE_OFFSET) : 0;
        if (type == SlotDescriptor.TYPE_DATA) {
          f.longAt("slot" + n + ".position", at + SlotDescriptor.DATA_POSITION_OFFSET, "data-area position of its bytes");
        } else if (type == SlotDescriptor.TYPE_SPILLED) {
          f.longAt("slot" + n + ".spillOwner", at + SlotDescriptor.SPILL_TOKEN_OFFSET, "the producer's token")
              .longAt("slot" + n + ".spillNumber", at + SlotDescriptor.SPILL_NUMBER_OFFSET, "its side file's number");
        }
      }
    }
    return f;
  }

  private QueueDescriptor() {
  }

  /**
   * Bytes of the data area for a capacity: {@code capacity * SLOT_LENGTH} rounded up to a multiple of 64 KiB,
   * within {@link #MIN_DATA_LENGTH} and {@link #MAX_DATA_LENGTH}.
   */
  static int dataLength(int capacity) {
    long want = ((long) capacity * SlotDescriptor.SLOT_LENGTH + DATA_MAX - 1) / DATA_MAX * DATA_MAX;
    return (int) Math.max(MIN_DATA_LENGTH, Math.min(MAX_DATA_LENGTH, want));
  }

  /** Header arg1 of a queue file: the slot length, above bit 16 the data-area length, above bit 48 the layout. */
  static long arg1(int capacity) {
    return LAYOUT << 48 | (long) dataLength(capacity) << 16 | SlotDescriptor.SLOT_LENGTH;
  }

  /** Offset of the task table in the file. */
  static int taskTableOffset(int capacity) {
    return dataOffset(capacity) + dataLength(capacity);
  }

  /** Offset of the data area in the file. */
  static int dataOffset(int capacity) {
    return SLOTS_OFFSET + capacity * SlotDescriptor.SLOT_LENGTH;
  }

  static long bodyLength(int capacity) {
    return CONTROL_LENGTH + (long) capacity * SlotDescriptor.SLOT_LENGTH + dataLength(capacity) + TASK_TABLE_LENGTH;
  }

  /** Byte offset of the slot holding message number {@code n}. */
  static int slotOffset(long n, int capacity) {
    return SLOTS_OFFSET + (int) (n % capacity) * SlotDescriptor.SLOT_LENGTH;
  }
}
