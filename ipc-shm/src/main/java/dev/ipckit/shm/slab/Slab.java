package dev.ipckit.shm.slab;

import dev.ipckit.IpcException;
import dev.ipckit.shm.format.Cell;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.format.SafeFiles;
import dev.ipckit.shm.liveness.Liveness;
import dev.ipckit.shm.liveness.OwnerWord;
import dev.ipckit.spi.Deadline;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
  private final SlabFiles files;
  private final SlabJournal journal;
  private final ByteBuffer control;
  private final OwnerWord lock;
  /** When to try reclaiming removed slots again after finding other processes alive (System.nanoTime). */
  private long reclaimNotBefore = System.nanoTime();   // a deadline: passed at once

  private Slab(Path dir, Object dirKey, Liveness liveness, BooleanSupplier othersAlive) {
    this.dir = dir;
    this.dirKey = dirKey;
    this.liveness = liveness;
    this.othersAlive = othersAlive;
    this.files = new SlabFiles(dir, dirKey);
    this.journal = new SlabJournal(files);
    this.control = files.control;
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
    return s < 0 ? 0L : files.meta(s, SlabLayout.M_STATE);
  }

  /** The slot of the live object {@code name}, or -1. */
  public long find(String name) {
    return find(words(name), name.length(), SlabLayout.hash(name));
  }

  private long find(long[] w, int length, int hash) {
    for (;;) {
      SlabFiles.Index idx = files.index();
      long r = probe(idx, w, length, hash);
      if (r >= 0) {
        return slotIn(r);
      }
      if (files.currentGeneration() == idx.generation) {
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
    long[] w = words(name);
    int hash = SlabLayout.hash(name);
    long s = find(w, name.length(), hash);
    if (s < 0) {
      s = create(name, w, hash, kind, init);
      if (s < 0) {
        return null;
      }
    }
    long state = files.meta(s, SlabLayout.M_STATE);
    checkKind(name, state, kind);
    return cell(s, state);
  }

  /** The cell of the live object {@code name}, checked to be of {@code kind}; null if there is none. */
  public Cell openExisting(String name, Kind kind) {
    long s = find(name);
    if (s < 0) {
      return null;
    }
    long state = files.meta(s, SlabLayout.M_STATE);
    checkKind(name, state, kind);
    return cell(s, state);
  }

  /** True while the slot behind {@code c} (from {@link #open}) still holds the object it held then. */
  public boolean current(Cell c) {
    return files.meta(c.slot(), SlabLayout.M_STATE) == c.stamp();
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
    MappedFile c = files.chunk(SlabLayout.chunkOf(s));
    int body = SlabLayout.bodyOffset(s);
    return new Cell(c.buffer(), body, body + SlabLayout.SLEEP, s, state);
  }

  /** What {@link #probe} returns for a miss in a table with no empty or tombstone bucket (only a damaged one). */
  private static final long FULL = Long.MIN_VALUE;

  /**
   * Probes {@code idx} for the name: {@code bucket << 32 | slot} ({@link #slotIn}, {@link #bucketIn}) if a live slot
   * of that name is found, else {@code -1 - b} where {@code b} is the first bucket of the probe sequence that an
   * insert may take (empty or a tombstone), or {@link #FULL}.
   */
  private long probe(SlabFiles.Index idx, long[] name, int length, int hash) {
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
        return (long) i << 32 | SlabLayout.slotOf(v);
      }
    }
    return free < 0 ? FULL : -1L - free;          // kept at most half full: FULL only if its words are damaged
  }

  /** The slot of a match {@link #probe} returned. */
  private static long slotIn(long match) {
    return match & 0xFFFF_FFFFL;
  }

  /** The bucket of a match {@link #probe} returned. */
  private static int bucketIn(long match) {
    return (int) (match >>> 32);
  }

  /** True when slot {@code s} is live and holds the name; a damaged bucket pointing anywhere is just no match. */
  private boolean matches(long s, long[] name, int length, int hash) {
    if (s < 0 || s >= files.nextFresh() || s >= SlabLayout.MAX_SLOTS) {
      return false;
    }
    ByteBuffer b = files.chunk(SlabLayout.chunkOf(s)).buffer();
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
        if (journal.pending()) {
          journal.recover();
        }
        return op.get();
      } finally {
        lock.release();
      }
    }
  }

  private long create(String name, long[] w, int hash, Kind kind, Consumer<Cell> init) {
    if (dirKey != null) {
      SafeFiles.checkSameDirectory(dir, dirKey);   // a directory replaced under the namespace gets no new object
    }
    boolean[] inserted = new boolean[1];
    long s = locked(() -> {
      SlabFiles.Index idx = files.currentIndex();
      long r = probe(idx, w, name.length(), hash);
      if (r >= 0) {
        return slotIn(r);                           // created meanwhile
      }
      if (r == FULL || files.used() + 1 > (idx.mask + 1) / 2) {
        idx = rebuild(idx);
        r = probe(idx, w, name.length(), hash);
        if (r == FULL) {
          throw new IpcException("the slab index of " + dir + " has no free bucket even after a rebuild");
        }
      }
      inserted[0] = true;
      return insert(idx, (int) (-1L - r), name, w, hash, kind, init);
    });
    if (inserted[0] && Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
      // a file of that name (made before, or at the same time: checked after our insert, as the file's maker
      // checks the slab after its link): the file wins
      remove(name);
      return -1;
    }
    return s;
  }

  private long insert(SlabFiles.Index idx, int bucket, String name, long[] w, int hash, Kind kind, Consumer<Cell> init) {
    long cap = SlabLayout.maxObjects();
    if (files.control(SlabLayout.FREE_HEAD) == 0L && files.control(SlabLayout.REMOVED) > 0) {
      long next = files.nextFresh();
      if (files.control(SlabLayout.LIVE) + files.control(SlabLayout.REMOVED) >= cap
          || SlabLayout.chunkStart(SlabLayout.chunkOf(next)) == next) {
        reclaim();                                   // reuse removed slots rather than refuse or make a chunk
      }
    }
    long live = files.control(SlabLayout.LIVE);
    long removed = files.control(SlabLayout.REMOVED);
    if (live + removed >= cap) {
      throw new IpcException("cannot create " + kind.label() + " \"" + name + "\" in " + dir + ": the namespace"
          + " holds " + live + " small objects" + (removed > 0 ? " and " + removed + " removed ones not yet reusable"
          + " (reused once no other process has the namespace open)" : "") + ", the limit (system property "
          + SlabLayout.MAX_OBJECTS_PROPERTY + ") is " + cap);
    }
    long head = files.control(SlabLayout.FREE_HEAD);
    long next = files.nextFresh();
    long s;
    long postHead;
    long postNext;
    if (head != 0L) {
      s = head - 1;
      if (s < 0 || s >= next || SlabLayout.statusOf(files.meta(s, SlabLayout.M_STATE)) != SlabLayout.FREE) {
        throw new IpcException("the slab of " + dir + " is damaged: its free list starts at slot " + s + ", which is"
            + (s < 0 || s >= next ? " past the " + next + " slots in use" : " not free"));
      }
      postHead = files.meta(s, SlabLayout.M_NEXT);
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
        files.newChunk(k);                                // exists before any word says one of its slots is in use
      }
    }
    long state = SlabLayout.state((files.meta(s, SlabLayout.M_STATE) >>> 32) + 1, SlabLayout.LIVE_STATUS, kind);
    long entry = SlabLayout.entry(hash, s);
    boolean fresh = idx.bucket(bucket) == SlabLayout.EMPTY;
    journal.write(SlabLayout.INSERT, s, bucket, idx.generation, postNext, postHead, live + 1, removed,
        files.control(SlabLayout.INDEX_USED) + (fresh ? 1 : 0), entry, state);
    ByteBuffer b = files.chunk(SlabLayout.chunkOf(s)).buffer();
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
    journal.apply();
    return s;
  }

  /**
   * Removes the live object {@code name}: its slot is marked removed and its bucket becomes a tombstone. The slot
   * is reused only once no other process has the namespace open, so a handle another process still has keeps
   * working on words nobody else uses, as a removed file's mapping does. True if it existed.
   */
  public boolean remove(String name) {
    return locked(() -> {
      SlabFiles.Index idx = files.currentIndex();
      long r = probe(idx, words(name), name.length(), SlabLayout.hash(name));
      if (r < 0) {
        return false;
      }
      long s = slotIn(r);
      int bucket = bucketIn(r);
      long state = files.meta(s, SlabLayout.M_STATE);
      long removed = SlabLayout.state(state >>> 32, SlabLayout.REMOVED_STATUS, SlabLayout.kindOf(state));
      journal.write(SlabLayout.REMOVE, s, bucket, idx.generation, files.nextFresh(),
          files.control(SlabLayout.FREE_HEAD), files.control(SlabLayout.LIVE) - 1,
          files.control(SlabLayout.REMOVED) + 1, files.control(SlabLayout.INDEX_USED), idx.bucket(bucket), removed);
      Mem.LONG.setRelease(files.chunk(SlabLayout.chunkOf(s)).buffer(), SlabLayout.metaOffset(s) + SlabLayout.M_STATE,
          removed);
      Mem.LONG.setVolatile(idx.buf, SlabLayout.bucketOffset(bucket), SlabLayout.TOMBSTONE);
      journal.apply();
      return true;
    });
  }

  /**
   * Puts the removed slots back on the free list, if no other process has the namespace open (none can hold a
   * handle of one then); true if any was. Holding the lock.
   */
  private boolean reclaim() {
    if (!Deadline.passed(reclaimNotBefore) || othersAlive.getAsBoolean()) {
      reclaimNotBefore = Deadline.after(1L, TimeUnit.SECONDS);   // not before a second has passed
      return false;
    }
    long end = files.nextFresh();
    boolean any = false;
    for (long s = 0; s < end; s++) {
      long state = files.meta(s, SlabLayout.M_STATE);
      if (SlabLayout.statusOf(state) == SlabLayout.REMOVED_STATUS) {
        ByteBuffer b = files.chunk(SlabLayout.chunkOf(s)).buffer();
        b.putLong(SlabLayout.metaOffset(s) + SlabLayout.M_NEXT, files.control(SlabLayout.FREE_HEAD));
        long free = SlabLayout.state(state >>> 32, SlabLayout.FREE, null);
        journal.write(SlabLayout.RECLAIM, s, -1, -1, end, s + 1, files.control(SlabLayout.LIVE),
            files.control(SlabLayout.REMOVED) - 1, files.control(SlabLayout.INDEX_USED), 0L, free);
        Mem.LONG.setRelease(b, SlabLayout.metaOffset(s) + SlabLayout.M_STATE, free);
        journal.apply();
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
  private SlabFiles.Index rebuild(SlabFiles.Index old) {
    // from the slots, the truth, not from the old buckets: an index whose words were damaged is made whole again
    long end = files.nextFresh();
    long live = 0;
    for (long s = 0; s < end; s++) {
      if (SlabLayout.statusOf(files.meta(s, SlabLayout.M_STATE)) == SlabLayout.LIVE_STATUS) {
        live++;
      }
    }
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
          for (long s = 0; s < end; s++) {
            String name = SlabLayout.statusOf(files.meta(s, SlabLayout.M_STATE)) == SlabLayout.LIVE_STATUS
                ? files.nameOf(s) : null;
            if (name != null) {
              int hash = SlabLayout.hash(name);
              int j = hash & mask;
              while (nb.getLong(SlabLayout.bucketOffset(j)) != SlabLayout.EMPTY) {
                j = (j + 1) & mask;
              }
              nb.putLong(SlabLayout.bucketOffset(j), SlabLayout.entry(hash, s));
            }
          }
        }));
    SlabFiles.Index idx = new SlabFiles.Index(generation, f.buffer(), buckets);
    SlabLayout.halt(SlabLayout.HALT_BEFORE_PUBLISH);
    Mem.LONG.setRelease(control, SlabLayout.INDEX_USED, live);
    Mem.LONG.setRelease(control, SlabLayout.INDEX, SlabLayout.indexWord(generation, log));
    files.probeFrom(idx);
    files.deleteOldIndexes(generation);
    return idx;
  }

  // ---- listing

  /** The live objects: name and kind, in slot order. */
  public List<Entry> entries() {
    long end = files.nextFresh();
    List<Entry> out = new ArrayList<>();
    for (long s = 0; s < end; s++) {
      long state = files.meta(s, SlabLayout.M_STATE);
      if (SlabLayout.statusOf(state) == SlabLayout.LIVE_STATUS) {
        String name = files.nameOf(s);
        if (name != null) {
          out.add(new Entry(name, SlabLayout.kindOf(state), cell(s, state)));
        }
      }
    }
    return out;
  }

  /** One live object of the slab: its name, its kind (null for a kind this version does not know) and its cell. */
  public record Entry(String name, Kind kind, Cell cell) {
  }

  /** The cell of the live object {@code name}, or null (for reading its words: a lock's owner). */
  public Cell cellOf(String name) {
    long s = find(name);
    return s < 0 ? null : cell(s, files.meta(s, SlabLayout.M_STATE));
  }



  /**
   * What the slab's words say now, checked for consistency (for tests and the inspector). Holds the lock, so the
   * journal of a dead holder is recovered first.
   */
  public Census census() {
    return locked(() -> Census.take(this, files, lock.takeovers()));
  }

  @Override
  public String toString() {
    return "Slab[" + dir + "]";
  }
}
