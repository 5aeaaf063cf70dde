package dev.ipckit.shm.liveness;

import dev.ipckit.IpcException;
import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.format.SafeFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The process registry of one namespace: who is alive, answered by the kernel. The one implementation of
 * {@link Liveness}.
 *
 * <p>A process joins by claiming a slot. It first creates a <b>liveness file of its own</b> and takes an exclusive
 * kernel lock on it, which it holds until it exits: the kernel drops the lock when the process dies, however it
 * dies. It then publishes the file as {@code .live-<slot>-<generation>} (a hard link, which nobody else can make:
 * the generation is a fresh random 48-bit number) and installs that generation in the slot with compareAndSet from
 * the previous occupant's (who must be gone). Its owner token is {@code generation << 16 | slot + 1}.
 *
 * <p>Whether a token's process lives: its slot must still hold its generation (a slot claimed again belongs to
 * somebody else), and its liveness file must be locked. A prober opens the file, tries the lock and closes the
 * file: closing drops only the prober's own locks. Nothing in the owner's JVM ever opens its own liveness file
 * again (a token of this JVM is answered from memory), so no read of any namespace file by the owner's JVM - the
 * registry included, which holds no locks at all - and no second path to the same directory can make a live process
 * look dead. (Opening the {@code .live-*} file itself, from the owner's JVM, would: it is the one file user code must
 * leave alone.) A dead process's liveness file is removed by whoever finds it dead; its name is never made again.
 *
 * <pre>
 *  Body: MAX_SLOTS slots of 64 bytes each
 *  +---------------------------------------------------------------+
 *  |          Generation (8 bytes): 0 never claimed, else random   |  0
 *  +---------------------------------------------------------------+
 *  |                    Pid (8 bytes)                              |  8
 *  +---------------------------------------------------------------+
 *  |                    Reserved up to 64                          |  16
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Thread safety.</b> Safe for any number of threads. A JVM opens the registry of a namespace once (the
 * namespace is identified by its directory's file key); probes need no JVM-wide coordination, since every probe
 * opens its own channel on somebody else's file.
 *
 * <p><b>Peer death.</b> A claimer killed before its compareAndSet leaves an unlocked liveness file under a name
 * nobody uses, removed by the next claim that finds it; one killed after it leaves a slot whose liveness file is
 * unlocked: dead to every prober, and claimed again by the next process that needs a slot.
 */
public final class Registry implements Liveness, AutoCloseable {
  public static final String FILE_NAME = ".registry";
  /** Liveness files: {@code .live-<slot>-<generation in hex>}. */
  public static final String LIVE_PREFIX = ".live-";
  static final int MAX_SLOTS = 4096;
  static final int SLOT_LENGTH = 64;
  static final int GENERATION_OFFSET = 0;
  static final int PID_OFFSET = 8;
  private static final long GENERATION_MASK = (1L << 48) - 1;

  private final Path dir;
  private final Path path;
  private final ByteBuffer buf;
  private final int slot;
  private final long token;
  /** The liveness file: its one channel in this JVM, and the lock held on it until close. */
  private final FileChannel liveChannel;
  private final Path liveFile;
  private volatile boolean open = true;

  public Registry(Path dir) {
    MappedFile file = MappedFile.openOrCreate(dir, FILE_NAME,
        MappedFile.spec(Kind.REGISTRY, MAX_SLOTS, SLOT_LENGTH, (long) MAX_SLOTS * SLOT_LENGTH, null));
    this.dir = dir;
    this.path = file.path();
    this.buf = file.buffer();
    boolean interrupted = Thread.interrupted(); // an interrupt would close the channel under the lock
    Path tmp = MappedFile.tempName(dir, "live-");
    FileChannel ch = null;
    try {
      ch = SafeFiles.openOwnFile(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
          StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
      if (ch.tryLock() == null) {
        throw new IOException("cannot lock a file nobody else knows of");
      }
      long claimed = claim(tmp);
      this.slot = slotOf(claimed);
      this.token = claimed;
      this.liveChannel = ch;
      this.liveFile = liveFile(slot, generationOf(claimed));
      Mem.LONG.setRelease(buf, slotOffset(slot) + PID_OFFSET, ProcessHandle.current().pid());
    } catch (IOException e) {
      closeQuietly(ch);
      throw new IpcException("cannot join the process registry " + path + ": " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    } finally {
      deleteQuietly(tmp);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Claims a free or dead slot for the locked file {@code tmp}; returns the token. */
  private long claim(Path tmp) throws IOException {
    for (int s = 0; s < MAX_SLOTS; s++) {
      for (;;) {
        long g = (long) Mem.LONG.getAcquire(buf, slotOffset(s) + GENERATION_OFFSET);
        if (g != 0L && probe(s, g)) {
          break;                                   // a live occupant: the next slot
        }
        long mine;
        do {
          mine = ThreadLocalRandom.current().nextLong() & GENERATION_MASK;
        } while (mine == 0L || mine == g);
        Path live = liveFile(s, mine);
        Files.createLink(live, tmp);               // a name nobody else makes: fails only on I/O errors
        if (Mem.LONG.compareAndSet(buf, slotOffset(s) + GENERATION_OFFSET, g, mine)) {
          if (g != 0L) {
            deleteQuietly(liveFile(s, g));         // the dead predecessor's
          }
          return token(s, mine);
        }
        deleteQuietly(live);                       // another claimer won this slot: look at it again
      }
    }
    throw new IpcException("the process registry " + path + " is full: " + MAX_SLOTS + " live processes");
  }

  private Path liveFile(int s, long generation) {
    return dir.resolve(LIVE_PREFIX + s + "-" + Long.toHexString(generation));
  }

  /** What the words of a registry file say (header, then every slot ever claimed: generation and pid); read-only. */
  public static Fields decode(ByteBuffer buf) {
    Fields f = Fields.header(buf);
    for (int s = 0; s < MAX_SLOTS && slotOffset(s) + SLOT_LENGTH <= buf.capacity(); s++) {
      if ((long) Mem.LONG.getAcquire(buf, slotOffset(s) + GENERATION_OFFSET) != 0L) {
        f.longAt("slot" + s + ".generation", slotOffset(s) + GENERATION_OFFSET, "claims of this slot ever")
            .longAt("slot" + s + ".pid", slotOffset(s) + PID_OFFSET, "pid of its last claimer");
      }
    }
    return f;
  }

  static long token(int slot, long generation) {
    return (generation << 16) | (slot + 1);
  }

  static int slotOf(long token) {
    return (int) (token & 0xFFFF) - 1;
  }

  static long generationOf(long token) {
    return token >>> 16;
  }

  private static int slotOffset(int slot) {
    return FileHeader.LENGTH + slot * SLOT_LENGTH;
  }

  @Override
  public long token() {
    return token;
  }

  int slot() {
    return slot;
  }

  @Override
  public long pidOf(long token) {
    int s = slotOf(token);
    if (s < 0 || s >= MAX_SLOTS) {
      return -1;
    }
    return (long) Mem.LONG.getAcquire(buf, slotOffset(s) + PID_OFFSET);
  }

  /**
   * Whether the process that wrote {@code token} is still alive: its slot still holds its generation and its
   * liveness file is locked. Tens of microseconds (open, lock attempt, close) unless it is this process's token,
   * answered from memory.
   */
  @Override
  public boolean isAlive(long token) {
    if (token == this.token) {
      return open;
    }
    int s = slotOf(token);
    if (s < 0 || s >= MAX_SLOTS || token == 0L) {
      return false;
    }
    long g = generationOf(token);
    if ((long) Mem.LONG.getAcquire(buf, slotOffset(s) + GENERATION_OFFSET) != g) {
      return false;                                // the slot was claimed again: its former owner is gone
    }
    return probe(s, g);
  }

  /**
   * Channels on the liveness files of the peers this JVM has probed, kept open: a probe is then one lock attempt
   * (two {@code fcntl}s) instead of an open, a lock attempt and a close, which cost an idle waiter that probes now
   * and then about 200 µs of CPU each. Holding them is safe: this JVM holds no lock on a peer's file, so closing one
   * drops nothing; a peer's file whose owner died is closed and removed. At most {@link #PROBED} are kept.
   */
  private final Map<Long, FileChannel> probed = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, FileChannel> eldest) {
      if (size() > PROBED) {
        closeQuietly(eldest.getValue());
        return true;
      }
      return false;
    }
  };
  private static final int PROBED = 64;

  /** Whether the liveness file of {@code (slot, generation)} is locked by its owner; removes it when it is not. */
  private boolean probe(int s, long generation) {
    if (s == slot && generation == generationOf(token)) {
      return open;                                 // ours: never open our own liveness file
    }
    long key = token(s, generation);
    Path live = liveFile(s, generation);
    boolean interrupted = Thread.interrupted();    // an interrupt would close the channel mid-probe
    try {
      synchronized (probed) {
        if (!open) {
          return true;                             // leaving: make no claims about others
        }
        FileChannel ch = probed.get(key);
        if (ch == null) {
          try {
            ch = SafeFiles.openOwnFile(live, StandardOpenOption.READ, StandardOpenOption.WRITE);
          } catch (NoSuchFileException e) {
            return false;                          // removed by whoever found its owner dead
          } catch (IOException | IpcException e) {
            return true;                           // cannot tell, or not our own file: never dead on a doubt
          }
          probed.put(key, ch);
        }
        if (heldByOwner(ch, live)) {
          return true;
        }
        probed.remove(key);
        closeQuietly(ch);                          // releases our lock too
        return false;
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Whether {@code live} is a liveness file locked by its owner. A missing file is dead (removed by whoever
   * found its owner dead); an I/O error other than that is alive: never declare a process dead on a doubt.
   */
  static boolean probeFile(Path live) {
    boolean interrupted = Thread.interrupted(); // an interrupt would close the channel mid-probe
    try (FileChannel ch = SafeFiles.openOwnFile(live, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      return heldByOwner(ch, live);
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException | IpcException e) {
      return true;                                 // cannot tell, or not our own file: never dead on a doubt
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * One lock attempt on a channel of the liveness file {@code live}: true when its owner holds the lock (or another
   * thread of this JVM is probing it right now: never dead on a doubt). Otherwise the owner is dead: the file is
   * removed while this lock keeps anybody from remaking the name, and false is returned; the caller closes the
   * channel, which releases the lock.
   */
  private static boolean heldByOwner(FileChannel ch, Path live) {
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (IOException | OverlappingFileLockException e) {
      return true;
    }
    if (l == null) {
      return true;                                 // the owner holds it
    }
    deleteQuietly(live);
    return false;
  }

  /**
   * True when a process other than this one holds a liveness file in the namespace: another process has it open.
   * On any doubt (an unreadable directory) true: a caller that reuses what others might still use must not.
   */
  public boolean othersAlive() {
    String own = liveFile.getFileName().toString();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, LIVE_PREFIX + "*")) {
      for (Path p : ds) {
        if (!p.getFileName().toString().equals(own) && probeFile(p)) {
          return true;                             // never our own file: opening it would drop our lock
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /** True when no process holds a liveness file in {@code dir} (used to sweep dead namespaces). */
  public static boolean nobodyAlive(Path dir) {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, LIVE_PREFIX + "*")) {
      for (Path p : ds) {
        if (probeFile(p)) {
          return false;
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Leaves the namespace: the liveness file is unlocked and removed, the slot free for the next claimer. */
  @Override
  public void close() {
    if (!open) {
      return;
    }
    open = false;
    deleteQuietly(liveFile);
    closeQuietly(liveChannel); // releases the lock: this process is gone from the namespace
    synchronized (probed) {
      for (FileChannel ch : probed.values()) {
        closeQuietly(ch);
      }
      probed.clear();
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // the kernel releases the lock when the process exits anyway
      }
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a leftover liveness file is unlocked: dead to every prober, removed by the next one
    }
  }

}
