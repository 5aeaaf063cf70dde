package dev.ipckit.shm.inspect;

import dev.ipckit.IpcException;
import dev.ipckit.shm.ShmBackend;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.SafeFiles;
import dev.ipckit.shm.slab.SlabCopy;
import dev.ipckit.spi.Namespace;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Removes an object's files from a namespace directory from outside it, as {@code ipckit rm} does: the one part of
 * this package that writes. Like {@link Inspector} it never opens the namespace and takes no lock for an object
 * that is a file: it unlinks the object's file and its side files {@code name@...} (a process that has them mapped
 * keeps its mapping). A small object of the namespace's slab is removed through the namespace, joined for the
 * purpose: a slot is removed under the slab's lock.
 *
 * <p>It refuses a file that is not an ipckit object (foreign, not this user's, not a regular file) in any case,
 * and, unless forced, any object of a namespace whose registry has a process that is alive or cannot be told dead:
 * such a process may be using the object without holding anything that shows.
 */
public final class Removal {
  private Removal() {
  }

  /**
   * Removes the object {@code name} of {@code dir} and its side files; returns the files removed, empty when there
   * was no such object. {@link Refused} as the class comment says; an {@link IOException} when {@code dir} cannot
   * be read or a file cannot be removed.
   */
  public static List<Path> remove(Path dir, String name, boolean force) throws IOException, Refused {
    if (name.isEmpty() || name.startsWith(".") || name.contains("/") || name.contains("@")) {
      throw new IllegalArgumentException("\"" + name + "\" is not an object name");
    }
    Snapshot s;
    try {
      s = Inspector.processes(dir);
    } catch (IllegalStateException e) {
      throw new Refused(e.getMessage());
    }
    Path p = dir.resolve(name);
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return removeSmall(dir, name, force, s);
    }
    String problem = SafeFiles.problem(p, false);
    if (problem != null) {
      throw new Refused("not removing " + p + ": it " + problem);
    }
    ByteBuffer b = Inspector.copy(p, Math.min(a.size(), FileHeader.LENGTH));
    if (b.capacity() < 8 || b.getLong(FileHeader.MAGIC_OFFSET) != FileHeader.MAGIC) {
      throw new Refused("not removing " + p + ": it is not an ipckit object");
    }
    checkNobodyAlive(dir, name, force, s);
    List<Path> removed = new ArrayList<>();
    if (Files.deleteIfExists(p)) {
      removed.add(p);
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir,
        q -> q.getFileName().toString().startsWith(name + "@"))) {
      for (Path q : ds) {
        if (Files.deleteIfExists(q)) {
          removed.add(q);
        }
      }
    }
    return removed;
  }

  /**
   * Removes the small object {@code name} of the namespace's slab, if there is one: through the namespace itself,
   * joined for the purpose (a slot is removed under the slab's lock, and a lock held by a live process is refused
   * even with {@code force}); the list holds {@code dir/name} then, else nothing.
   */
  private static List<Path> removeSmall(Path dir, String name, boolean force, Snapshot s) throws IOException,
      Refused {
    SlabCopy slab = SlabCopy.of(dir);
    if (slab == null || slab.find(name) == null) {
      return List.of();
    }
    checkNobodyAlive(dir, name, force, s);
    try (Namespace ns = new ShmBackend().attach(dir)) {
      return ns.remove(name) ? List.of(dir.resolve(name)) : List.of();
    } catch (IllegalStateException e) {
      throw new Refused("not removing \"" + name + "\": " + e.getMessage());
    } catch (IpcException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static void checkNobodyAlive(Path dir, String name, boolean force, Snapshot s) throws Refused {
    if (!force && s.anyoneMaybeAlive()) {
      StringJoiner who = new StringJoiner(", ");
      for (ProcessSlot ps : s.processes()) {
        if (ps.life() != Life.DEAD) {
          who.add("pid " + ps.pid() + " (" + ps.life().label() + ")");
        }
      }
      throw new Refused("not removing \"" + name + "\": the namespace " + dir + " has processes that may be using"
          + " it: " + (s.registryProblem() != null ? s.registryProblem() : who) + " (--force removes it anyway)");
    }
  }
}
