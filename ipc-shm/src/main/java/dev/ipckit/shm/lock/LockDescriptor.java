package dev.ipckit.shm.lock;

import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import java.nio.ByteBuffer;

/**
 * Layout of lock files ({@link Kind#LOCK}, {@link Kind#RLOCK}, {@link Kind#FILE_LOCK}).
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                  Header (128 bytes, FileHeader)                |  0
 *  +---------------------------------------------------------------+
 *  |  Owner token (8 bytes): 0 when free, else the holder's        |  128
 *  |  registry token (generation * 65536 + slot + 1)               |
 *  +---------------------------------------------------------------+
 *  |  Takeovers (8 bytes): times the lock was taken from the dead  |  136
 *  +---------------------------------------------------------------+
 *  |  Signals (8 bytes): signal()/signalAll() calls on the lock's  |  144
 *  |  conditions, ever ({@link ShmCondition})                       |
 *  +---------------------------------------------------------------+
 *  |  Reserved up to 192                                           |  152
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * For {@link Kind#LOCK} and {@link Kind#RLOCK} the owner word is the lock: compareAndSet 0 to token acquires,
 * compareAndSet token to 0 releases (volatile both ways: the release publishes the guarded state, the acquire
 * consumes it). For {@link Kind#FILE_LOCK} the kernel lock on byte {@link #FILE_LOCK_BYTE} is the lock and the
 * owner word only records the holder, so the next holder can tell that its predecessor died holding it.
 */
public final class LockDescriptor {
  /** The owner word, from the body's start ({@link dev.ipckit.shm.format.Cell#body()}). */
  public static final int OWNER = 0;
  /** The takeover counter, from the body's start. */
  public static final int TAKEOVERS = 8;
  /** The signal counter, from the body's start. */
  public static final int SIGNALS = 16;
  static final int OWNER_OFFSET = FileHeader.LENGTH + OWNER;
  static final int TAKEOVERS_OFFSET = FileHeader.LENGTH + TAKEOVERS;
  static final int SIGNALS_OFFSET = FileHeader.LENGTH + SIGNALS;
  static final int BODY_LENGTH = FileHeader.CACHE_LINE;
  /** The byte a {@link Kind#FILE_LOCK} locks with the kernel: past the data, so no I/O ever touches it. */
  static final long FILE_LOCK_BYTE = 1L << 32;

  /** What the words of a lock file say (header included); read-only. */
  public static Fields decode(ByteBuffer buf) {
    return body(Fields.header(buf), FileHeader.LENGTH);
  }

  /** Adds to {@code f} what the words of a lock's body at {@code at} of its buffer say (a file's or a slot's). */
  public static Fields body(Fields f, int at) {
    return f.longAt("owner", at + OWNER, "0 when free, else the holder's liveness token")
        .longAt("takeovers", at + TAKEOVERS, "times taken over from a dead holder")
        .longAt("signals", at + SIGNALS, "condition signals ever");
  }

  private LockDescriptor() {
  }
}
