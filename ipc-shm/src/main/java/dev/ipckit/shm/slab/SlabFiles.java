package dev.ipckit.shm.slab;

import dev.ipckit.IpcException;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The slab's files as this JVM maps them: its chunks (each mapped once, for the life of the slab), the generation
 * of the index it probes, and the words of the control block and of the slots' meta records. Chunk 0 is made with
 * the slab; a later chunk only by {@link #newChunk}, holding the slab's lock, after the one before it: a word that
 * names a slot of a chunk that does not exist is damaged, an IpcException.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads; the mappings are published through volatile fields.
 */
final class SlabFiles {
  final Path dir;
  final Object dirKey;
  /** The chunks mapped so far, by index; grown under {@code this}. */
  private volatile MappedFile[] chunks = new MappedFile[0];
  /** Chunk 0's buffer: the control block. */
  final ByteBuffer control;
  /** The index this JVM probes; replaced when another generation is published. */
  private volatile Index index;

  /** One generation of the name index, mapped. */
  static final class Index {
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

  SlabFiles(Path dir, Object dirKey) {
    this.dir = dir;
    this.dirKey = dirKey;
    this.control = chunk(0).buffer();
  }

  /** Makes {@code idx}, just published, the one this JVM probes. */
  void probeFrom(Index idx) {
    index = idx;
  }

  long control(int at) {
    return (long) Mem.LONG.getAcquire(control, at);
  }

  long nextFresh() {
    return control(SlabLayout.NEXT_FRESH);
  }

  long used() {
    return control(SlabLayout.INDEX_USED);
  }

  long currentGeneration() {
    return SlabLayout.generationOf(control(SlabLayout.INDEX));
  }

  /** A word of slot {@code s}'s meta record. */
  long meta(long s, int field) {
    return (long) Mem.LONG.getAcquire(chunk(SlabLayout.chunkOf(s)).buffer(), SlabLayout.metaOffset(s) + field);
  }

  /** The index this JVM should probe: the published generation, mapped on first use. */
  Index index() {
    Index idx = index;
    return idx != null && idx.generation == currentGeneration() ? idx : currentIndex();
  }

  Index currentIndex() {
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
        idx = new Index(generation, f.buffer(), 1 << log);
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
  MappedFile chunk(int k) {
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

  /** Makes chunk {@code k} (the one after the last), holding the slab's lock. */
  void newChunk(int k) {
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

  /** The name in slot {@code s}'s meta record; null if its length is damaged. */
  String nameOf(long s) {
    ByteBuffer b = chunk(SlabLayout.chunkOf(s)).buffer();
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
  /** Deletes the index files of generations before {@code current}. */
  void deleteOldIndexes(long current) {
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
  }}
