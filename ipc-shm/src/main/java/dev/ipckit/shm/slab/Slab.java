package dev.ipckit.shm.slab;

import dev.ipckit.IpcException;
import dev.ipckit.shm.format.Cell;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.format.SafeFiles;
import dev.ipckit.shm.liveness.Liveness;
import dev.ipckit.shm.liveness.OwnerWord;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The slab of one namespace in this JVM: where its small objects live, many to a mapping. The layout, the
 * insert protocol and what a process killed at any instant leaves are in {@link SlabLayout}; this class is the
 * code.
 *
 * <p>Lookups ({@link #find}, {@link #open} of an existing name) take no lock: a hash, a probe or two in the index,
 * one compare of the name. Creating, removing and reclaiming take the slab's lock: a JVM monitor, then the
 * shared owner word in chunk 0, taken over from a holder that died; whoever takes it over first completes or
 * undoes the dead holder's operation from the journal.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads and processes.
 */
public final class Slab {
  private final Path dir;
  private final Object dirKey;
  private final Liveness liveness;
  /** Whether another process has the namespace open (a removed slot is reused only when none has). */
  private final BooleanSupplier othersAlive;
  /** The chunks mapped so far, by index; grown under {@code this}. */
  private volatile MappedFile[] chunks = new MappedFile[0];
  private final ByteBuffer control;
  private final OwnerWord lock;
  /** The index this JVM probes; replaced when another generation is published. */
  private volatile Index index;
  /** When to try reclaiming removed slots again after finding other processes alive (System.nanoTime). */
  private long reclaimNotBefore;

  /** One generation of the name index, mapped. */
  private static final class Index {
    final long generation;
    final ByteBuffer buf;
    final int mask;

    Index(long generation, ByteBuffer buf, int buckets) {
      this.generation = generation;
      this.buf = buf;
      this.mask = buckets - 1;
    }

    long bucket(int i) {
      return (long) Mem.LONG.getAcquire(buf, SlabLayout.bucketOffset(i));
    }
  }

  private Slab(Path dir, Object dirKey, Liveness liveness, BooleanSupplier othersAlive) {
    this.dir = dir;
    this.dirKey = dirKey;
    this.liveness = liveness;
    this.othersAlive = othersAlive;
    MappedFile first = chunk(0);
    this.control = first.buffer;
    this.lock = new OwnerWord(control, SlabLayout.LOCK, SlabLayout.LOCK_TAKEOVERS, liveness);
  }

  /** The slab of {@code dir}, created empty if it has none yet. */
  public static Slab open(Path dir, Object dirKey, Liveness liveness, BooleanSupplier othersAlive) {
    return new Slab(dir, dirKey, liveness, othersAlive);
  }

  /** True when {@code dir} has a slab (its first chunk exists). */
  public static boolean exists(Path dir) {
    return Files.exists(dir.resolve(SlabLayout.chunkName(0)), LinkOption.NOFOLLOW_LINKS);
  }

  /** The kind of a state word ({@link #stateOf}); null for a code this version does not know. */
  public static Kind kindOf(long state) {
    return SlabLayout.kindOf(state);
  }

  /** True when the object {@code name} would live in a slab: its name fits a slot. */
  public static boolean fits(String name) {
    return name.length() <= SlabLayout.MAX_NAME_BYTES;   // object names are ASCII
  }

  // ---- lookups, lock-free

  /** The name as a slot stores it: ASCII bytes, zero-padded to whole longs. */
  private static long[] words(String name) {
    long[] w = new long[SlabLayout.MAX_NAME_BYTES / 8];
    boolean little = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
    for (int i = 0; i < name.length(); i++) {
      int shift = little ? (i & 7) << 3 : (7 - (i & 7)) << 3;
      w[i >> 3] |= (long) (name.charAt(i) & 0xFF) << shift;   // object names are ASCII
    }
    return w;
  }

  /** The state word of the live object {@code name} (kind in its low byte), or 0 if there is none. */
  public long stateOf(String name) {
    long s = find(name);
    return s < 0 ? 0L : meta(s, SlabLayout.M_STATE);
  }

  /** The slot of the live object {@code name}, or -1. */
  public long find(String name) {
    long[] w = words(name);
    int hash = SlabLayout.hash(name);
    for (;;) {
      Index idx = index();
      long r = probe(idx, w, name.length(), hash);
      if (r >= 0) {
        return r;
      }
      if (currentGeneration() == idx.generation) {
        return -1;
      }
      // a rebuilt index holds what was inserted since: look there
    }
  }

  /**
   * The cell of the small object {@code name} of {@code kind}, opened, or created with a zero body on which {@code
   * init} (when not null) then runs: IllegalArgumentException if the name holds another kind. Null when the
   * directory has an entry of that name (a file of its own, or something in the way): the caller opens it as a
   * file, with the checks files get.
   */
  public Cell open(String name, Kind kind, Consumer<Cell> init) {
    long s = find(name);
    if (s < 0) {
      s = create(name, kind, init);
      if (s < 0) {
        return null;
      }
    }
    long state = meta(s, SlabLayout.M_STATE);
    checkKind(name, state, kind);
    return cell(s, state);
  }

  /** The cell of the live object {@code name}, checked to be of {@code kind}; null if there is none. */
  public Cell openExisting(String name, Kind kind) {
    long s = find(name);
    if (s < 0) {
      return null;
    }
    long state = meta(s, SlabLayout.M_STATE);
    checkKind(name, state, kind);
    return cell(s, state);
  }

  /** True while the slot behind {@code c} (from {@link #open}) still holds the object it held then. */
  public boolean current(Cell c) {
    return meta(c.slot, SlabLayout.M_STATE) == c.stamp;
  }

  private void checkKind(String name, long state, Kind kind) {
    Kind found = SlabLayout.kindOf(state);
    if (found != kind) {
      throw new IllegalArgumentException("\"" + name + "\" in " + dir + " is a "
          + (found == null ? "slab object of unknown kind " + (state & 0xFF) : found.label()) + ", not a "
          + kind.label());
    }
  }

  private Cell cell(long s, long state) {
    MappedFile c = chunk(SlabLayout.chunkOf(s));
    int body = SlabLayout.bodyOffset(s);
    return new Cell(c.buffer, body, body + SlabLayout.SLEEP, s, state);
  }

  /**
   * Probes {@code idx} for the name: its slot if a live slot of that name is found, else {@code -1 - b} where {@code
   * b} is the first bucket of the probe sequence that an insert may take (empty or a tombstone).
   */
  private long probe(Index idx, long[] name, int length, int hash) {
    int i = hash & idx.mask;
    int free = -1;
    for (int n = 0; n <= idx.mask; n++, i = (i + 1) & idx.mask) {
      long v = idx.bucket(i);
      if (v == SlabLayout.EMPTY) {
        return -1L - (free < 0 ? i : free);
      }
      if (v == SlabLayout.TOMBSTONE) {
        if (free < 0) {
          free = i;
        }
      } else if ((int) (v >>> 32) == hash && matches(SlabLayout.slotOf(v), name, length, hash)) {
        return SlabLayout.slotOf(v);
      }
    }
    return -1L - free;                            // never full: kept at most half full
  }

  /** True when slot {@code s} is live and holds the name; a damaged bucket pointing anywhere is just no match. */
  private boolean matches(long s, long[] name, int length, int hash) {
    if (s < 0 || s >= nextFresh() || s >= SlabLayout.MAX_SLOTS) {
      return false;
    }
    ByteBuffer b = chunk(SlabLayout.chunkOf(s)).buffer;
    int at = SlabLayout.metaOffset(s);
    long before = (long) Mem.LONG.getAcquire(b, at + SlabLayout.M_STATE);
    if (SlabLayout.statusOf(before) != SlabLayout.LIVE_STATUS || b.getInt(at + SlabLayout.M_HASH) != hash
        || b.getInt(at + SlabLayout.M_LENGTH) != length) {
      return false;
    }
    for (int k = 0; k < name.length; k++) {
      if (b.getLong(at + SlabLayout.M_NAME + 8 * k) != name[k]) {
        return false;
      }
    }
    VarHandle.acquireFence();                     // the name was read before the state is read again
    return (long) Mem.LONG.getOpaque(b, at + SlabLayout.M_STATE) == before;
  }

  // ---- the lock, the journal and what needs them

  /** Runs {@code op} holding the slab's lock, after completing or undoing what a dead holder left. */
  private <T> T locked(java.util.function.Supplier<T> op) {
    synchronized (this) {
      lock.acquireBriefly();
      try {
        if ((long) Mem.LONG.getAcquire(control, SlabLayout.J_OP) != 0L) {
          recover();
        }
        return op.get();
      } finally {
        lock.release();
      }
    }
  }

  private long create(String name, Kind kind, Consumer<Cell> init) {
    if (dirKey != null) {
      SafeFiles.checkSameDirectory(dir, dirKey);   // a directory replaced under the namespace gets no new object
    }
    long s = locked(() -> {
      long[] w = words(name);
      int hash = SlabLayout.hash(name);
      Index idx = currentIndex();
      long r = probe(idx, w, name.length(), hash);
      if (r >= 0) {
        return r;                                   // created meanwhile
      }
      if (used() + 1 > (idx.mask + 1) / 2) {
        idx = rebuild(idx);
        r = probe(idx, w, name.length(), hash);
      }
      return insert(idx, (int) (-1L - r), name, w, hash, kind, init);
    });
    if (Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
      // a file of that name (made before, or at the same time: checked after our insert, as the file's maker
      // checks the slab after its link): the file wins
      remove(name);
      return -1;
    }
    return s;
  }

  private long insert(Index idx, int bucket, String name, long[] w, int hash, Kind kind, Consumer<Cell> init) {
    long cap = SlabLayout.maxObjects();
    if (control(SlabLayout.FREE_HEAD) == 0L && control(SlabLayout.REMOVED) > 0) {
      long next = nextFresh();
      if (control(SlabLayout.LIVE) + control(SlabLayout.REMOVED) >= cap
          || SlabLayout.chunkStart(SlabLayout.chunkOf(next)) == next) {
        reclaim();                                   // reuse removed slots rather than refuse or make a chunk
      }
    }
    long live = control(SlabLayout.LIVE);
    long removed = control(SlabLayout.REMOVED);
    if (live + removed >= cap) {
      throw new IpcException("cannot create " + kind.label() + " \"" + name + "\" in " + dir + ": the namespace"
          + " holds " + live + " small objects" + (removed > 0 ? " and " + removed + " removed ones not yet reusable"
          + " (reused once no other process has the namespace open)" : "") + ", the limit (system property "
          + SlabLayout.MAX_OBJECTS_PROPERTY + ") is " + cap);
    }
    long head = control(SlabLayout.FREE_HEAD);
    long next = nextFresh();
    long s;
    long postHead;
    long postNext;
    if (head != 0L) {
      s = head - 1;
      if (s < 0 || s >= next || SlabLayout.statusOf(meta(s, SlabLayout.M_STATE)) != SlabLayout.FREE) {
        throw new IpcException("the slab of " + dir + " is damaged: its free list starts at slot " + s + ", which is"
            + (s < 0 || s >= next ? " past the " + next + " slots in use" : " not free"));
      }
      postHead = meta(s, SlabLayout.M_NEXT);
      postNext = next;
    } else {
      s = next;
      postHead = 0L;
      postNext = next + 1;
      if (s >= SlabLayout.MAX_SLOTS) {
        throw new IpcException("the slab of " + dir + " is full: " + s + " slots");
      }
      int k = SlabLayout.chunkOf(s);
      if (SlabLayout.chunkStart(k) == s) {
        newChunk(k);                                // exists before any word says one of its slots is in use
      }
    }
    long state = SlabLayout.state((meta(s, SlabLayout.M_STATE) >>> 32) + 1, SlabLayout.LIVE_STATUS, kind);
    long entry = SlabLayout.entry(hash, s);
    boolean fresh = idx.bucket(bucket) == SlabLayout.EMPTY;
    journal(SlabLayout.INSERT, s, bucket, idx.generation, postNext, postHead, live + 1, removed,
        control(SlabLayout.INDEX_USED) + (fresh ? 1 : 0), entry, state);
    ByteBuffer b = chunk(SlabLayout.chunkOf(s)).buffer;
    int m = SlabLayout.metaOffset(s);
    b.putInt(m + SlabLayout.M_HASH, hash);
    b.putInt(m + SlabLayout.M_LENGTH, name.length());
    for (int k = 0; k < w.length; k++) {
      b.putLong(m + SlabLayout.M_NAME + 8 * k, w[k]);
    }
    int body = SlabLayout.bodyOffset(s);
    for (int k = 0; k < Cell.BODY; k += 8) {
      b.putLong(body + k, 0L);
    }
    if (init != null) {
      init.accept(new Cell(b, body, body + SlabLayout.SLEEP, s, state));
    }
    Mem.LONG.setRelease(b, m + SlabLayout.M_STATE, state);        // the slot, then the bucket that finds it
    SlabLayout.halt(SlabLayout.HALT_BEFORE_COMMIT);
    Mem.LONG.setVolatile(idx.buf, SlabLayout.bucketOffset(bucket), entry);   // the commit point
    SlabLayout.halt(SlabLayout.HALT_AFTER_COMMIT);
    applyJournal();
    return s;
  }

  /** Writes the journal of one operation: the post values of the control words, then its op (release). */
  private void journal(long op, long slot, long bucket, long generation, long postNext, long postHead,
      long postLive, long postRemoved, long postUsed, long entry, long state) {
    control.putLong(SlabLayout.J_SLOT, slot);
    control.putLong(SlabLayout.J_BUCKET, bucket);
    control.putLong(SlabLayout.J_GENERATION, generation);
    control.putLong(SlabLayout.J_NEXT_FRESH, postNext);
    control.putLong(SlabLayout.J_FREE_HEAD, postHead);
    control.putLong(SlabLayout.J_LIVE, postLive);
    control.putLong(SlabLayout.J_REMOVED, postRemoved);
    control.putLong(SlabLayout.J_INDEX_USED, postUsed);
    control.putLong(SlabLayout.J_ENTRY, entry);
    control.putLong(SlabLayout.J_STATE, state);
    Mem.LONG.setRelease(control, SlabLayout.J_OP, op);
    SlabLayout.halt(SlabLayout.HALT_AFTER_JOURNAL);
  }

  /** Sets the control words to the journal's post values and clears the journal: the operation is complete. */
  private void applyJournal() {
    Mem.LONG.setRelease(control, SlabLayout.FREE_HEAD, control.getLong(SlabLayout.J_FREE_HEAD));
    Mem.LONG.setRelease(control, SlabLayout.LIVE, control.getLong(SlabLayout.J_LIVE));
    Mem.LONG.setRelease(control, SlabLayout.REMOVED, control.getLong(SlabLayout.J_REMOVED));
    Mem.LONG.setRelease(control, SlabLayout.INDEX_USED, control.getLong(SlabLayout.J_INDEX_USED));
    Mem.LONG.setRelease(control, SlabLayout.NEXT_FRESH, control.getLong(SlabLayout.J_NEXT_FRESH));
    SlabLayout.halt(SlabLayout.HALT_BEFORE_CLEAR);
    Mem.LONG.setRelease(control, SlabLayout.J_OP, 0L);
  }

  /**
   * Completes or undoes the operation in the journal, left by a holder of the lock that died: an insert whose
   * bucket was written is completed, one whose bucket was not is undone (its slot free again); a removal and a
   * reclaim are done again (each step writes what the journal says, so doing one twice is doing it once).
   */
  private void recover() {
    long op = control.getLong(SlabLayout.J_OP);
    long s = control.getLong(SlabLayout.J_SLOT);
    long state = control.getLong(SlabLayout.J_STATE);
    if (s < 0 || s >= SlabLayout.MAX_SLOTS || s > nextFresh()) {
      throw new IpcException("the slab of " + dir + " is damaged: its journal names slot " + s + " (op " + op + ")");
    }
    ByteBuffer b = chunk(SlabLayout.chunkOf(s)).buffer;
    int m = SlabLayout.metaOffset(s);
    Index idx = currentIndex();
    int bucket = (int) control.getLong(SlabLayout.J_BUCKET);
    boolean sameIndex = control.getLong(SlabLayout.J_GENERATION) == idx.generation && bucket >= 0
        && bucket <= idx.mask;
    if (op == SlabLayout.INSERT) {
      if (sameIndex && idx.bucket(bucket) == control.getLong(SlabLayout.J_ENTRY)) {
        Mem.LONG.setRelease(b, m + SlabLayout.M_STATE, state);
        applyJournal();
        return;
      }
      // undo: the slot is free again, as the control words (not yet changed) still say
      if (s != nextFresh()) {
        b.putLong(m + SlabLayout.M_NEXT, control.getLong(SlabLayout.J_FREE_HEAD)); // back on the free list
      }
      Mem.LONG.setRelease(b, m + SlabLayout.M_STATE, SlabLayout.state(state >>> 32, SlabLayout.FREE, null));
      Mem.LONG.setRelease(control, SlabLayout.J_OP, 0L);
    } else if (op == SlabLayout.REMOVE) {
      Mem.LONG.setRelease(b, m + SlabLayout.M_STATE, state);
      if (sameIndex) {
        Mem.LONG.setVolatile(idx.buf, SlabLayout.bucketOffset(bucket), SlabLayout.TOMBSTONE);
      }
      applyJournal();
    } else if (op == SlabLayout.RECLAIM) {
      Mem.LONG.setRelease(b, m + SlabLayout.M_STATE, state);
      applyJournal();
    } else {
      throw new IpcException("the slab of " + dir + " is damaged: its journal holds op " + op);
    }
  }

  /**
   * Removes the live object {@code name}: its slot is marked removed and its bucket becomes a tombstone. The slot
   * is reused only once no other process has the namespace open, so a handle another process still has keeps
   * working on words nobody else uses, as a removed file's mapping does. True if it existed.
   */
  public boolean remove(String name) {
    return locked(() -> {
      long[] w = words(name);
      int hash = SlabLayout.hash(name);
      Index idx = currentIndex();
      int i = hash & idx.mask;
      for (int n = 0; n <= idx.mask; n++, i = (i + 1) & idx.mask) {
        long v = idx.bucket(i);
        if (v == SlabLayout.EMPTY) {
          return false;
        }
        if (v != SlabLayout.TOMBSTONE && (int) (v >>> 32) == hash && matches(SlabLayout.slotOf(v), w,
            name.length(), hash)) {
          long s = SlabLayout.slotOf(v);
          long state = meta(s, SlabLayout.M_STATE);
          journal(SlabLayout.REMOVE, s, i, idx.generation, nextFresh(), control(SlabLayout.FREE_HEAD),
              control(SlabLayout.LIVE) - 1, control(SlabLayout.REMOVED) + 1, control(SlabLayout.INDEX_USED), v,
              SlabLayout.state(state >>> 32, SlabLayout.REMOVED_STATUS, SlabLayout.kindOf(state)));
          Mem.LONG.setRelease(chunk(SlabLayout.chunkOf(s)).buffer, SlabLayout.metaOffset(s) + SlabLayout.M_STATE,
              control.getLong(SlabLayout.J_STATE));
          Mem.LONG.setVolatile(idx.buf, SlabLayout.bucketOffset(i), SlabLayout.TOMBSTONE);
          applyJournal();
          return true;
        }
      }
      return false;
    });
  }

  /**
   * Puts the removed slots back on the free list, if no other process has the namespace open (none can hold a
   * handle of one then); true if any was. Holding the lock.
   */
  private boolean reclaim() {
    if (System.nanoTime() - reclaimNotBefore < 0 || othersAlive.getAsBoolean()) {
      reclaimNotBefore = System.nanoTime() + 1_000_000_000L;   // not before a second has passed
      return false;
    }
    long end = nextFresh();
    boolean any = false;
    for (long s = 0; s < end; s++) {
      long state = meta(s, SlabLayout.M_STATE);
      if (SlabLayout.statusOf(state) == SlabLayout.REMOVED_STATUS) {
        ByteBuffer b = chunk(SlabLayout.chunkOf(s)).buffer;
        b.putLong(SlabLayout.metaOffset(s) + SlabLayout.M_NEXT, control(SlabLayout.FREE_HEAD));
        journal(SlabLayout.RECLAIM, s, -1, -1, end, s + 1, control(SlabLayout.LIVE),
            control(SlabLayout.REMOVED) - 1, control(SlabLayout.INDEX_USED), 0L,
            SlabLayout.state(state >>> 32, SlabLayout.FREE, null));
        Mem.LONG.setRelease(b, SlabLayout.metaOffset(s) + SlabLayout.M_STATE, control.getLong(SlabLayout.J_STATE));
        applyJournal();
        any = true;
      }
    }
    return any;
  }

  /**
   * Builds the next generation of the index, big enough for four times the live objects (at least the minimum),
   * publishes it and deletes the old one. Holding the lock. A holder killed half-way leaves at most an unpublished
   * file, which the next rebuild replaces.
   */
  private Index rebuild(Index old) {
    long live = control(SlabLayout.LIVE);
    int log = SlabLayout.MIN_INDEX_LOG;
    while ((1L << log) < 4 * (live + 1) && log < 30) {
      log++;
    }
    long generation = old.generation + 1;
    int buckets = 1 << log;
    Path path = dir.resolve(SlabLayout.indexName(generation));
    try {
      Files.deleteIfExists(path);                   // an unpublished one a dead holder left
    } catch (IOException e) {
      throw new IpcException("cannot replace " + path + ": " + e, e);
    }
    MappedFile f = MappedFile.openOrCreate(dir, dirKey, path.getFileName().toString(),
        SlabLayout.indexSpec(generation, buckets, nb -> {
          int mask = buckets - 1;
          for (int i = 0; i <= old.mask; i++) {
            long v = old.bucket(i);
            if (v != SlabLayout.EMPTY && v != SlabLayout.TOMBSTONE
                && SlabLayout.statusOf(meta(SlabLayout.slotOf(v), SlabLayout.M_STATE)) == SlabLayout.LIVE_STATUS) {
              int j = (int) (v >>> 32) & mask;
              while (nb.getLong(SlabLayout.bucketOffset(j)) != SlabLayout.EMPTY) {
                j = (j + 1) & mask;
              }
              nb.putLong(SlabLayout.bucketOffset(j), v);
            }
          }
        }));
    Index idx = new Index(generation, f.buffer, buckets);
    SlabLayout.halt(SlabLayout.HALT_BEFORE_PUBLISH);
    Mem.LONG.setRelease(control, SlabLayout.INDEX_USED, live);
    Mem.LONG.setRelease(control, SlabLayout.INDEX, SlabLayout.indexWord(generation, log));
    index = idx;
    deleteOldIndexes(generation);
    return idx;
  }

  private void deleteOldIndexes(long current) {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, SlabLayout.INDEX_PREFIX + "*")) {
      for (Path p : ds) {
        long g = SlabLayout.indexGenerationOf(p.getFileName().toString());
        if (g >= 0 && g < current) {
          Files.deleteIfExists(p);                  // a process that maps it still may: unlink keeps its mapping
        }
      }
    } catch (IOException e) {
      // an old index left behind costs only its pages; the next rebuild tries again
    }
  }

  // ---- listing

  /** The live objects: name and kind, in slot order. */
  public List<Entry> entries() {
    long end = nextFresh();
    List<Entry> out = new ArrayList<>();
    for (long s = 0; s < end; s++) {
      long state = meta(s, SlabLayout.M_STATE);
      if (SlabLayout.statusOf(state) == SlabLayout.LIVE_STATUS) {
        String name = nameOf(s);
        if (name != null) {
          out.add(new Entry(name, SlabLayout.kindOf(state), cell(s, state)));
        }
      }
    }
    return out;
  }

  /** One live object of the slab. */
  public static final class Entry {
    public final String name;
    /** Null for a kind this version does not know. */
    public final Kind kind;
    public final Cell cell;

    Entry(String name, Kind kind, Cell cell) {
      this.name = name;
      this.kind = kind;
      this.cell = cell;
    }
  }

  /** The cell of the live object {@code name}, or null (for reading its words: a lock's owner). */
  public Cell cellOf(String name) {
    long s = find(name);
    return s < 0 ? null : cell(s, meta(s, SlabLayout.M_STATE));
  }

  private String nameOf(long s) {
    ByteBuffer b = chunk(SlabLayout.chunkOf(s)).buffer;
    int m = SlabLayout.metaOffset(s);
    int length = b.getInt(m + SlabLayout.M_LENGTH);
    if (length <= 0 || length > SlabLayout.MAX_NAME_BYTES) {
      return null;                                  // damaged: not an object anyone can open by name
    }
    byte[] bytes = new byte[length];
    for (int k = 0; k < length; k++) {
      bytes[k] = b.get(m + SlabLayout.M_NAME + k);
    }
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  /**
   * What the slab's words say now, checked for consistency (for tests and the inspector): counts, and every way
   * the words disagree with each other. Holds the lock, so the journal of a dead holder is recovered first.
   */
  public Census census() {
    return locked(() -> {
      Census c = new Census();
      long end = nextFresh();
      c.slots = end;
      c.takeovers = lock.takeovers();
      java.util.Map<String, Long> names = new java.util.HashMap<>();
      for (long s = 0; s < end; s++) {
        long state = meta(s, SlabLayout.M_STATE);
        int status = SlabLayout.statusOf(state);
        if (status == SlabLayout.LIVE_STATUS) {
          c.live++;
          String name = nameOf(s);
          if (name == null) {
            c.problems.add("slot " + s + " is live with a damaged name");
          } else if (names.put(name, s) != null) {
            c.problems.add("\"" + name + "\" is live in slots " + names.get(name) + " and " + s);
          } else if (find(name) != s) {
            c.problems.add("\"" + name + "\" in slot " + s + " is not found by its name");
          }
        } else if (status == SlabLayout.REMOVED_STATUS) {
          c.removed++;
        } else if (status != SlabLayout.FREE) {
          c.problems.add("slot " + s + " has an unknown status " + status);
        }
      }
      java.util.Set<Long> seen = new java.util.HashSet<>();
      for (long head = control(SlabLayout.FREE_HEAD); head != 0L; head = meta(head - 1, SlabLayout.M_NEXT)) {
        long s = head - 1;
        if (s < 0 || s >= end || !seen.add(s)) {
          c.problems.add("the free list is broken at slot " + s);
          break;
        }
        if (SlabLayout.statusOf(meta(s, SlabLayout.M_STATE)) != SlabLayout.FREE) {
          c.problems.add("slot " + s + " is on the free list but not free");
        }
      }
      c.free = seen.size();
      if (c.live + c.removed + c.free != end) {
        c.problems.add((end - c.live - c.removed - c.free) + " slots are neither live, removed nor on the free list"
            + " (leaked)");
      }
      if (c.live != control(SlabLayout.LIVE)) {
        c.problems.add("the live count says " + control(SlabLayout.LIVE) + ", the slots " + c.live);
      }
      if (c.removed != control(SlabLayout.REMOVED)) {
        c.problems.add("the removed count says " + control(SlabLayout.REMOVED) + ", the slots " + c.removed);
      }
      Index idx = currentIndex();
      c.buckets = idx.mask + 1;
      long used = 0;
      for (int i = 0; i <= idx.mask; i++) {
        long v = idx.bucket(i);
        if (v != SlabLayout.EMPTY) {
          used++;
        }
      }
      if (used > control(SlabLayout.INDEX_USED)) {
        c.problems.add("the index has " + used + " used buckets, the control block says " + control(SlabLayout.INDEX_USED));
      }
      c.names = names.keySet();
      return c;
    });
  }

  /** What {@link #census} found. */
  public static final class Census {
    /** Slots ever handed out (the next fresh slot). */
    public long slots;
    public long live;
    public long removed;
    public long free;
    public long buckets;
    /** Times the slab's lock was taken over from a dead holder, ever. */
    public long takeovers;
    public java.util.Set<String> names;
    /** Every disagreement found; empty for a whole slab. */
    public final List<String> problems = new ArrayList<>();

    @Override
    public String toString() {
      return "slots " + slots + " (live " + live + ", removed " + removed + ", free " + free + "), index buckets "
          + buckets + ", lock takeovers " + takeovers + (problems.isEmpty() ? "" : ", problems " + problems);
    }
  }

  // ---- words and files

  private long control(int at) {
    return (long) Mem.LONG.getAcquire(control, at);
  }

  private long nextFresh() {
    return control(SlabLayout.NEXT_FRESH);
  }

  private long used() {
    return control(SlabLayout.INDEX_USED);
  }

  private long currentGeneration() {
    return SlabLayout.generationOf(control(SlabLayout.INDEX));
  }

  /** A word of slot {@code s}'s meta record. */
  long meta(long s, int field) {
    return (long) Mem.LONG.getAcquire(chunk(SlabLayout.chunkOf(s)).buffer, SlabLayout.metaOffset(s) + field);
  }

  /** The index this JVM should probe: the published generation, mapped on first use. */
  private Index index() {
    Index idx = index;
    return idx != null && idx.generation == currentGeneration() ? idx : currentIndex();
  }

  private Index currentIndex() {
    for (int attempt = 0; ; attempt++) {
      long word = control(SlabLayout.INDEX);
      long generation = SlabLayout.generationOf(word);
      Index idx = index;
      if (idx != null && idx.generation == generation) {
        return idx;
      }
      int log = SlabLayout.logOf(word);
      String name = SlabLayout.indexName(generation);
      try {
        MappedFile f = generation == 0
            ? MappedFile.openOrCreate(dir, dirKey, name, SlabLayout.indexSpec(0, 1 << log, null))
            : MappedFile.open(dir.resolve(name), SlabLayout.indexSpec(generation, 1 << log, null));
        idx = new Index(generation, f.buffer, 1 << log);
        synchronized (this) {
          if (index == null || index.generation < generation) {
            index = idx;
          }
        }
        return idx;
      } catch (NoSuchFileException e) {
        if (attempt > 100) {
          throw new IpcException("the slab index " + dir.resolve(name) + " keeps disappearing");
        }
        // replaced by a newer generation meanwhile: read the word again
      } catch (IOException e) {
        throw new IpcException("cannot open " + dir.resolve(name) + ": " + e, e);
      }
    }
  }

  /**
   * Chunk {@code k}, mapped once per JVM. Only chunk 0 is created here (with the slab); any other must exist, since
   * it is made before any word names one of its slots: a missing one means a damaged word, an IpcException.
   */
  private MappedFile chunk(int k) {
    MappedFile[] cs = chunks;
    if (k < cs.length && cs[k] != null) {
      return cs[k];
    }
    if (k > 0 && !Files.exists(dir.resolve(SlabLayout.chunkName(k)), LinkOption.NOFOLLOW_LINKS)) {
      throw new IpcException("the slab of " + dir + " is damaged: a word names a slot of chunk " + k + ", and "
          + dir.resolve(SlabLayout.chunkName(k)) + " does not exist");
    }
    return map(k);
  }

  /** Makes chunk {@code k} (the one after the last), holding the lock. */
  private void newChunk(int k) {
    if (k > 0) {
      chunk(k - 1);                                 // chunks are made in order: the one before must exist
    }
    map(k);
  }

  private MappedFile map(int k) {
    MappedFile[] cs;
    synchronized (this) {
      cs = chunks;
      if (k >= cs.length) {
        cs = java.util.Arrays.copyOf(cs, Math.max(k + 1, cs.length * 2));
      } else if (cs[k] != null) {
        return cs[k];
      } else {
        cs = cs.clone();
      }
      cs[k] = MappedFile.openOrCreate(dir, dirKey, SlabLayout.chunkName(k), SlabLayout.chunkSpec(k));
      chunks = cs;
      return cs[k];
    }
  }

  @Override
  public String toString() {
    return "Slab[" + dir + "]";
  }
}
