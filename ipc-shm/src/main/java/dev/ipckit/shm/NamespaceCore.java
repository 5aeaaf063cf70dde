package dev.ipckit.shm;

import dev.ipckit.shm.core.Leftovers;
import dev.ipckit.shm.format.Cell;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.liveness.Registry;
import dev.ipckit.shm.lock.LockState;
import dev.ipckit.shm.slab.Slab;
import dev.ipckit.shm.wait.Bell;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What the JVM holds for one namespace directory, shared by every {@link ShmNamespace} of it: one registry slot (one
 * process identity), one mapping per object file, the slab of its small objects, JVM-wide states (a lock's {@code
 * LockState}), and what closes with the last instance.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads: its maps are guarded by {@code this}.
 */
final class NamespaceCore {
  final Path dir;
  /** {@link Cores#directoryKey} when opened. */
  final Object dirKey;
  final Registry registry;
  final Map<String, MappedFile> files = new HashMap<>();
  final Map<String, Object> shared = new HashMap<>();
  final List<java.io.Closeable> closeables = new ArrayList<>();
  final Bell bell;
  private volatile Slab slab;
  int refs;
  /** The open instances of this directory in the JVM (guarded by {@link Cores}): whose handles are open here. */
  final Set<ShmNamespace> instances = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

  NamespaceCore(Path dir, Object dirKey) {
    this.dir = dir;
    this.dirKey = dirKey;
    Leftovers.sweep(dir);                        // what killed creators left, before this JVM adds its own
    this.registry = new Registry(dir);
    this.bell = new Bell(dir);
  }

  synchronized MappedFile file(String name, MappedFile.Spec spec) {
    MappedFile f = files.get(name);
    if (f != null) {
      // already mapped here: the header cannot have changed, check the caller's expectations against it
      MappedFile.checkFits(f.path(), f.kind(), f.arg0(), f.arg1(), spec);
      return f;
    }
    checkNotInSlab(name, spec);
    f = MappedFile.openOrCreate(dir, dirKey, name, spec);
    checkNotInSlab(name, spec);              // made meanwhile: the slab's creator checks for our file after
    files.put(name, f);
    return f;
  }

  /** IllegalArgumentException when {@code name} is an object of the slab (a file made for it is never used). */
  private void checkNotInSlab(String name, MappedFile.Spec spec) {
    checkNotInSlab(name, spec.kind());
  }

  /** IllegalArgumentException when {@code name} is an object of the slab, not the {@code kind} asked for. */
  void checkNotInSlab(String name, Kind kind) {
    if (!Slab.fits(name)) {
      return;
    }
    Slab s = slabIfExists();
    long state = s == null ? 0L : s.stateOf(name);
    if (state != 0L) {
      Kind found = Slab.kindOf(state);
      throw new IllegalArgumentException("\"" + name + "\" in " + dir + " is a " + (found == null ? "slab object"
          : found.label()) + ", not a " + kind.label());
    }
  }

  /** The slab, opened (or created empty) on first use. */
  Slab slab() {
    Slab s = slab;
    if (s == null) {
      synchronized (this) {
        s = slab;
        if (s == null) {
          s = Slab.open(dir, dirKey, registry, registry::othersAlive);
          slab = s;
        }
      }
    }
    return s;
  }

  /** The slab if the namespace has one, else null (nothing is created). */
  Slab slabIfExists() {
    Slab s = slab;
    return s != null ? s : Slab.exists(dir) ? slab() : null;
  }

  /** The words of a small object: a slot of the slab, or a file of its own when its name is too long for one. */
  Cell small(String name, Kind kind, Consumer<Cell> init) {
    if (Slab.fits(name)) {
      Cell c = slab().open(name, kind, init);
      if (c != null) {
        return c;
      }
      // a file of that name: opened, and checked, as the file it is (another kind, foreign, damaged)
    }
    return Cell.ofFile(file(name, MappedFile.spec(kind, 0, 0, Cell.BODY,
        init == null ? null : b -> init.accept(Cell.ofFile(b)))));
  }

  /** True while the slot behind {@code c} holds what it held when {@code c} was made (a file's cell: always). */
  boolean current(Cell c) {
    return c.slot() < 0 || slab().current(c);
  }

  /** True when the object {@code name} exists: a file of that name, or a live slot. */
  boolean exists(String name) {
    if (Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    Slab s = Slab.fits(name) ? slabIfExists() : null;
    return s != null && s.find(name) >= 0;
  }

  /**
   * The words of the file {@code fileName} for a read-only decoder: its mapping when this JVM has it mapped (no
   * descriptor is opened, so no kernel lock this JVM holds on it is dropped), else a copy of its first {@link
   * NamespaceObjects#SNAPSHOT_BYTES} bytes; null if there is no such file.
   */
  synchronized ByteBuffer snapshot(String fileName) {
    MappedFile f = files.get(fileName);
    return f != null ? f.buffer() : MappedFile.copyOf(dir.resolve(fileName), NamespaceObjects.SNAPSHOT_BYTES);
  }

  /**
   * Forgets what this JVM keeps of the object {@code name} and its side files {@code name@...}: their mappings
   * and JVM-wide states, so that opening the name again maps the file then on disk.
   */
  synchronized void forget(String name) {
    Predicate<String> ofObject = NamespaceObjects.fileOf(name);
    files.keySet().removeIf(ofObject);
    // shared states are keyed "KIND/name" or "KIND/name/part"
    shared.keySet().removeIf(k -> {
      int slash = k.indexOf('/');
      int end = k.indexOf('/', slash + 1);
      return ofObject.test(k.substring(slash + 1, end < 0 ? k.length() : end));
    });
  }

  void close() {
    synchronized (this) {
      for (java.io.Closeable c : closeables) {
        try {
          c.close();
        } catch (IOException ignored) {
          // closing releases; nothing more to do
        }
      }
      closeables.clear();
      bell.close();
    }
    registry.close();
  }
}
