package dev.ipckit.spi;

import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

/**
 * A provider of namespaces, found by {@link java.util.ServiceLoader}. {@code ipc-shm} provides the local
 * memory-mapped backend for {@code file:} locations; another backend declares its own {@link #schemes()} and
 * user code written against {@code dev.ipckit} moves to it by changing a dependency and a location.
 *
 * <p>A location never carries credentials ({@link dev.ipckit.Ipc#open(URI)} refuses one with user info): a
 * backend that needs them takes them from its own configuration (system properties, environment, a file).
 */
public interface Backend {

  /** A short name for messages, e.g. {@code "shm"}. */
  String name();

  /**
   * The URI schemes whose locations this backend serves, lower case. By default {@code file} only: a backend of
   * local directories ({@link #open(Path)}).
   */
  default Set<String> schemes() {
    return Set.of(Locations.FILE);
  }

  /** Higher wins when several backends on the class path serve the same scheme. */
  default int priority() {
    return 0;
  }

  /**
   * Creates or opens the namespace in {@code dir} (checked: owner, permissions): the {@code file:} form of
   * {@link #open(URI)}. By default unsupported: a backend that serves {@code file:} implements it.
   */
  default Namespace open(Path dir) {
    throw new UnsupportedOperationException("the ipckit backend " + name() + " serves " + schemes()
        + ", not directories: " + dir);
  }

  /**
   * Creates or opens the namespace at {@code location}, whose scheme is one of {@link #schemes()} and which holds
   * no user info. By default a {@code file:} location goes to {@link #open(Path)}.
   */
  default Namespace open(URI location) {
    return open(dirOf(this, location));
  }

  /** Creates a new private namespace that {@link Namespace#close()} removes. By default unsupported. */
  default Namespace createTemp() {
    throw new UnsupportedOperationException("the ipckit backend " + name() + " makes no temporary namespaces");
  }

  /**
   * Creates a new private namespace at {@code base} (a location of one of {@link #schemes()} without a namespace
   * name: a server) that {@link Namespace#close()} removes ({@link dev.ipckit.Ipc#temp(URI)}). By default
   * unsupported.
   */
  default Namespace createTemp(URI base) {
    throw new UnsupportedOperationException("the ipckit backend " + name() + " makes no temporary namespaces at "
        + Locations.display(base));
  }

  /**
   * Opens the existing namespace in {@code dir} for handles that arrive from other JVMs ({@link
   * dev.ipckit.Ipc#attach}). Such a namespace lives as long as its directory: the caller closes it once the
   * directory is gone and {@link Namespace#inUse()} is false, so it should not keep the handles it returns
   * reachable. By default the same as {@link #open(Path)}.
   */
  default Namespace attach(Path dir) {
    return open(dir);
  }

  /**
   * Opens the existing namespace at {@code location} for handles that arrive from other JVMs, as {@link
   * #attach(Path)} does for a directory; the caller closes it once it is {@link Namespace#gone()} and not
   * {@link Namespace#inUse()}. By default a {@code file:} location goes to {@link #attach(Path)}.
   */
  default Namespace attach(URI location) {
    return attach(dirOf(this, location));
  }

  /** The directory of a {@code file:} location, or an exception saying that {@code backend} got another one. */
  private static Path dirOf(Backend backend, URI location) {
    if (!Locations.isFile(location)) {
      throw new UnsupportedOperationException("the ipckit backend " + backend.name() + " does not implement"
          + " open(URI)/attach(URI) for " + Locations.display(location));
    }
    return Locations.dir(location);
  }
}
