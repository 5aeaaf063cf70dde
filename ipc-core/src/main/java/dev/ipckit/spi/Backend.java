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
}
