package dev.ipckit.shm;

import dev.ipckit.IpcException;
import dev.ipckit.shm.format.SafeFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The namespaces this JVM has open: one {@link NamespaceCore} per directory, found by the directory's file key
 * (device and inode), so that a second path to the same directory (a symlink, a bind mount) finds the same core and
 * the JVM never opens a namespace's files twice; and the open {@link ShmNamespace} instances of each core.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads: every method holds the lock of the map of cores, which
 * also guards each core's {@code refs} and {@code instances}.
 */
final class Cores {
  private static final Map<Object, NamespaceCore> CORES = new HashMap<>();

  private Cores() {
  }

  /**
   * A new instance, made by {@code make} from the core of {@code dir} (made if this JVM has none open) and counted
   * in it. A directory removed and made again has another key: a new core, while the old one keeps serving only the
   * handles it gave out.
   */
  static ShmNamespace open(Path dir, Function<NamespaceCore, ShmNamespace> make) {
    Object key = directoryKey(dir);
    synchronized (CORES) {
      NamespaceCore c = CORES.get(key);
      if (c == null) {
        c = new NamespaceCore(dir, key);
        CORES.put(key, c);
      }
      c.refs++;
      ShmNamespace ns = make.apply(c);
      c.instances.add(ns);
      return ns;
    }
  }

  /**
   * Forgets the instance {@code ns} of {@code core}: true when it was the last, and the core is then forgotten too
   * (the caller closes it).
   */
  static boolean release(NamespaceCore core, ShmNamespace ns) {
    synchronized (CORES) {
      core.instances.remove(ns);
      boolean last = --core.refs == 0;
      if (last) {
        CORES.remove(core.dirKey, core);
      }
      return last;
    }
  }

  /** The open instances of {@code core}'s directory in this JVM, now. */
  static List<ShmNamespace> instances(NamespaceCore core) {
    synchronized (CORES) {
      return new ArrayList<>(core.instances);
    }
  }

  /**
   * True when this JVM has the directory {@code dir} open, by this path or any other (a sweeper must not touch
   * it); also for a directory already removed, by the path it was opened with.
   */
  static boolean isOpenHere(Path dir) {
    Object key;
    try {
      key = directoryKey(dir);
    } catch (IpcException e) {
      key = null;                                  // gone: look for it by path
    }
    synchronized (CORES) {
      if (key != null && CORES.containsKey(key)) {
        return true;
      }
      for (NamespaceCore c : CORES.values()) {
        if (c.dir.equals(dir)) {
          return true;
        }
      }
      return false;
    }
  }

  /** What identifies a directory beyond its path (device and inode): tells a re-created directory apart. */
  static Object directoryKey(Path dir) {
    try {
      return SafeFiles.fileKey(dir);
    } catch (IOException e) {
      throw new IpcException("cannot read the namespace directory " + dir + ": " + e, e);
    }
  }
}
