package dev.ipckit.shm;

import dev.ipckit.Codec;
import dev.ipckit.IpcBarrier;
import dev.ipckit.IpcEvent;
import dev.ipckit.IpcException;
import dev.ipckit.IpcLock;
import dev.ipckit.IpcQueue;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.Pipe;
import dev.ipckit.SharedBuffer;
import dev.ipckit.SharedDouble;
import dev.ipckit.SharedInt;
import dev.ipckit.SharedLong;
import dev.ipckit.shm.buffer.ShmBuffer;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.core.TempNamespaces;
import dev.ipckit.shm.format.Cell;
import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.liveness.Liveness;
import dev.ipckit.shm.lock.LockState;
import dev.ipckit.shm.lock.ShmFileLock;
import dev.ipckit.shm.lock.ShmLock;
import dev.ipckit.shm.pipe.ShmPipe;
import dev.ipckit.shm.queue.ShmQueue;
import dev.ipckit.shm.slab.Slab;
import dev.ipckit.shm.sync.ShmBarrier;
import dev.ipckit.shm.sync.ShmEvent;
import dev.ipckit.shm.sync.ShmSemaphore;
import dev.ipckit.shm.value.ShmArray;
import dev.ipckit.shm.value.ShmDouble;
import dev.ipckit.shm.value.ShmInt;
import dev.ipckit.shm.value.ShmLong;
import dev.ipckit.shm.wait.SleepWord;
import dev.ipckit.spi.CellType;
import dev.ipckit.spi.HandleRef;
import dev.ipckit.spi.Namespace;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntToLongFunction;
import java.util.function.Predicate;

/**
 * One open namespace of the shared-memory backend (one per {@link dev.ipckit.Ipc} instance).
 *
 * <p>All instances of one directory in a JVM share a {@link NamespaceCore}: one registry slot (one process identity),
 * one mapping per object file and one {@link Slab} (its chunks mapped once), one {@link LockState} per lock (so that threads of the JVM agree on who holds
 * it) and one channel per file-lock file. The core is released, and the process leaves the registry, when the
 * last instance closes.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads.
 */
public final class ShmNamespace implements Namespace, NamespaceView {
  private final NamespaceCore core;
  private final boolean temp;
  /**
   * The handles to close with this namespace: all of them, or (attached) only those still reachable, so that a
   * JVM that receives the same handle a million times does not keep a million handles.
   */
  private final Set<ShmHandle> handles;
  private boolean closed;

