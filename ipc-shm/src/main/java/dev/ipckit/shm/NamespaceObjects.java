package dev.ipckit.shm;

import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.Cell;
import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.liveness.Liveness;
import dev.ipckit.shm.lock.LockDescriptor;
import dev.ipckit.shm.pipe.PipeDescriptor;
import dev.ipckit.shm.queue.QueueDescriptor;
import dev.ipckit.shm.slab.Slab;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The objects of a namespace directory as files, for {@link dev.ipckit.Ipc#names()} and {@link
 * dev.ipckit.Ipc#remove(String)}: which files are objects, which belong to one object, and whether an object is in
 * use.
 *
 * <p>A small object (value, lock, rlock, event, a value's lock) with a name of up to 48 characters is a slot of the
 * namespace's slab ({@link Slab}); any other object is the file named as the object; its side files are named {@code name@...} (a value's lock {@code
 * name@lock}, a queue's spilled messages {@code name@spill-...} and {@code name@taken-...}), which no object name can
 * be, since object names hold no {@code '@'}. Internal files ({@code .registry}, {@code .bell}, {@code .live-...},
 * {@code .tmp-...}, the temp marker) start with {@code '.'}, which no object name can either.
 *
 * <p>In use, as far as this process can tell: a handle of the object open in this JVM, or an owner word of the
 * object (a lock's owner, a queue's producer and consumer lock words, a pipe's end claims, the lock of a value or
 * array) holding the token of a live process, this one included. Another process that has the object mapped and
 * holds nothing leaves no trace to see: its mapping outlives the unlink.
 */
final class NamespaceObjects {
  /** How much of a file's start {@link NamespaceCore#snapshot} copies: every owner word lies in it. */
  static final int SNAPSHOT_BYTES = 4096;
  /** The suffix of a value's lock file (see {@link ShmNamespace#valueLock}). */
  private static final String VALUE_LOCK = "@lock";

  /** The words that say who holds what, per kind: the decoder, then each owner field and what its holder does. */
  private static final Map<Kind, Owners> OWNERS = Map.of(
      Kind.LOCK, new Owners(LockDescriptor::decode, "owner", "holds it"),
      Kind.RLOCK, new Owners(LockDescriptor::decode, "owner", "holds it"),
      Kind.FILE_LOCK, new Owners(LockDescriptor::decode, "owner", "holds it"),
      Kind.QUEUE, new Owners(QueueDescriptor::decode, "producerLock", "is inside a put",
          "consumerLock", "is inside a take"),
      Kind.PIPE, new Owners(PipeDescriptor::decode, "left.owner", "has its left end open",
          "right.owner", "has its right end open"));

  /** One kind's owner words: names of {@link Fields} of its decoder, each with what a live owner is doing. */
  private static final class Owners {
    final Function<ByteBuffer, Fields> decoder;
    final String[] fieldsAndDoings;

    Owners(Function<ByteBuffer, Fields> decoder, String... fieldsAndDoings) {
      this.decoder = decoder;
      this.fieldsAndDoings = fieldsAndDoings;
    }
  }

  private NamespaceObjects() {
  }

  /** The object names of {@code core}'s namespace: its objects' files and its slab's live objects, sorted. */
  static SortedSet<String> names(NamespaceCore core) {
    SortedSet<String> out = new TreeSet<>(names(core.dir));
    Slab slab = core.slabIfExists();
    if (slab != null) {
      for (Slab.Entry e : slab.entries()) {
        if (isObjectName(e.name())) {
          out.add(e.name());
        }
      }
    }
    return Collections.unmodifiableSortedSet(out);
  }

  /** The object names of {@code dir}: its regular files whose names are object names, sorted. */
  static SortedSet<String> names(Path dir) {
    SortedSet<String> out = new TreeSet<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (isObjectName(n) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          out.add(n);
        }
      }
    } catch (IOException e) {
      throw new IpcException("cannot list the namespace directory " + dir + ": " + e, e);
    }
    return Collections.unmodifiableSortedSet(out);
  }

  private static boolean isObjectName(String n) {
    try {
      Ipc.checkName(n);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Accepts the file names of the object {@code name}: the name itself and its side files {@code name@...}. */
  static Predicate<String> fileOf(String name) {
    String side = name + "@";
    return n -> n.equals(name) || n.startsWith(side);
  }

  /**
   * Removes the object {@code name} of {@code core}'s directory and its side files, unless it is in use (see the
   * class comment), and forgets this JVM's mappings of them; true if it existed. Holds the core's lock throughout,
   * so no thread of this JVM opens a file of the object meanwhile.
   */
  static boolean remove(NamespaceCore core, String name) {
    synchronized (core) {
      Slab slab = core.slabIfExists();
      Cell small = slab != null && Slab.fits(name) ? slab.cellOf(name) : null;
      if (small != null) {
        return removeSmall(core, slab, name, small);
      }
      ByteBuffer words = core.snapshot(name);
      if (words == null) {
        return false;
      }
      Path path = core.dir.resolve(name);
      Kind kind = checkOurs(path, Fields.header(words));
      String what = kind.label() + " \"" + name + "\" in " + core.dir;
      checkNotOpenHere(core, name, what);
      checkOwners(what, OWNERS.get(kind), words, core.registry);
      checkValueLock(core, slab, name, what);
      delete(path);
      for (Path side : sideFiles(core.dir, name)) {
        delete(side);
      }
      if (slab != null && Slab.fits(name + VALUE_LOCK)) {
        slab.remove(name + VALUE_LOCK);
      }
      closeHandles(core, fileOf(name));   // what remains: the value's lock handles, none held
      core.forget(name);
      return true;
    }
  }

  /**
   * Removes the small object {@code name}, a slot of {@code slab} at {@code cell}, and its value lock, unless in
   * use; as {@link #remove} for a file. The slot is marked removed first and the handles registered here are looked
   * for after, so a handle opened meanwhile is either found here or finds the removal itself.
   */
  private static boolean removeSmall(NamespaceCore core, Slab slab, String name, Cell cell) {
    Kind kind = Slab.kindOf(cell.stamp());
    String what = (kind == null ? "object" : kind.label()) + " \"" + name + "\" in " + core.dir;
    checkNotOpenHere(core, name, what);
    if (kind == Kind.LOCK || kind == Kind.RLOCK) {
      checkSlotOwner(what, cell, core.registry);
    }
    checkValueLock(core, slab, name, what);
    slab.remove(name);
    if (Slab.fits(name + VALUE_LOCK)) {
      slab.remove(name + VALUE_LOCK);
    } else {
      delete(core.dir.resolve(name + VALUE_LOCK));
    }
    closeHandles(core, fileOf(name));   // opened meanwhile, or the value's lock handles, none held
    core.forget(name);
    return true;
  }


  /** Throws IllegalStateException when the value lock of {@code name} (slot or file) is held by a live process. */
  private static void checkValueLock(NamespaceCore core, Slab slab, String name, String what) {
    String lockName = name + VALUE_LOCK;
    Cell small = slab != null && Slab.fits(lockName) ? slab.cellOf(lockName) : null;
    what = what + " (its lock " + lockName + ")";
    if (small != null) {
      checkSlotOwner(what, small, core.registry);
      return;
    }
    ByteBuffer lock = core.snapshot(lockName);
    if (lock != null) {
      checkOwners(what, OWNERS.get(Kind.RLOCK), lock, core.registry);
    }
  }

  /**
   * The open handles, of every instance of {@code core}'s directory in this JVM, whose names {@code names} accepts.
   * An attached instance counts only the handles still reachable.
   */
  static List<ShmHandle> openHandles(NamespaceCore core, Predicate<String> names) {
    List<ShmHandle> out = new ArrayList<>();
    for (ShmNamespace ns : Cores.instances(core)) {
      out.addAll(ns.openHandles(names));
    }
    return out;
  }

  /** Closes, as a namespace close does, the open handles that {@link #openHandles} finds; each is forgotten. */
  static void closeHandles(NamespaceCore core, Predicate<String> names) {
    for (ShmHandle h : openHandles(core, names)) {
      h.ns.untrack(h);
      h.closeByNamespace();
    }
  }

  /** Throws IllegalStateException naming {@code what} when a handle of {@code name} is open in this JVM. */
  private static void checkNotOpenHere(NamespaceCore core, String name, String what) {
    List<ShmHandle> open = openHandles(core, name::equals);
    if (!open.isEmpty()) {
      throw new IllegalStateException(what + " is in use: open in this process (" + open.size()
          + (open.size() == 1 ? " handle" : " handles") + "); close it there first");
    }
  }

  /** As {@link #checkOwners} for a lock that is a slab slot: its owner word, in its body. */
  private static void checkSlotOwner(String what, Cell cell, Liveness liveness) {
    checkOwners(what, LockDescriptor.body(new Fields(cell.buf()), cell.body()), OWNERS.get(Kind.LOCK).fieldsAndDoings,
        liveness);
  }

  /** The kind of a file this library made, of this layout version; else an IpcException naming the file. */
  private static Kind checkOurs(Path path, Fields header) {
    Long magic = header.get("magic");
    if (magic == null || magic != FileHeader.MAGIC) {
      throw new IpcException("not removing " + path + ": it is not an ipckit object (magic "
          + (magic == null ? "missing, the file is shorter than a header" : "0x" + Long.toHexString(magic)) + ")");
    }
    Long version = header.get("version");
    if (version == null || version != FileHeader.LAYOUT_VERSION) {
      throw new IpcException("not removing " + path + ": it has layout version " + version + ", this ipckit reads "
          + FileHeader.LAYOUT_VERSION + " and cannot tell whether it is in use");
    }
    Long code = header.get("kind");
    Kind kind = code == null ? null : Kind.of((int) (long) code);
    if (kind == null || kind == Kind.REGISTRY) {
      throw new IpcException("not removing " + path + ": it holds an object of kind " + code + ", which this ipckit"
          + " cannot remove");
    }
    return kind;   // a file never completely initialised is removed too: nothing can use it
  }

  /** Throws IllegalStateException naming {@code what} and the process when an owner word holds a live token. */
  private static void checkOwners(String what, Owners owners, ByteBuffer words, Liveness liveness) {
    if (owners != null) {
      checkOwners(what, owners.decoder.apply(words), owners.fieldsAndDoings, liveness);
    }
  }

  /** Throws IllegalStateException naming {@code what} and the process when a field of {@code f} holds a live token. */
  private static void checkOwners(String what, Fields f, String[] fieldsAndDoings, Liveness liveness) {
    for (int k = 0; k < fieldsAndDoings.length; k += 2) {
      Long token = f.get(fieldsAndDoings[k]);
      if (token != null && token != 0L && liveness.isAlive(token)) {
        long pid = liveness.pidOf(token);
        throw new IllegalStateException(what + " is in use: process " + (pid < 0 ? "(pid unknown)" : pid)
            + (pid == ProcessHandle.current().pid() ? " (this one)" : "") + ", which is alive, "
            + fieldsAndDoings[k + 1]);
      }
    }
  }

  /** The side files {@code name@...} in {@code dir}. */
  private static List<Path> sideFiles(Path dir, String name) {
    List<Path> out = new ArrayList<>();
    String side = name + "@";
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(side))) {
      for (Path p : ds) {
        out.add(p);
      }
    } catch (IOException e) {
      throw new IpcException("cannot list the namespace directory " + dir + ": " + e, e);
    }
    return out;
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);                   // unlink(2): never follows a link
    } catch (IOException e) {
      throw new IpcException("cannot remove " + p + ": " + e, e);
    }
  }
}
