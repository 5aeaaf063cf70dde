package dev.ipckit.spi;

import java.nio.file.Path;

/**
 * A provider of namespaces, found by {@link java.util.ServiceLoader}. {@code ipc-shm} provides the local
 * memory-mapped backend; another backend implements the same interface and user code written against
 * {@code dev.ipckit} moves to it by changing a dependency.
 */
public interface Backend {

  /** A short name for messages, e.g. {@code "shm"}. */
  String name();

  /** Higher wins when several backends are on the class path. */
  default int priority() {
    return 0;
  }

  /** Creates or opens the namespace in {@code dir} (checked: owner, permissions). */
  Namespace open(Path dir);

  /** Creates a new private namespace that {@link Namespace#close()} removes. */
  Namespace createTemp();

  /**
   * Opens the existing namespace in {@code dir} for handles that arrive from other JVMs ({@link
   * dev.ipckit.Ipc#attach}). Such a namespace lives as long as its directory: the caller closes it once the
   * directory is gone and {@link Namespace#inUse()} is false, so it should not keep the handles it returns
   * reachable. By default the same as {@link #open(Path)}.
   */
  default Namespace attach(Path dir) {
    return open(dir);
  }
}
