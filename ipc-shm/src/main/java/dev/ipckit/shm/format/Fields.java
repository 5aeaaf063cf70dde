package dev.ipckit.shm.format;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the words of a file say, read-only: an ordered list of named fields (offset, value, meaning), decoded by a
 * layout's descriptor without taking any lock, claiming anything or writing a byte. For tools that show who holds
 * what (the inspector) and for error messages. Words are read with getAcquire, so a live file decodes to a
 * consistent-enough snapshot of each word (not of the whole file).
 *
 * <p>A descriptor reads only inside the buffer it is given: a field that lies past the end of a truncated file is
 * reported as missing instead of read.
 */
public final class Fields {
  /**
   * One decoded word.
   *
   * @param name the field's name
   * @param offset its offset in the file
   * @param value the value, or null when the field lies outside the file
   * @param meaning what the value stands for
   */
  public record Field(String name, int offset, Long value, String meaning) {
    @Override
    public String toString() {
      return name + "@" + offset + "=" + (value == null ? "(outside the file)" : value) + "  " + meaning;
    }
  }

  private final ByteBuffer buf;
  private final List<Field> fields = new ArrayList<>();

  /**
   * Fields of {@code buf} (a mapped file or a copy of one). A heap buffer is read with plain reads: it is nobody's
   * shared memory, and JDK 22 and later refuse atomic access to one.
   */
  public Fields(ByteBuffer buf) {
    this.buf = buf;
  }

  /** Adds the long at {@code offset}. */
  public Fields longAt(String name, int offset, String meaning) {
    Long v = null;
    if (fits(offset, 8)) {
      v = buf.isDirect() ? (long) Mem.LONG.getAcquire(buf, offset) : buf.getLong(offset);
    }
    fields.add(new Field(name, offset, v, meaning));
    return this;
  }

  /** Adds the int at {@code offset}. */
  public Fields intAt(String name, int offset, String meaning) {
    Long v = null;
    if (fits(offset, 4)) {
      v = (long) (buf.isDirect() ? (int) Mem.INT.getAcquire(buf, offset) : buf.getInt(offset));
    }
    fields.add(new Field(name, offset, v, meaning));
    return this;
  }

  /** Adds the byte at {@code offset} (read through its aligned int word, which must lie in the file too). */
  public Fields byteAt(String name, int offset, String meaning) {
    Long v = null;
    if (fits(offset & ~3, 4)) {
      v = (long) (buf.isDirect() ? Mem.getByteAcquire(buf, offset) : buf.get(offset));
    }
    fields.add(new Field(name, offset, v, meaning));
    return this;
  }

  private boolean fits(int offset, int width) {
    return offset >= 0 && offset <= buf.capacity() - width && (offset & (width - 1)) == 0;
  }

  /** The fields so far, in the order added. */
  public List<Field> list() {
    return Collections.unmodifiableList(fields);
  }

  /** The value of field {@code name}, or null if absent or outside the file. */
  public Long get(String name) {
    for (Field f : fields) {
      if (f.name().equals(name)) {
        return f.value();
      }
    }
    return null;
  }

  /** The header fields of any namespace file ({@link FileHeader}). */
  public static Fields header(ByteBuffer buf) {
    return new Fields(buf)
        .longAt("magic", FileHeader.MAGIC_OFFSET, "\"IPCKIT\" 0x00 0x01 as a native long")
        .intAt("version", FileHeader.VERSION_OFFSET, "layout version")
        .intAt("kind", FileHeader.KIND_OFFSET, "kind code (Kind)")
        .longAt("arg0", FileHeader.ARG0_OFFSET, "length, capacity, parties, ...")
        .longAt("arg1", FileHeader.ARG1_OFFSET, "element size, slot and data sizes, flags, ...")
        .longAt("fileLength", FileHeader.FILE_LENGTH_OFFSET, "file length in bytes")
        .longAt("creatorPid", FileHeader.CREATOR_PID_OFFSET, "pid of the creating process")
        .intAt("initialised", FileHeader.INITIALISED_OFFSET, "READY once the file is complete")
        .longAt("sleep", FileHeader.SLEEP_OFFSET, "nanoTime until which a waiter may be parked, or 0")
        .longAt("sleep2", FileHeader.SECOND_SLEEP_OFFSET, "second sleep word (a queue's producers), or 0");
  }
}
