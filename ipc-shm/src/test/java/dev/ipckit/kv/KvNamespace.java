package dev.ipckit.kv;

import dev.ipckit.Codec;
import dev.ipckit.IpcBarrier;
import dev.ipckit.IpcEvent;
import dev.ipckit.IpcException;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcQueue;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.Pipe;
import dev.ipckit.SharedDouble;
import dev.ipckit.SharedDoubleArray;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedIntArray;
import dev.ipckit.SharedLong;
import dev.ipckit.SharedLongArray;
import dev.ipckit.spi.HandleRef;
import dev.ipckit.spi.Locations;
import dev.ipckit.spi.Namespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/** One kv store as a namespace: a key is a file in the store's directory. Not a directory namespace. */
final class KvNamespace implements Namespace {
  static final String LONG = "SharedLong";
  static final String LOCK = "lock";

  private final URI location;
  private final Path store;

  KvNamespace(URI location, Path store) {
    this.location = location;
    this.store = store;
  }

  @Override
  public URI location() {
    return location;
  }

  @Override
  public Path dir() {
    throw new UnsupportedOperationException("the namespace at " + Locations.display(location)
        + " is not a directory");
  }

  @Override
  public boolean gone() {
    return !Files.isDirectory(store);
  }

  Path key(String name) {
    return store.resolve(name);
  }

  @Override
  public SharedLong sharedLong(String name, long initial) {
    return new KvLong(this, name, initial);
  }

  @Override
  public IpcLock lock(String name) {
    return new KvLock(this, name);
  }

  @Override
  public Object reopen(HandleRef ref) {
    if (!Files.exists(key(ref.name()))) {
      throw new IpcException("cannot reopen \"" + ref.name() + "\" in " + Locations.display(location)
          + ": no such key");
    }
    switch (ref.kind()) {
      case LONG: return sharedLong(ref.name(), 0);
      case LOCK: return lock(ref.name());
      default: throw new IpcException("the kv backend has no kind " + ref.kind());
    }
  }

  /** The keys of the store, without a held lock's marker key ({@code name.held}). */
  @Override
  public SortedSet<String> names() {
    try (Stream<Path> keys = Files.list(store)) {
      SortedSet<String> out = new TreeSet<>();
      keys.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(KvLock.HELD)).forEach(out::add);
      return Collections.unmodifiableSortedSet(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + this, e);
    }
  }

  /** Deletes the key; a lock whose marker key exists is held, and refused. */
  @Override
  public boolean remove(String name) {
    if (Files.exists(key(name + KvLock.HELD))) {
      throw new IllegalStateException("kv lock \"" + name + "\" in " + Locations.display(location) + " is held");
    }
    try {
      return Files.deleteIfExists(key(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove \"" + name + "\" from " + this, e);
    }
  }

  @Override
  public void close() {
    // nothing held between calls: every operation opens and closes its key
  }

  @Override
  public String toString() {
    return "KvNamespace[" + Locations.display(location) + "]";
  }

  private UnsupportedOperationException unsupported(String kind) {
    return new UnsupportedOperationException("the kv test backend serves sharedLong and lock, not " + kind);
  }

  @Override
  public SharedInt sharedInt(String name, int initial) {
    throw unsupported("sharedInt");
  }

  @Override
  public SharedDouble sharedDouble(String name, double initial) {
    throw unsupported("sharedDouble");
  }

  @Override
  public SharedIntArray intArray(String name, int length) {
    throw unsupported("intArray");
  }

  @Override
  public SharedLongArray longArray(String name, int length) {
    throw unsupported("longArray");
  }

  @Override
  public SharedDoubleArray doubleArray(String name, int length) {
    throw unsupported("doubleArray");
  }

  @Override
  public IpcLock rlock(String name) {
    throw unsupported("rlock");
  }

  @Override
  public IpcLock fileLock(String name) {
    throw unsupported("fileLock");
  }

  @Override
  public IpcSemaphore semaphore(String name, int permits) {
    throw unsupported("semaphore");
  }

  @Override
  public IpcSemaphore boundedSemaphore(String name, int permits) {
    throw unsupported("boundedSemaphore");
  }

  @Override
  public IpcEvent event(String name) {
    throw unsupported("event");
  }

  @Override
  public IpcBarrier barrier(String name, int parties) {
    throw unsupported("barrier");
  }

  @Override
  public <E> IpcQueue<E> queue(String name, int capacity, Codec<E> codec) {
    throw unsupported("queue");
  }

  @Override
  public <E> Pipe<E> pipe(String name, boolean duplex, Codec<E> codec) {
    throw unsupported("pipe");
  }
}
