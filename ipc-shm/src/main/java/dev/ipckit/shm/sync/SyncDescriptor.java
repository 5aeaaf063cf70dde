package dev.ipckit.shm.sync;

import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.FileHeader;
import java.nio.ByteBuffer;

/**
 * Layout of semaphore, event and barrier files: one hot word on its own cache line after the header, and
 * for the barrier a second word on the next line.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                  Header (128 bytes, FileHeader)                |  0
 *  +---------------------------------------------------------------+
 *  |  State (8 bytes)                                              |  128
 *  |    semaphore: available permits (long, never negative)        |
 *  |    event:     0 clear, 1 set                                  |
 *  |    barrier:   generation (high 32) | broken (bit 31) |        |
 *  |               arrived count (low 31)                          |
 *  +---------------------------------------------------------------+
 *  |  Padding to 192                                               |  136
 *  +---------------------------------------------------------------+
 *  |  Barrier only: last generation ended by reset() (8 bytes)     |  192
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Header arg0: semaphore - the bound of a bounded semaphore (its initial permits), else 0; barrier - parties.
 * Header arg1: semaphore - 1 if bounded.
 */
public final class SyncDescriptor {
  static final int STATE_OFFSET = FileHeader.LENGTH;
  static final int RESET_GENERATION_OFFSET = FileHeader.LENGTH + FileHeader.CACHE_LINE;
  static final int BODY_LENGTH = 2 * FileHeader.CACHE_LINE;

  /**
   * What the words of a semaphore, event or barrier file say (header included); read-only. The state word is a
   * permit count, a flag, or generation (high 32 bits), broken (bit 31) and arrived (low 31 bits).
   */
  public static Fields decode(ByteBuffer buf) {
    return Fields.header(buf)
        .longAt("state", STATE_OFFSET, "permits (semaphore), 1 if set (event), generation|broken|arrived (barrier)")
        .longAt("resetGeneration", RESET_GENERATION_OFFSET, "barrier: the generation last ended by reset(), or -1");
  }

  private SyncDescriptor() {
  }
}
