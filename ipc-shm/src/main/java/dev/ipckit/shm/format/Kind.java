package dev.ipckit.shm.format;

import dev.ipckit.spi.CellType;

/**
 * What a namespace file holds: written into its header, checked on every open. The codes are part of the
 * file format; never renumber them.
 */
public enum Kind {
  REGISTRY(1, "process registry"),
  INT(2, "SharedInt"),
  LONG(3, "SharedLong"),
  DOUBLE(4, "SharedDouble"),
  INT_ARRAY(5, "SharedIntArray"),
  LONG_ARRAY(6, "SharedLongArray"),
  DOUBLE_ARRAY(7, "SharedDoubleArray"),
  LOCK(8, "lock"),
  RLOCK(9, "rlock"),
  FILE_LOCK(10, "fileLock"),
  SEMAPHORE(11, "semaphore"),
  BOUNDED_SEMAPHORE(12, "boundedSemaphore"),
  EVENT(13, "event"),
  BARRIER(14, "barrier"),
  QUEUE(15, "queue"),
  PIPE(16, "pipe"),
  BYTE_ARRAY(17, "SharedByteArray"),
  FLOAT_ARRAY(18, "SharedFloatArray"),
  BOOLEAN_ARRAY(19, "SharedBooleanArray"),
  BUFFER(20, "SharedBuffer"),
  /** A chunk of the namespace's slab: the slots of small objects ({@code dev.ipckit.shm.slab}). */
  SLAB(21, "slab chunk"),
  /** The slab's name index: a hash table from name to slot. */
  SLAB_INDEX(22, "slab index");

  private final int code;
  private final String label;

  Kind(int code, String label) {
    this.code = code;
    this.label = label;
  }

  public int code() {
    return code;
  }

  public String label() {
    return label;
  }

  /** The array kind of {@code type}: the one labelled with its interface's name. */
  public static Kind of(CellType<?> type) {
    return ofLabel(type.typeName());
  }

  /** The element type of an array kind; null for the other kinds. */
  public CellType<?> cells() {
    for (CellType<?> t : CellType.values()) {
      if (t.typeName().equals(label)) {
        return t;
      }
    }
    return null;
  }

  private static Kind ofLabel(String label) {
    for (Kind k : values()) {
      if (k.label.equals(label)) {
        return k;
      }
    }
    throw new IllegalArgumentException("no kind is labelled " + label);
  }

  /** The kind with this code, or null for a code this version does not know. */
  public static Kind of(int code) {
    for (Kind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    return null;
  }
}