  private ShmNamespace(NamespaceCore core, boolean temp, boolean attached) {
    this.core = core;
    this.temp = temp;
    this.handles = attached
        ? java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>())
        : java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  }

  /** Opens {@code dir} (already created and checked) for this JVM. */
  static ShmNamespace open(Path dir, boolean temp) {
    return open(dir, temp, false);
  }

  /** Opens {@code dir} (existing and checked) for handles arriving from other JVMs; see {@link #inUse()}. */
  static ShmNamespace attach(Path dir) {
    return open(dir, false, true);
  }

  private static ShmNamespace open(Path dir, boolean temp, boolean attached) {
    return Cores.open(dir, c -> new ShmNamespace(c, temp, attached));
  }

  @Override
  public Path dir() {
    return core.dir;
  }

  @Override
  public Liveness liveness() {
    return core.registry;
  }

  @Override
  public void track(ShmHandle h) {
    synchronized (handles) {
      if (closed) {
        throw new IllegalStateException("namespace " + core.dir + " is closed");
      }
      handles.add(h);
    }
  }

  /** True while a handle this namespace returned is reachable and open (attached) or open (otherwise). */
  @Override
  public boolean inUse() {
    synchronized (handles) {
      return !handles.isEmpty();
    }
  }

  @Override
  public SleepWord sleepWord(ByteBuffer buf, int at) {
    return core.bell.sleepWord(buf, at);
  }

  @Override
  public void closeWithNamespace(java.io.Closeable c) {
    synchronized (core) {
      core.closeables.add(c);
    }
  }

  /** The number of handles tracked now (for tests). */
  int tracked() {
    synchronized (handles) {
      return handles.size();
    }
  }

  @Override
  public void untrack(ShmHandle h) {
    synchronized (handles) {
      handles.remove(h);
    }
  }

  private void checkOpen() {
    synchronized (handles) {
      if (closed) {
        throw new IllegalStateException("namespace " + core.dir + " is closed");
      }
    }
  }

  /** The mapped file of {@code name}, created per {@code spec} or opened and checked; one mapping per JVM. */
  @Override
  public MappedFile file(String name, MappedFile.Spec spec) {
    checkOpen();
    return core.file(name, spec);
  }

  /** A JVM-wide object attached to {@code name} (lock states and the like), made once. */
  @Override
  @SuppressWarnings("unchecked")
  public <T> T shared(String key, Function<String, T> make) {
    synchronized (core) {
      return (T) core.shared.computeIfAbsent(key, make);
    }
  }

  // ---- values

  @Override
  public Cell small(String name, Kind kind, Consumer<Cell> init) {
    checkOpen();
    return core.small(name, kind, init);
  }

  /** The namespace's slab, where its small objects live (opened, or created empty). */
  public Slab slab() {
    checkOpen();
    return core.slab();
  }

  @Override
  public boolean current(Cell c) {
    return core.current(c);
  }

  /**
   * A handle of a small object, made by {@code make} from its cell: made again if the slot was removed between
   * the lookup and the handle's registration (a removal closes the handles it finds registered, and this finds the
   * removal otherwise), so no handle of this JVM is ever left on a slot that may be reused.
   */
  private <H extends ShmHandle> H small(String name, Kind kind, Consumer<Cell> init, Function<Cell, H> make) {
    for (;;) {
      Cell c = small(name, kind, init);
      H h = make.apply(c);
      if (core.current(c)) {
        return h;
      }
      h.close();
    }
  }

  @Override
  public SharedInt sharedInt(String name, int initial) {
    return small(name, Kind.INT, c -> c.buf().putInt(c.body(), initial), c -> new ShmInt(this, name, c));
  }

  @Override
  public SharedLong sharedLong(String name, long initial) {
    return small(name, Kind.LONG, c -> c.buf().putLong(c.body(), initial), c -> new ShmLong(this, name, c));
  }

  @Override
  public SharedDouble sharedDouble(String name, double initial) {
    return small(name, Kind.DOUBLE, c -> c.buf().putLong(c.body(), Double.doubleToRawLongBits(initial)),
        c -> new ShmDouble(this, name, c));
  }

  @Override
  public <A> A array(String name, CellType<A> type, int length, IntToLongFunction initial) {
    return ShmArray.open(this, name, type, length, initial);
  }

  // ---- shared memory blocks

  @Override
  public SharedBuffer buffer(String name, int size) {
    return ShmBuffer.open(this, name, size);
  }

  @Override
  public SharedBuffer buffer(String name) {
    checkOpen();
    core.checkNotInSlab(name, Kind.BUFFER);
    ByteBuffer header = core.snapshot(name);
    return ShmBuffer.openExisting(this, name, header == null ? null : Fields.header(header));
  }

  /** The rlock of a value: an internal name no user name can collide with. */
  @Override
  public IpcLock valueLock(String valueName) {
    return rlock(valueName + VALUE_LOCK_SUFFIX);
  }

  // ---- locks

  @Override
  public IpcLock lock(String name) {
    return ShmLock.open(this, name, false);
  }

  @Override
  public IpcLock rlock(String name) {
    return ShmLock.open(this, name, true);
  }

  @Override
  public IpcLock fileLock(String name) {
    return ShmFileLock.open(this, name);
  }

  // ---- listing and removing objects

  @Override
  public SortedSet<String> names() {
    checkOpen();
    return NamespaceObjects.names(core);
  }

  @Override
  public boolean remove(String name) {
    checkOpen();
    return NamespaceObjects.remove(core, name);
  }

  /**
   * The open handles of this instance whose names {@code names} accepts; an attached instance counts only the
   * handles still reachable.
   */
  List<ShmHandle> openHandles(Predicate<String> names) {
    List<ShmHandle> out = new ArrayList<>();
    synchronized (handles) {
      for (ShmHandle h : handles) {
        if (names.test(h.name())) {
          out.add(h);
        }
      }
    }
    return out;
  }

  // ---- synchronisers, queues and pipes

  @Override
  public IpcSemaphore semaphore(String name, int permits) {
    return ShmSemaphore.open(this, name, permits, false);
  }

  @Override
  public IpcSemaphore boundedSemaphore(String name, int permits) {
    return ShmSemaphore.open(this, name, permits, true);
  }

  @Override
  public IpcEvent event(String name) {
    for (;;) {
      ShmEvent e = ShmEvent.open(this, name);
      if (e.current()) {
        return e;
      }
      e.close();
    }
  }

  @Override
  public IpcBarrier barrier(String name, int parties) {
    return ShmBarrier.open(this, name, parties, null);
  }

  @Override
  public IpcBarrier barrier(String name, int parties, Runnable action) {
    return ShmBarrier.open(this, name, parties, action);
  }

  @Override
  public <E> IpcQueue<E> queue(String name, int capacity, Codec<E> codec) {
    return ShmQueue.open(this, name, capacity, codec);
  }

  @Override
  public <E> Pipe<E> pipe(String name, boolean duplex, Codec<E> codec) {
    return ShmPipe.open(this, name, duplex, codec);
  }

  @Override
  public Object reopen(HandleRef ref) {
    return Reopen.reopen(this, core, ref);
  }

  /** The suffix of a value's internal lock ({@link #valueLock}): no user name can end in it. */
  static final String VALUE_LOCK_SUFFIX = "@lock";

  @Override
  public void close() {
    List<ShmHandle> toClose;
    synchronized (handles) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayList<>(handles);
      handles.clear();
    }
    for (ShmHandle h : toClose) {
      h.closeByNamespace();
    }
    if (Cores.release(core, this)) {
      core.close();
    }
    if (temp) {
      TempNamespaces.delete(core.dir, core.dirKey);   // only the directory it opened, never through a link
    }
  }

  @Override
  public String toString() {
    return "ShmNamespace[" + core.dir + "]";
  }

  /**
   * True when the directory this namespace opened is gone: removed, or removed and made again (a new namespace
   * at the same path, whose objects this one's mappings are not).
   */
  @Override
  public boolean gone() {
    try {
      return !core.dirKey.equals(Cores.directoryKey(core.dir));
    } catch (IpcException e) {
      return true;
    }
  }

}
