package dev.ipckit.shm.inspect;

import dev.ipckit.IpcException;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.SafeFiles;
import dev.ipckit.shm.liveness.Liveness;
import dev.ipckit.shm.liveness.Registry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the {@link Inspector} reads of a namespace's process registry: a copy of the registry file, its claimed
 * slots, and the life of each token asked about, probed once per snapshot by one attempt at a lock on the owner's
 * liveness file ({@link #probeFile}); see the package summary for why that cannot make a live process look dead.
 *
 * <p><b>Thread safety.</b> Not thread-safe: one instance serves one snapshot, read by one thread.
 */
final class Processes {
  private static final int SLOT_LENGTH = 64;
  private static final int REGISTRY_LENGTH = FileHeader.LENGTH + Liveness.SLOTS * SLOT_LENGTH;

  final Path dir;
  final ByteBuffer buf;
  final String problem;
  final List<ProcessSlot> slots;
  private final Map<Long, Life> lives = new HashMap<>();

  private Processes(Path dir, ByteBuffer buf, String problem) {
    this.dir = dir;
    this.buf = buf;
    this.problem = problem;
    List<ProcessSlot> out = new ArrayList<>();
    if (buf != null) {
      long me = ProcessHandle.current().pid();
      Map<Integer, long[]> claimed = new TreeMap<>();
      for (int s = 0; s < Liveness.SLOTS; s++) {
        long g = buf.getLong(offset(s));
        if (g != 0L) {
          long pid = buf.getLong(offset(s) + 8);
          if (pid == me) {
            throw new IllegalStateException("this process (pid " + me + ") is in the registry of " + dir
                + ": inspect the namespace from another process");
          }
          claimed.put(s, new long[] {g, pid});
        }
      }
      for (Map.Entry<Integer, long[]> e : claimed.entrySet()) {
        long g = e.getValue()[0];
        out.add(new ProcessSlot(e.getKey(), g, e.getValue()[1], lifeOf((g << 16) | (e.getKey() + 1))));
      }
    }
    this.slots = Collections.unmodifiableList(out);
  }

  static Processes read(Path dir) {
    Path p = dir.resolve(Registry.FILE_NAME);
    try {
      long size = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
      ByteBuffer b = Inspector.copy(p, size);
      String problem = Inspector.headerProblem(b, size);
      if (problem == null && b.getInt(FileHeader.KIND_OFFSET) != Kind.REGISTRY.code()) {
        problem = "not a process registry";
      }
      if (problem == null && b.capacity() < REGISTRY_LENGTH) {
        problem = "damaged: " + size + " bytes, a registry has " + REGISTRY_LENGTH;
      }
      return problem == null ? new Processes(dir, b, null) : new Processes(dir, null, Registry.FILE_NAME + ": "
          + problem);
    } catch (NoSuchFileException e) {
      return new Processes(dir, null, null);       // nobody ever joined
    } catch (IOException e) {
      return new Processes(dir, null, Registry.FILE_NAME + ": " + e.getMessage());
    }
  }

  private static int offset(int slot) {
    return FileHeader.LENGTH + slot * SLOT_LENGTH;
  }

  long pidOf(long token) {
    int s = Liveness.slotOf(token);
    if (buf == null || s < 0 || buf.getLong(offset(s)) != token >>> 16) {
      return -1;
    }
    return buf.getLong(offset(s) + 8);
  }

  Life lifeOf(long token) {
    return lives.computeIfAbsent(token, this::probe);
  }

  private Life probe(long token) {
    if (problem != null) {
      return Life.UNKNOWN;
    }
    int s = Liveness.slotOf(token);
    if (s < 0) {
      return Life.UNKNOWN;                        // not a token this version makes
    }
    long g = token >>> 16;
    if (buf == null || buf.getLong(offset(s)) != g) {
      return Life.DEAD;                           // the slot was claimed again (or never): its owner is gone
    }
    return probeFile(dir.resolve(Registry.LIVE_PREFIX + s + "-" + Long.toHexString(g)));
  }

  /**
   * One attempt at a shared lock on the liveness file {@code live}, released at once: ALIVE when its owner holds its
   * exclusive lock, DEAD when the file is gone or the attempt succeeds, UNKNOWN on any doubt. Never removes it.
   */
  static Life probeFile(Path live) {
    boolean interrupted = Thread.interrupted();     // an interrupt would close the channel mid-probe
    try {
      if (!Files.exists(live, LinkOption.NOFOLLOW_LINKS)) {
        return Life.DEAD;                           // removed when its owner left, or by whoever found it dead
      }
      if (SafeFiles.problem(live, false) != null) {
        return Life.UNKNOWN;                        // not a file of ours: never opened (a FIFO would block)
      }
      try (FileChannel ch = SafeFiles.openOwnFile(live, StandardOpenOption.READ)) {
        FileLock l = ch.tryLock(0, Long.MAX_VALUE, true);
        if (l == null) {
          return Life.ALIVE;
        }
        l.release();
        return Life.DEAD;
      }
    } catch (NoSuchFileException e) {
      return Life.DEAD;
    } catch (IOException | OverlappingFileLockException | IpcException e) {
      return Life.UNKNOWN;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
