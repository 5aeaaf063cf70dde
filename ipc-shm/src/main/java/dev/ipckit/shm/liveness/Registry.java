package dev.ipckit.shm.liveness;

import dev.ipckit.IpcException;
import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The process registry of one namespace: who is alive, answered by the kernel. The one implementation of
 * {@link Liveness}.
 *
 * <p>Every process that opens the namespace claims a slot by taking an exclusive kernel file lock on the
 * slot's byte ({@link #LOCK_BASE} + slot) of the {@code .registry} file, and holds it until it exits; the kernel
 * drops the lock when the process dies, however it dies. Claiming bumps the slot's generation, so an owner
 * token ({@code generation << 16 | slot + 1}) written by a dead predecessor is never mistaken for the new
 * occupant. Any process asks {@link #isAlive(long)} in a few microseconds: same generation and the slot's lock
 * held by somebody.
 *
 * <pre>
 *  Body: MAX_SLOTS slots of 64 bytes each
 *  +---------------------------------------------------------------+
 *  |                    Generation (8 bytes)                       |  0
 *  +---------------------------------------------------------------+
 *  |                    Pid (8 bytes)                              |  8
 *  +---------------------------------------------------------------+
 *  |                    Reserved up to 64                          |  16
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Thread safety.</b> Safe for any number of threads. A JVM opens the registry of a namespace once and
 * keeps one channel for it (a {@link FileLock} belongs to the whole JVM, and closing any channel of the file
 * drops every lock the JVM holds on it); probes are serialised by a JVM-local monitor so that two threads never
 * lock the same byte at once ({@link java.nio.channels.OverlappingFileLockException}).
 */
public final class Registry implements Liveness, AutoCloseable {
  public static final String FILE_NAME = ".registry";
  static final int MAX_SLOTS = 4096;
  static final int SLOT_LENGTH = 64;
  static final int GENERATION_OFFSET = 0;
  static final int PID_OFFSET = 8;
  /** Slot locks live past the end of the data: byte LOCK_BASE + slot. */
  static final long LOCK_BASE = 1L << 32;

  private final Path path;
  private final ByteBuffer buf;
  private final FileChannel channel;
  private final Object probeLock = new Object();
  private final int slot;
  private final long token;
  private FileLock slotLock;

  public Registry(Path dir) {
    MappedFile file = MappedFile.openOrCreate(dir, FILE_NAME,
        MappedFile.spec(Kind.REGISTRY, MAX_SLOTS, SLOT_LENGTH, (long) MAX_SLOTS * SLOT_LENGTH, null));
    this.path = file.path;
    this.buf = file.buffer;
    boolean interrupted = Thread.interrupted();
    try {
      this.channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
      int claimed = -1;
      synchronized (probeLock) {
        for (int i = 0; i < MAX_SLOTS && claimed < 0; i++) {
          FileLock l = channel.tryLock(LOCK_BASE + i, 1, false);
          if (l != null) {
            slotLock = l;
            claimed = i;
          }
        }
      }
      if (claimed < 0) {
        channel.close();
        throw new IpcException("the process registry " + path + " is full: " + MAX_SLOTS + " live processes");
      }
      this.slot = claimed;
      long gen = (long) Mem.LONG.getAndAdd(buf, slotOffset(claimed) + GENERATION_OFFSET, 1L) + 1;
      Mem.LONG.setRelease(buf, slotOffset(claimed) + PID_OFFSET, ProcessHandle.current().pid());
      this.token = token(claimed, gen);
    } catch (IOException e) {
      throw new IpcException("cannot join the process registry " + path + ": " + e, e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
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

  /** This process's owner token in this namespace: never 0. */
  @Override
  public long token() {
    return token;
  }

  int slot() {
    return slot;
  }

  /** The pid recorded for the process behind {@code token}, or -1. */
  @Override
  public long pidOf(long token) {
    int s = slotOf(token);
    if (s < 0 || s >= MAX_SLOTS) {
      return -1;
    }
    return (long) Mem.LONG.getAcquire(buf, slotOffset(s) + PID_OFFSET);
  }

  /**
   * Whether the process that wrote {@code token} is still alive: its slot still has the same generation and
   * the slot's kernel lock is held. A few microseconds (one {@code fcntl}) unless the answer is "this process".
   */
  @Override
  public boolean isAlive(long token) {
    if (token == this.token) {
      return slotLock != null;
    }
    int s = slotOf(token);
    if (s < 0 || s >= MAX_SLOTS || token == 0) {
      return false;
    }
    if ((long) Mem.LONG.getAcquire(buf, slotOffset(s) + GENERATION_OFFSET) != generationOf(token)) {
      return false; // the slot was claimed again: its former owner is gone
    }
    if (s == slot) {
      return false; // our own slot with an older generation
    }
    synchronized (probeLock) {
      if (!channel.isOpen()) {
        return true; // closing: make no claims about others
      }
      try {
        FileLock probe = channel.tryLock(LOCK_BASE + s, 1, false);
        if (probe == null) {
          return true; // somebody holds the slot: the owner (or, for an instant, a new claimer)
        }
        probe.release();
        return false;
      } catch (IOException e) {
        return true; // cannot tell: never declare a process dead on an I/O error
      }
    }
  }

  /** True when no process at all holds a slot of the registry in {@code dir} (used to sweep dead namespaces). */
  public static boolean nobodyAlive(Path registryFile) {
    try (FileChannel ch = FileChannel.open(registryFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock all = ch.tryLock(LOCK_BASE, MAX_SLOTS, false);
      if (all == null) {
        return false;
      }
      all.release();
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    synchronized (probeLock) {
      try {
        slotLock = null;
        channel.close(); // releases the slot lock: this process is gone from the namespace
      } catch (IOException ignored) {
        // nothing to do: the kernel releases the lock when the process exits anyway
      }
    }
  }
}
