package dev.ipckit.shm;

import dev.ipckit.shm.core.Dirs;
import dev.ipckit.shm.core.TempNamespaces;
import dev.ipckit.spi.Backend;
import dev.ipckit.spi.Locations;
import dev.ipckit.spi.Namespace;
import java.nio.file.Path;
import java.util.Set;

/**
 * The local backend: namespaces are directories of memory-mapped files, at {@code file:} locations. Found by
 * {@link java.util.ServiceLoader}.
 */
public final class ShmBackend implements Backend {
  private static final Set<String> SCHEMES = Set.of(Locations.FILE);

  @Override
  public String name() {
    return "shm";
  }

  @Override
  public Set<String> schemes() {
    return SCHEMES;
  }

  @Override
  public Namespace open(Path dir) {
    return ShmNamespace.open(Dirs.prepare(dir), false);
  }

  /** Never creates the directory; tracks the handles it returns weakly (see {@link ShmNamespace#inUse()}). */
  @Override
  public Namespace attach(Path dir) {
    return ShmNamespace.attach(Dirs.existing(dir));
  }

  @Override
  public Namespace createTemp() {
    return ShmNamespace.open(TempNamespaces.create(Cores::isOpenHere), true);
  }
}
