package dev.ipckit.shm.slab;

import dev.ipckit.shm.format.Cell;
import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.SafeFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The slab of a namespace directory read from outside, for the inspector: plain reads of its files, never a mapping,
 * never a lock, nothing written, so a damaged or foreign file reads safely. Finds an object by name through the
 * index, as a handle does, or lists them all.
 */
public final class SlabCopy {
  /** Slots read at once when listing. */
  private static final int BLOCK = 4096;
  private final Path dir;

  /**
   * One live object of the slab: its name, kind (null if unknown), slot and a copy of its body.
   *
   * @param name the object's name
   * @param kind its kind, or null if unknown
   * @param slot its slot
   * @param body a copy of the body's {@value Cell#BODY} bytes, native order, the body's first word at 0
   * @param meta a copy of the slot's meta record, native order, its state word at 0
   */
  public record Item(String name, Kind kind, long slot, ByteBuffer body, ByteBuffer meta) {
    /** What the meta record's words say: state (generation, status, kind), hash, name length. */
    public Fields metaFields() {
      return new Fields(meta).longAt("meta.state", SlabLayout.M_STATE, "generation << 32 | status << 8 | kind"
          + " (status 1: live)").intAt("meta.hash", SlabLayout.M_HASH, "the name's hash")
          .intAt("meta.length", SlabLayout.M_LENGTH, "the name's length");
    }
  }

  private SlabCopy(Path dir) {
    this.dir = dir;
  }

  /** The slab of {@code dir}, or null when it has none. */
  public static SlabCopy of(Path dir) {
    return Slab.exists(dir) ? new SlabCopy(dir) : null;
  }

  /** Bytes of {@code /dev/shm} one object takes in the slab: its meta record and its body. */
  public static int bytesPerObject() {
    return SlabLayout.META + Cell.BODY;
  }

  private static ByteBuffer read(FileChannel ch, long at, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocateDirect(length).order(ByteOrder.nativeOrder());   // as MappedFile.copyOf
    while (b.hasRemaining() && ch.read(b, at + b.position()) > 0) {
      // a short file leaves zeros
    }
    return b.clear();
  }

  private FileChannel open(String fileName) throws IOException {
    Path p = dir.resolve(fileName);
    String problem = SafeFiles.problem(p, false);
    if (problem != null) {
      throw new IOException(p + ": the file " + problem);
    }
    return SafeFiles.openOwnFile(p, StandardOpenOption.READ);
  }

  /** The control words of chunk 0: next fresh slot, and the index word; IOException naming a damaged file. */
  private long[] control() throws IOException {
    try (FileChannel ch = open(SlabLayout.chunkName(0))) {
      ByteBuffer h = read(ch, 0, SlabLayout.META_START);
      checkHeader(h, Kind.SLAB, SlabLayout.chunkName(0));
      return new long[] {h.getLong(SlabLayout.NEXT_FRESH), h.getLong(SlabLayout.INDEX)};
    }
  }

  private void checkHeader(ByteBuffer h, Kind kind, String fileName) throws IOException {
    if (h.getLong(FileHeader.MAGIC_OFFSET) != FileHeader.MAGIC || h.getInt(FileHeader.VERSION_OFFSET)
        != FileHeader.LAYOUT_VERSION || h.getInt(FileHeader.KIND_OFFSET) != kind.code()) {
      throw new IOException(dir.resolve(fileName) + " is not a " + kind.label() + " of this ipckit (magic 0x"
          + Long.toHexString(h.getLong(FileHeader.MAGIC_OFFSET)) + ", version " + h.getInt(FileHeader.VERSION_OFFSET)
          + ", kind " + h.getInt(FileHeader.KIND_OFFSET) + ")");
    }
  }

  /** Every live object, in slot order. */
  public List<Item> items() throws IOException {
    long end = Math.min(control()[0], SlabLayout.MAX_SLOTS);
    List<Item> out = new ArrayList<>();
    for (int k = 0; end > 0 && SlabLayout.chunkStart(k) < end; k++) {
      long start = SlabLayout.chunkStart(k);
      int n = (int) Math.min(SlabLayout.chunkSlots(k), end - start);
      try (FileChannel ch = open(SlabLayout.chunkName(k))) {
        for (int from = 0; from < n; from += BLOCK) {
          int count = Math.min(BLOCK, n - from);
          ByteBuffer slots = read(ch, SlabLayout.META_START + (long) from * SlabLayout.SLOT, count * SlabLayout.SLOT);
          for (int i = 0; i < count; i++) {
            Item it = item(ch, slots, i * SlabLayout.SLOT + Cell.BODY, start + from + i);
            if (it != null) {
              out.add(it);
            }
          }
        }
      } catch (NoSuchFileException e) {
        break;                                       // a chunk never made: nothing lives past it
      }
    }
    return out;
  }

  /** The live object {@code name}, or null. */
  public Item find(String name) throws IOException {
    if (!Slab.fits(name)) {
      return null;
    }
    long[] control = control();
    long word = control[1];
    int log = SlabLayout.logOf(word);
    if (log > 30) {
      throw new IOException("the slab index word of " + dir + " is damaged (0x" + Long.toHexString(word) + ")");
    }
    int hash = SlabLayout.hash(name);
    int mask = (1 << log) - 1;
    try (FileChannel index = open(SlabLayout.indexName(SlabLayout.generationOf(word)))) {
      int i = hash & mask;
      for (int n = 0; n <= mask; n++, i = (i + 1) & mask) {
        long v = read(index, SlabLayout.bucketOffset(i), 8).getLong(0);
        if (v == SlabLayout.EMPTY) {
          return null;
        }
        long s = SlabLayout.slotOf(v);
        if (v != SlabLayout.TOMBSTONE && (int) (v >>> 32) == hash && s >= 0 && s < control[0]) {
          try (FileChannel ch = open(SlabLayout.chunkName(SlabLayout.chunkOf(s)))) {
            ByteBuffer meta = read(ch, SlabLayout.metaOffset(s), SlabLayout.META);
            Item it = item(ch, meta, 0, s);
            if (it != null && it.name().equals(name)) {
              return it;
            }
          }
        }
      }
      return null;
    } catch (NoSuchFileException e) {
      return null;                                   // replaced while read, or never made: nothing to find
    }
  }

  /** The live object whose meta record is at {@code at} of {@code metas}, or null. */
  private Item item(FileChannel ch, ByteBuffer metas, int at, long s) throws IOException {
    long state = metas.getLong(at + SlabLayout.M_STATE);
    int length = metas.getInt(at + SlabLayout.M_LENGTH);
    if (SlabLayout.statusOf(state) != SlabLayout.LIVE_STATUS || length <= 0
        || length > SlabLayout.MAX_NAME_BYTES) {
      return null;
    }
    byte[] name = new byte[length];
    metas.get(at + SlabLayout.M_NAME, name);
    ByteBuffer body = read(ch, SlabLayout.bodyOffset(s), Cell.BODY);
    ByteBuffer meta = ByteBuffer.allocateDirect(SlabLayout.META).order(ByteOrder.nativeOrder());
    for (int k = 0; k < SlabLayout.META; k++) {
      meta.put(k, metas.get(at + k));
    }
    return new Item(new String(name, StandardCharsets.US_ASCII), SlabLayout.kindOf(state), s, body, meta);
  }
}
