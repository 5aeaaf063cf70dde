package dev.ipckit.kv;

import dev.ipckit.IpcException;
import dev.ipckit.spi.Backend;
import dev.ipckit.spi.Namespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A second backend, for tests: namespaces at {@code kv://STORE} locations, kept in a tiny file-backed key-value
 * store (a directory per store under {@code java.io.tmpdir/ipckit-kv}, a file per key), so that a child JVM
 * reopens a handle of another scheme than {@code file:} through its own backend. It serves {@code SharedLong} and
 * a non-robust {@code IpcLock}; everything else is {@link UnsupportedOperationException}.
 */
public final class KvBackend implements Backend {
  public static final String SCHEME = "kv";
  private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "ipckit-kv");

  @Override
  public String name() {
    return "kv";
  }

  @Override
  public Set<String> schemes() {
    return Set.of(SCHEME);
  }

  @Override
  public Namespace open(URI location) {
    Path store = store(location);
    try {
      Files.createDirectories(store);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the kv store " + store, e);
    }
    return new KvNamespace(location, store);
  }

  @Override
  public Namespace attach(URI location) {
    Path store = store(location);
    if (!Files.isDirectory(store)) {
      throw new IpcException("cannot attach to " + location + ": the kv store does not exist");
    }
    return new KvNamespace(location, store);
  }

  /** Removes the store of {@code location} with everything in it (test cleanup). */
  public static void delete(URI location) throws IOException {
    Path store = store(location);
    if (Files.exists(store)) {
      try (Stream<Path> all = Files.walk(store)) {
        for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
          Files.delete(p);
        }
      }
    }
  }

  private static Path store(URI location) {
    String name = location.getHost();
    if (name == null || !location.getPath().isEmpty() || !name.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("a kv location is kv://STORE, STORE of a-z, 0-9 and '-': " + location);
    }
    return ROOT.resolve(name);
  }
}
