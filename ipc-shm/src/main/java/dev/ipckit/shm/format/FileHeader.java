package dev.ipckit.shm.format;

import dev.ipckit.shm.wait.Bell;

/**
 * The layout of the header every namespace file starts with. All fields are native byte order.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                         Magic (8 bytes)                       |  0
 *  +---------------------------------------------------------------+
 *  |                      Layout version                           |  8
 *  +---------------------------------------------------------------+
 *  |                           Kind                                |  12
 *  +---------------------------------------------------------------+
 *  |                     Arg0 (8 bytes): length, capacity, ...     |  16
 *  +---------------------------------------------------------------+
 *  |                     Arg1 (8 bytes): slot size, flags, ...     |  24
 *  +---------------------------------------------------------------+
 *  |                     File length (8 bytes)                     |  32
 *  +---------------------------------------------------------------+
 *  |                     Creator pid (8 bytes)                     |  40
 *  +---------------------------------------------------------------+
 *  |                 Initialised (written last, release)           |  48
 *  +---------------------------------------------------------------+
 *  |                    Reserved up to byte 63                     |  52
 *  +---------------------------------------------------------------+
 *  |       Sleep word (8 bytes): waiters parked on the object      |  64
 *  |       (for a queue: its consumers), see {@link Bell}          |
 *  +---------------------------------------------------------------+
 *  |       Second sleep word (8 bytes): a queue's producers        |  72
 *  +---------------------------------------------------------------+
 *  |                    Reserved up to byte 127                    |  80
 *  +---------------------------------------------------------------+
 *  |                 Body: the kind's own layout                   |  128
 * </pre>
 *
 * A file is published complete: it is written under a temporary name and hard-linked to its real name, so
 * a reader never sees a half-written header; the initialised word guards against files made by other means.
 */
public final class FileHeader {
  /** "IPCKIT" then 0x00 0x01, read as a native long. */
  public static final long MAGIC = 0x0100_5449_4B43_5049L;
  /**
   * The version of every layout: raised whenever a kind's layout changes, so that a file written by another version
   * is refused by name and version instead of misread. 3: semaphore and barrier files carry a table with an entry
   * per registry slot (holdings, waiting parties) and a semaphore a lock word and a journal. 4: small objects
   * (values, locks, rlocks, events) are slots of the namespace's slab ({@link Kind#SLAB}, {@link Kind#SLAB_INDEX}).
   */
  public static final int LAYOUT_VERSION = 4;
  public static final int READY = 0x5245_4459; // "READ" "Y"

  public static final int MAGIC_OFFSET = 0;
  public static final int VERSION_OFFSET = 8;
  public static final int KIND_OFFSET = 12;
  public static final int ARG0_OFFSET = 16;
  public static final int ARG1_OFFSET = 24;
  public static final int FILE_LENGTH_OFFSET = 32;
  public static final int CREATOR_PID_OFFSET = 40;
  public static final int INITIALISED_OFFSET = 48;
  /**
   * Sleep words ({@link Bell}) live on the header's second cache line: read after every change of the object,
   * written only by waiters about to park long, so the line stays shared and cheap to read, unlike the object's
   * own hot words.
   */
  public static final int SLEEP_OFFSET = 64;
  public static final int SECOND_SLEEP_OFFSET = 72;

  /** Header length; the body starts here, on its own cache lines. */
  public static final int LENGTH = 128;

  /** Cache line size assumed for padding. */
  public static final int CACHE_LINE = 64;

  private FileHeader() {
  }
}
