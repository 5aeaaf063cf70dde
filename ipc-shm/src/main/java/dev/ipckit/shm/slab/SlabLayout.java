package dev.ipckit.shm.slab;

import dev.ipckit.IpcException;
import dev.ipckit.shm.format.Cell;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Layout of a namespace's slab: the files, the words and the protocol that keeps them whole when a process dies at
 * any instant. The design and its reasons are in {@code docs/small-objects.md}.
 *
 * <h2>Files</h2>
 * <ul>
 *   <li>{@code .slab-NNNN}, chunk N ({@link Kind#SLAB}, header arg0 = N, arg1 = its slots): chunk 0 has {@value
 *       #FIRST_SLOTS} slots, each next one twice as many up to 2<sup>20</sup>, then 2<sup>20</sup> each; a million
 *       objects take 13 chunks. A chunk is made complete (as every file: written under a temporary name, then
 *       hard-linked) before any word says one of its slots is in use, and never changes size, so a mapping never
 *       goes stale. After the header, chunk 0 holds the control block (below); every chunk then holds its slots,
 *       128 bytes each: the body, then the meta record.
 *   <li>{@code .slab-index-G}, generation G of the name index ({@link Kind#SLAB_INDEX}, arg0 = G, arg1 = its
 *       buckets, a power of two): 8-byte buckets, each {@link #EMPTY}, a {@link #TOMBSTONE}, or {@code hash << 32 |
 *       slot + 1}. It is kept at most half full (tombstones included) by building generation G+1, four times the
 *       live objects, from the live slots (not the old buckets, which may be damaged), and publishing it in the
 *       control block's {@link #INDEX} word.
 * </ul>
 *
 * <h2>A slot</h2>
 * <pre>
 *  body (64 bytes, the object's own cache line)     meta record (64 bytes, read-mostly)
 *   0  the kind's words: a value; a lock's owner,     64  state: generation &lt;&lt; 32 | status &lt;&lt; 8 | kind
 *      takeovers and signals; an event's flag         72  hash (int), name length (int);
 *  56  the sleep word of the object's waiters             a free slot's next free slot + 1 instead
 *                                                     80  the name: ASCII, zero-padded, at most {@value #MAX_NAME_BYTES}
 * </pre>
 * An object's hot line holds nothing but its own words, and it is paired (the 128-byte unit that the adjacent-line
 * prefetcher of x86 cores fetches together) with its own read-mostly meta record, never with another object's
 * body, so two hot counters in neighbouring slots are never in one such unit. 128 bytes of {@code
 * /dev/shm} per object, where a file of its own costs a 4 KiB page and a mapping.
 *
 * <h2>Creating, removing, dying</h2>
 * Lookups take no lock. Creating and removing hold the slab's lock ({@link #LOCK}, an owner word taken over from a
 * dead holder) and write a journal first: the operation, the slot, the bucket, and the values the control words
 * will have after it. An insert writes the slot's name and body, publishes its state LIVE (release), then writes
 * the bucket: that store is the commit. A reader finds a slot only through its bucket, so it never sees one half
 * made. Whoever takes the lock over from a dead holder reads the journal: an insert whose bucket is written is
 * completed (the control words set to the journal's values), one whose bucket is not is undone (the slot FREE
 * again, the control words never changed); a removal or a reclaim is done again. An index rebuild needs no journal:
 * the new generation is a complete file before the one word that publishes it.
 *
 * <p>A removed slot keeps its words until no other process has the namespace open; then it goes on the free list
 * and is reused (its generation incremented), so a handle another process still holds never writes into another
 * object's words.
 */
public final class SlabLayout {
  /** The longest name a slot holds (ASCII bytes); a longer one keeps a file of its own. */
  public static final int MAX_NAME_BYTES = 48;
  /** The system property that caps the small objects of one namespace (live and removed). */
  public static final String MAX_OBJECTS_PROPERTY = "ipckit.maxObjects";
  /** The default cap: 4 Mi objects, 512 MiB of {@code /dev/shm}. */
  public static final long DEFAULT_MAX_OBJECTS = 1L << 22;
  /** Slots a slab can ever have (bucket values hold slot + 1 in 32 bits). */
  static final long MAX_SLOTS = (1L << 31) - 1;

  static final int FIRST_SLOTS = 256;
  /** Chunks from this one on have 2^20 slots each. */
  private static final int BIG_CHUNK = 12;
  private static final int BIG_SLOTS = FIRST_SLOTS << BIG_CHUNK;
  private static final long BIG_START = (long) FIRST_SLOTS * ((1L << BIG_CHUNK) - 1);
  /** Where the meta records of a chunk start: after its header and (chunk 0) the control block. */
  static final int META_START = 4096;
  static final int META = 64;
  /** Bytes of one slot: its body, then its meta record, one aligned 128-byte pair of cache lines. */
  static final int SLOT = Cell.BODY + META;

  // control block, in chunk 0
  static final int LOCK = FileHeader.LENGTH;
  static final int LOCK_TAKEOVERS = LOCK + 8;
  static final int NEXT_FRESH = FileHeader.LENGTH + FileHeader.CACHE_LINE;
  static final int FREE_HEAD = NEXT_FRESH + 8;
  static final int LIVE = FREE_HEAD + 8;
  static final int REMOVED = LIVE + 8;
  /** The published index: generation &lt;&lt; 8 | log2(buckets). */
  static final int INDEX = REMOVED + 8;
  static final int INDEX_USED = INDEX + 8;
  static final int J_OP = NEXT_FRESH + 2 * FileHeader.CACHE_LINE;
  static final int J_SLOT = J_OP + 8;
  static final int J_BUCKET = J_SLOT + 8;
  static final int J_GENERATION = J_BUCKET + 8;
  static final int J_NEXT_FRESH = J_GENERATION + 8;
  static final int J_FREE_HEAD = J_NEXT_FRESH + 8;
  static final int J_LIVE = J_FREE_HEAD + 8;
  static final int J_REMOVED = J_LIVE + 8;
  static final int J_INDEX_USED = J_REMOVED + 8;
  static final int J_ENTRY = J_INDEX_USED + 8;
  static final int J_STATE = J_ENTRY + 8;

  static final long INSERT = 1;
  static final long REMOVE = 2;
  static final long RECLAIM = 3;

  // meta record
  static final int M_STATE = 0;
  static final int M_HASH = 8;
  static final int M_LENGTH = 12;
  static final int M_NEXT = 8;
  static final int M_NAME = 16;
  /** The sleep word, from the body's start. */
  static final int SLEEP = Cell.BODY - 8;

  static final int FREE = 0;
  static final int LIVE_STATUS = 1;
  static final int REMOVED_STATUS = 2;

  static final long EMPTY = 0L;
  static final long TOMBSTONE = 1L << 32;
  static final int MIN_INDEX_LOG = 10;

  static final String CHUNK_PREFIX = ".slab-";
  static final String INDEX_PREFIX = ".slab-index-";

  /**
   * Fault injection for the crash tests: a JVM started with {@code -D}{@value #HALT_PROPERTY}{@code =N} halts (as
   * {@code kill -9} would stop it, no shutdown hooks) at step N of its first insert. Read once; 0 in production.
   */
  static final String HALT_PROPERTY = "ipckit.slab.haltAt";
  static final int HALT_AFTER_JOURNAL = 1;
  static final int HALT_BEFORE_COMMIT = 2;
  static final int HALT_AFTER_COMMIT = 3;
  static final int HALT_BEFORE_CLEAR = 4;
  static final int HALT_BEFORE_PUBLISH = 5;
  private static final int HALT_AT = Integer.getInteger(HALT_PROPERTY, 0);

  private SlabLayout() {
  }

  static void halt(int step) {
    if (HALT_AT == step) {
      Runtime.getRuntime().halt(137);
    }
  }

  static long maxObjects() {
    String p = System.getProperty(MAX_OBJECTS_PROPERTY);
    if (p == null) {
      return DEFAULT_MAX_OBJECTS;
    }
    try {
      return Math.min(Long.parseLong(p.trim()), MAX_SLOTS);
    } catch (NumberFormatException e) {
      throw new IpcException("system property " + MAX_OBJECTS_PROPERTY + "=\"" + p + "\" is not a number");
    }
  }

  // ---- geometry

  static int chunkOf(long s) {
    if (s < BIG_START) {
      return 63 - Long.numberOfLeadingZeros(s / FIRST_SLOTS + 1);
    }
    return BIG_CHUNK + (int) ((s - BIG_START) / BIG_SLOTS);
  }

  static long chunkStart(int k) {
    return k <= BIG_CHUNK ? (long) FIRST_SLOTS * ((1L << k) - 1) : BIG_START + (long) (k - BIG_CHUNK) * BIG_SLOTS;
  }

  static int chunkSlots(int k) {
    return k < BIG_CHUNK ? FIRST_SLOTS << k : BIG_SLOTS;
  }

  static int metaOffset(long s) {
    return bodyOffset(s) + Cell.BODY;
  }

  static int bodyOffset(long s) {
    return META_START + (int) (s - chunkStart(chunkOf(s))) * SLOT;
  }

  static int bucketOffset(int i) {
    return FileHeader.LENGTH + 8 * i;
  }

  static String chunkName(int k) {
    return String.format("%s%04d", CHUNK_PREFIX, k);
  }

  static String indexName(long generation) {
    return INDEX_PREFIX + generation;
  }

  /** The generation of an index file's name, or -1 if it is not one. */
  static long indexGenerationOf(String fileName) {
    try {
      return fileName.startsWith(INDEX_PREFIX) ? Long.parseLong(fileName.substring(INDEX_PREFIX.length())) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static MappedFile.Spec chunkSpec(int k) {
    long slots = chunkSlots(k);
    return MappedFile.spec(Kind.SLAB, k, slots, META_START - FileHeader.LENGTH + slots * SLOT, null);
  }

  static MappedFile.Spec indexSpec(long generation, int buckets, Consumer<ByteBuffer> init) {
    return MappedFile.spec(Kind.SLAB_INDEX, generation, buckets, 8L * buckets, init);
  }

  // ---- words

  /** The bucket hash of a name: its {@code String.hashCode} (fixed by the JLS), mixed. */
  static int hash(String name) {
    int h = name.hashCode();
    h ^= h >>> 16;
    h *= 0x85eb_ca6b;
    h ^= h >>> 13;
    h *= 0xc2b2_ae35;
    return h ^ (h >>> 16);
  }

  static long entry(int hash, long slot) {
    return (long) hash << 32 | (slot + 1);
  }

  static long slotOf(long entry) {
    return (entry & 0xFFFF_FFFFL) - 1;
  }

  static long state(long generation, int status, Kind kind) {
    return generation << 32 | (long) status << 8 | (kind == null ? 0 : kind.code());
  }

  static int statusOf(long state) {
    return (int) (state >>> 8) & 0xFF;
  }

  /** The kind of a state word; null if unknown. */
  static Kind kindOf(long state) {
    return Kind.of((int) state & 0xFF);
  }

  static long indexWord(long generation, int log) {
    return generation << 8 | log;
  }

  static long generationOf(long indexWord) {
    return indexWord >>> 8;
  }

  static int logOf(long indexWord) {
    int log = (int) indexWord & 0xFF;
    return log == 0 ? MIN_INDEX_LOG : log;           // a fresh slab: generation 0 of the minimum size
  }
}
