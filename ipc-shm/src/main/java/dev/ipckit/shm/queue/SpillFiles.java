package dev.ipckit.shm.queue;

import dev.ipckit.IpcException;
import dev.ipckit.shm.format.SafeFiles;
import dev.ipckit.shm.liveness.Liveness;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The side files of one queue, for messages longer than {@link QueueDescriptor#DATA_MAX}: a producer writes the
 * bytes to {@code name@spill-<producer>-<number>} (mode 0600, hex numbers) before it takes the producer lock; its
 * slot only names the file ({@link SlotRing.SpillRef}). A consumer claims the file under the consumer lock, before
 * it frees the slot, by renaming it to {@code name@taken-<producer>-<number>-<consumer>}, and reads and deletes it
 * after the lock. The steps and what a process killed between them leaves are in the
 * {@linkplain dev.ipckit.shm.queue package summary}.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads: spill numbers come from a JVM-wide counter, and a
 * claimed file is renamed to its one consumer before anybody reads it.
 *
 * <p><b>Peer death.</b> A file left by a producer that died before publishing its slot, or claimed by a consumer
 * that died after freeing it, is deleted by {@link #sweepOrphans}; one claimed by a consumer that died before
 * freeing the slot is found again by {@link #locate} and claimed by the next consumer.
 *
 * @param dir the namespace directory
 * @param name the queue's name
 * @param liveness the namespace's liveness, whose tokens name producers and consumers
 */
record SpillFiles(Path dir, String name, Liveness liveness) implements SlotRing.Spills {
  /** Spill numbers of this JVM; with the process's token they name side files uniquely. */
  private static final AtomicLong SPILL_NUMBERS = new AtomicLong();

  /** A spilled message claimed by this consumer: its side file, already renamed to this process. */
  record Spilled(Path path, int length) {
  }

  // ------------------------------------------------------------------ names

  /** What the names of the queue's unclaimed side files start with. */
  private String spillPrefix() {
    return name + "@spill-";
  }

  /** What the names of the queue's claimed side files start with. */
  private String takenPrefix() {
    return name + "@taken-";
  }

  private String spillName(long owner, long number) {
    return spillPrefix() + key(owner, number);
  }

  private String takenName(long owner, long number, long consumer) {
    return takenPrefix() + key(owner, number) + "-" + Long.toHexString(consumer);
  }

  private static String key(long owner, long number) {
    return Long.toHexString(owner) + "-" + Long.toHexString(number);
  }

  /** The hex numbers of {@code s} split at '-', if there are exactly {@code count}; else null. */
  private static long[] parseHex(String s, int count) {
    String[] parts = s.split("-");
    if (parts.length != count) {
      return null;
    }
    long[] out = new long[count];
    try {
      for (int i = 0; i < count; i++) {
        out[i] = Long.parseUnsignedLong(parts[i], 16);
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return out;
  }

  private List<Path> list(String prefix) {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir,
        p -> p.getFileName().toString().startsWith(prefix))) {
      for (Path p : ds) {
        out.add(p);
      }
    } catch (IOException e) {
      throw new IpcException("cannot list " + dir + ": " + e, e);
    }
    return out;
  }

  // ------------------------------------------------------------------ producer side

  /** Writes {@code b} to a new side file (0600) named for this process; returns its spill number. */
  long write(byte[] b) {
    long n = SPILL_NUMBERS.incrementAndGet();
    Path p = dir.resolve(spillName(liveness.token(), n));
    boolean interrupted = Thread.interrupted(); // an interrupt would close the channel mid-write
    try (FileChannel ch = SafeFiles.openOwnFile(p, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
      ByteBuffer src = ByteBuffer.wrap(b);
      while (src.hasRemaining()) {
        ch.write(src);
      }
    } catch (IOException ex) {
      deleteQuietly(p);
      throw new IpcException("cannot write a message of " + b.length + " bytes for queue \"" + name + "\" to "
          + p + ": " + ex, ex);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return n;
  }

  /** Deletes this process's side file {@code number}, whose message was never published (the put failed). */
  void unpublished(long number) {
    deleteQuietly(dir.resolve(spillName(liveness.token(), number)));
  }

  // ------------------------------------------------------------------ consumer side

  /**
   * Under the consumer lock, slot {@code n} not yet freed: claims the side file (renames it to this process) and
   * returns it as {@link Spilled}, or, when not {@code claim}, reads its bytes and leaves it in place.
   */
  @Override
  public Object open(long n, SlotRing.SpillRef ref, int length, boolean claim) {
    Path p = locate(ref.owner(), ref.number());
    if (!claim) {
      return read(p, length, false);
    }
    Path mine = dir.resolve(takenName(ref.owner(), ref.number(), liveness.token()));
    try {
      if (!p.equals(mine)) {
        Files.move(p, mine, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new IpcException("message " + n + " of queue \"" + name + "\" is lost: cannot claim its side file "
          + p + ": " + e, e);
    }
    return new Spilled(mine, length);
  }

  /** The side file of a spilled message: under its spill name, or claimed by a consumer that died. */
  private Path locate(long owner, long number) {
    Path p = dir.resolve(spillName(owner, number));
    if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return p;
    }
    for (Path q : list(takenPrefix() + key(owner, number) + "-")) {
      return q; // we hold the consumer lock and the slot is not freed: its claimer died before freeing it
    }
    throw new IpcException("the side file " + p + " of a message of queue \"" + name + "\" is missing; the message"
        + " is lost");
  }

  /** The bytes of a claimed side file, which is then deleted (outside the lock; the message is already taken). */
  byte[] readAndDelete(Spilled s) {
    return read(s.path(), s.length(), true);
  }

  /** Deletes a claimed side file unread ({@code clear()}). */
  void discard(Spilled s) {
    deleteQuietly(s.path());
  }

  private byte[] read(Path p, int len, boolean delete) {
    boolean interrupted = Thread.interrupted(); // an interrupt would close the channel mid-read
    try (FileChannel ch = SafeFiles.openOwnFile(p, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size != len) {
        throw new IpcException("the side file " + p + " of queue \"" + name + "\" has " + size + " bytes, its slot"
            + " says " + len);
      }
      byte[] b = new byte[len];
      ByteBuffer dst = ByteBuffer.wrap(b);
      while (dst.hasRemaining()) {
        if (ch.read(dst) < 0) {
          throw new IpcException("the side file " + p + " of queue \"" + name + "\" ended early");
        }
      }
      return b;
    } catch (IOException e) {
      throw new IpcException("cannot read the side file " + p + " of queue \"" + name + "\": " + e, e);
    } finally {
      if (delete) {
        deleteQuietly(p);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ------------------------------------------------------------------ recovery

  /**
   * Recovery: deletes side files left by dead processes: spilled by a producer that died before publishing, or
   * claimed by a consumer that died after freeing the slot. A file whose message is still in the ring is kept. The
   * files are deleted under the consumer lock ({@link SlotRing#withSpilled}), so no slot is freed meanwhile; a live
   * holder of that lock is waited for at most {@code nanos}.
   *
   * @return the files deleted, or -1 when a live process held the consumer lock all that time (none deleted)
   */
  int sweepOrphans(SlotRing ring, long nanos) {
    Map<Path, SlotRing.SpillRef> dead = new HashMap<>();
    String spillPrefix = spillPrefix();
    String takenPrefix = takenPrefix();
    for (Path p : list(name + "@")) {
      String f = p.getFileName().toString();
      long[] parts;
      if (f.startsWith(spillPrefix)) {
        parts = parseHex(f.substring(spillPrefix.length()), 2);
        if (parts != null && !liveness.isAlive(parts[0])) {
          dead.put(p, new SlotRing.SpillRef(parts[0], parts[1]));
        }
      } else if (f.startsWith(takenPrefix)) {
        parts = parseHex(f.substring(takenPrefix.length()), 3);
        if (parts != null && !liveness.isAlive(parts[2])) {
          dead.put(p, new SlotRing.SpillRef(parts[0], parts[1]));
        }
      }
    }
    if (dead.isEmpty()) {
      return 0;
    }
    int[] deleted = new int[1];
    boolean swept = ring.withSpilled(live -> dead.forEach((p, ref) -> {
      if (!live.contains(ref) && deleteQuietly(p)) {
        deleted[0]++;
      }
    }), nanos);
    return swept ? deleted[0] : -1;
  }

  /** Deletes {@code p} if it is there: true if this call deleted it. */
  private static boolean deleteQuietly(Path p) {
    try {
      return Files.deleteIfExists(p);
    } catch (IOException ignored) {
      return false; // a leftover side file is swept when its owner is gone
    }
  }
}
