package dev.ipckit.shm.format;

import java.nio.ByteBuffer;

/**
 * Where the words of one small object lie: a mapped buffer, the offset of the object's body (its first word) and
 * of its sleep word. A small object ({@code SharedInt}, {@code SharedLong}, {@code SharedDouble}, a lock, an rlock,
 * an event) is either a file of its own (body after the {@link FileHeader}, sleep word in the header: {@link
 * #ofFile}) or a slot of the namespace's slab ({@code dev.ipckit.shm.slab}); its handle reads and writes the same
 * words at the same offsets from the body either way.
 *
 * <p>The body is one cache line ({@link FileHeader#CACHE_LINE} bytes), naturally aligned.
 *
 * @param buf the mapped buffer that holds the object's words
 * @param body the offset of the body's first word in {@code buf}
 * @param sleep the offset of the sleep word in {@code buf}
 * @param slot the slab slot of the object, or -1 for a file of its own
 * @param stamp the slot's state word when the cell was made (0 for a file): tells a slot reused since apart
 */
public record Cell(ByteBuffer buf, int body, int sleep, long slot, long stamp) {
  /** Bytes of a body: one cache line, so that two objects never share one. */
  public static final int BODY = FileHeader.CACHE_LINE;

  /** The cell of a small object that is a file of its own: {@code buf} is the whole file. */
  public static Cell ofFile(ByteBuffer buf) {
    return new Cell(buf, FileHeader.LENGTH, FileHeader.SLEEP_OFFSET, -1, 0L);
  }

  /** The cell of a small object that is a file of its own. */
  public static Cell ofFile(MappedFile f) {
    return ofFile(f.buffer());
  }
}
