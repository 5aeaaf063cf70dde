package dev.ipckit;

import dev.ipckit.spi.Backend;
import dev.ipckit.spi.Locations;
import dev.ipckit.spi.Namespace;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.SortedSet;

/**
 * A namespace: a location whose named objects (values, arrays, locks, queues, pipes, ...) are shared by every
 * process that opens the same location. A local namespace is a directory ({@code file:///dev/shm/ns}), shared by
 * the processes of one machine; a location of another scheme ({@code redis://host:6379/ns}) lives wherever its
 * backend keeps it.
 *
 * <pre>{@code
 * try (Ipc ipc = Ipc.temp()) {
 *   SharedLong v = ipc.sharedLong("v", 0);
 *   IpcProcess p = IpcProcess.start(() -> v.incrementAndGet());
 *   p.join();
 * }
 * }</pre>
 *
 * <p>Every factory method creates the object if the name is free and opens it otherwise; opening an existing
 * name as another kind, or with other sizes, is an {@link IllegalArgumentException} naming the file and what it
 * holds. Names are 1 to 200 letters, digits, {@code '-'}, {@code '_'} and {@code '.'}, not starting with
 * {@code '.'}.
 *
 * <p><b>Thread safety.</b> An {@code Ipc} and every handle it returns may be used by any number of threads.
 * {@link #close()} closes the handles this instance returned; using one afterwards is an
 * {@link IllegalStateException}. Closing twice is harmless.
 *
 * <p><b>Backend.</b> The location's scheme chooses the backend: the one on the class path ({@link ServiceLoader})
 * whose {@link Backend#schemes()} hold it, of highest {@link Backend#priority()} if several do, unless the system
 * property {@value #BACKEND_PROPERTY} names a backend class that serves the scheme. Each scheme's backend is
 * chosen once per JVM. A child started by {@link IpcProcess} uses its parent's {@code file:} backend without
 * searching; a handle of any other scheme finds its own.
 *
 * <p><b>Credentials never travel in a location.</b> {@link #open(URI)} refuses a location with user info
 * ({@code redis://user:pw@host/ns}); a backend that needs credentials takes them from its own configuration, and
 * every message shows a location without user info.
 */
public final class Ipc implements AutoCloseable {
  /** Longest permitted object name. */
  public static final int MAX_NAME_LENGTH = 200;
  /** System property naming the backend class to use for the schemes it serves, instead of searching the class path. */
  public static final String BACKEND_PROPERTY = "ipckit.backend";

  private final Namespace ns;
  private final boolean attached;

  Ipc(Namespace ns, boolean attached) {
    this.ns = ns;
    this.attached = attached;
  }

  /** Creates the namespace directory if needed (mode 0700) and opens it: the {@code file:} location of {@code dir}. */
  public static Ipc open(Path dir) {
    Objects.requireNonNull(dir, "dir");
    return new Ipc(Backends.forScheme(Locations.FILE).open(dir), false);
  }

  /**
   * Creates or opens the namespace at {@code location}, with the backend that serves its scheme: {@code
   * file:///dev/shm/ns} is {@link #open(Path) open(Path.of("/dev/shm/ns"))}; {@code redis://host:6379/ns} needs
   * {@code dev.ipckit:ipc-redis} on the class path. Credentials never go in the location: the backend takes them
   * from its own configuration.
   *
   * @throws IllegalArgumentException if the location has no scheme or holds user info (the message does not show
   *                                  it)
   * @throws IllegalStateException    if no backend on the class path serves the scheme (the message names the
   *                                  artifact to add)
   */
  public static Ipc open(URI location) {
    Locations.check(Objects.requireNonNull(location, "location"));
    return new Ipc(Backends.forScheme(Locations.scheme(location)).open(location), false);
  }

  /**
   * A new private namespace (under {@code $XDG_RUNTIME_DIR/ipckit}, else {@code /dev/shm/ipckit-UID}, when they
   * exist and are this user's), removed with everything in it by {@link #close()}.
   */
  public static Ipc temp() {
    return new Ipc(Backends.forScheme(Locations.FILE).createTemp(), false);
  }

  /**
   * A new private namespace on the backend that serves {@code base}'s scheme ({@code redis://host:6379} makes one
   * on that server), removed with everything in it by {@link #close()}. A temporary namespace whose owner died
   * before closing it is left to the backend's sweep (for Redis, {@code RedisBackend.sweep}). {@code file:}
   * locations make it under {@link #temp()}'s base.
   *
   * @param base where to make it: the server (or directory) without a namespace name
   * @return the new namespace; its {@link #location()} names it, for other processes to open
   * @throws IllegalArgumentException if the location has no scheme or holds user info
   * @throws IllegalStateException    if no backend on the class path serves the scheme
   * @throws UnsupportedOperationException if that backend makes no temporary namespaces
   */
  public static Ipc temp(URI base) {
    Locations.check(Objects.requireNonNull(base, "base"));
    if (Locations.isFile(base)) {
      return temp();
    }
    return new Ipc(Backends.forScheme(Locations.scheme(base)).createTemp(base), false);
  }

  /**
   * The JVM-wide namespace instance for {@code dir}, opened on first use: this is what handles received from
   * another process reopen in. Closing it is ignored; it is released once its directory is gone and none of its
   * handles is reachable any more. The directory must exist: a handle that outlived its namespace is an
   * {@link IpcException}, not a fresh empty object.
   */
  public static Ipc attach(Path dir) {
    return attach(Locations.of(dir));
  }

  /**
   * The JVM-wide namespace instance for {@code location}, opened on first use with the backend of its scheme, as
   * {@link #attach(Path)} for a directory: what handles received from another process reopen in.
   *
   * @throws IllegalArgumentException if the location has no scheme or holds user info
   */
  public static Ipc attach(URI location) {
    return Attachments.attach(location);
  }

  /** Where this namespace lives; its scheme chose the backend. Never holds user info. */
  public URI location() {
    return ns.location();
  }

  /**
   * The directory of a {@code file:} namespace.
   *
   * @throws UnsupportedOperationException if the namespace lives elsewhere (the message names its location)
   */
  public Path dir() {
    URI location = ns.location();
    if (!Locations.isFile(location)) {
      throw new UnsupportedOperationException("Ipc.dir(): the namespace at " + Locations.display(location)
          + " is not a directory; use location()");
    }
    return ns.dir();
  }

  /** The backend's view of this namespace (for backends and handles; not for applications). */
  public Namespace namespace() {
    return ns;
  }

  public SharedInt sharedInt(String name, int initial) {
    return ns.sharedInt(checkName(name), initial);
  }

  public SharedLong sharedLong(String name, long initial) {
    return ns.sharedLong(checkName(name), initial);
  }

  public SharedDouble sharedDouble(String name, double initial) {
    return ns.sharedDouble(checkName(name), initial);
  }

  public SharedIntArray intArray(String name, int length) {
    return ns.intArray(checkName(name), Checks.length(length));
  }

  public SharedLongArray longArray(String name, int length) {
    return ns.longArray(checkName(name), Checks.length(length));
  }

  public SharedDoubleArray doubleArray(String name, int length) {
    return ns.doubleArray(checkName(name), Checks.length(length));
  }

  /** A robust, non-reentrant lock: a compare-and-set word in shared memory, no system call when uncontended. */
  public IpcLock lock(String name) {
    return ns.lock(checkName(name));
  }

  /** A robust reentrant lock (hold count per thread). */
  public IpcLock rlock(String name) {
    return ns.rlock(checkName(name));
  }

  /** A plain kernel file lock ({@code FileChannel.tryLock}): simple, slow, the baseline. */
  public IpcLock fileLock(String name) {
    return ns.fileLock(checkName(name));
  }

  public IpcSemaphore semaphore(String name, int permits) {
    Checks.permits(permits);
    return ns.semaphore(checkName(name), permits);
  }

  public IpcSemaphore boundedSemaphore(String name, int permits) {
    Checks.permits(permits);
    return ns.boundedSemaphore(checkName(name), permits);
  }

  public IpcEvent event(String name) {
    return ns.event(checkName(name));
  }

  public IpcBarrier barrier(String name, int parties) {
    Checks.positive("parties", parties);
    return ns.barrier(checkName(name), parties);
  }

  /**
   * A barrier for {@code parties} parties whose last party to arrive runs {@code action} before the others are
   * released, as {@link java.util.concurrent.CyclicBarrier#CyclicBarrier(int, Runnable)}; Python's
   * {@code Barrier(parties, action)}. The action is this handle's own: it runs when the thread arriving last used
   * this handle; a process that opened the barrier without an action runs none when it arrives last. If the
   * action throws, the barrier is broken (the others get {@link java.util.concurrent.BrokenBarrierException}) and
   * the exception reaches the last party's {@code await}.
   *
   * @throws IllegalArgumentException if {@code parties} is not positive
   */
  public IpcBarrier barrier(String name, int parties, Runnable action) {
    Checks.positive("parties", parties);
    return ns.barrier(checkName(name), parties, Objects.requireNonNull(action, "action"));
  }

  public <E> IpcQueue<E> queue(String name, int capacity, Codec<E> codec) {
    Checks.positive("capacity", capacity);
    return ns.queue(checkName(name), capacity, Objects.requireNonNull(codec, "codec"));
  }

  public <E> Pipe<E> pipe(String name, boolean duplex, Codec<E> codec) {
    return ns.pipe(checkName(name), duplex, Objects.requireNonNull(codec, "codec"));
  }

  // ---- arrays with contents, more element types, shared memory blocks, listing and removing objects

  /**
   * Creates the array {@code name} holding a copy of {@code initial} (Python's {@code Array('i', [1, 2, 3])}), or
   * opens the existing one. Opening leaves its contents alone: {@code initial} is written only by the process that
   * creates the array, and only its length must match, as the initial value of {@link #sharedInt} is ignored when
   * the value exists. A new array is published complete: no process ever sees it half written.
   *
   * @param name the array's name
   * @param initial the contents of a new array, and the length expected of an existing one
   * @return a handle on the array
   * @throws IllegalArgumentException if the name exists as another kind or as an array of another length (the
   *     message names the file and what it holds)
   */
  public SharedIntArray intArray(String name, int[] initial) {
    return ns.intArray(checkName(name), Objects.requireNonNull(initial, "initial"));
  }

  /**
   * Creates the array {@code name} holding a copy of {@code initial}, or opens the existing one of the same length
   * without writing it; see {@link #intArray(String, int[])}.
   *
   * @param name the array's name
   * @param initial the contents of a new array, and the length expected of an existing one
   * @return a handle on the array
   * @throws IllegalArgumentException if the name exists as another kind or as an array of another length
   */
  public SharedLongArray longArray(String name, long[] initial) {
    return ns.longArray(checkName(name), Objects.requireNonNull(initial, "initial"));
  }

  /**
   * Creates the array {@code name} holding a copy of {@code initial} (Python's {@code Array('d', [1.0, 2.0])}), or
   * opens the existing one of the same length without writing it; see {@link #intArray(String, int[])}.
   *
   * @param name the array's name
   * @param initial the contents of a new array, and the length expected of an existing one
   * @return a handle on the array
   * @throws IllegalArgumentException if the name exists as another kind or as an array of another length
   */
  public SharedDoubleArray doubleArray(String name, double[] initial) {
    return ns.doubleArray(checkName(name), Objects.requireNonNull(initial, "initial"));
  }

  /**
   * Creates the byte array {@code name} of {@code length} zeros (Python's {@code Array('b', length)}), or opens the
   * existing one of that length.
   *
   * @param name the array's name
   * @param length the number of elements
   * @return a handle on the array
   * @throws IllegalArgumentException if {@code length} is negative, or the name exists as another kind or as an
   *     array of another length
   */
  public SharedByteArray byteArray(String name, int length) {
    return ns.byteArray(checkName(name), Checks.length(length));
  }

  /**
   * Creates the byte array {@code name} holding a copy of {@code initial}, or opens the existing one of the same
   * length without writing it; see {@link #intArray(String, int[])}.
   *
   * @param name the array's name
   * @param initial the contents of a new array, and the length expected of an existing one
   * @return a handle on the array
   * @throws IllegalArgumentException if the name exists as another kind or as an array of another length
   */
  public SharedByteArray byteArray(String name, byte[] initial) {
    return ns.byteArray(checkName(name), Objects.requireNonNull(initial, "initial"));
  }

  /**
   * Creates the float array {@code name} of {@code length} zeros (Python's {@code Array('f', length)}), or opens
   * the existing one of that length.
   *
   * @param name the array's name
   * @param length the number of elements
   * @return a handle on the array
   * @throws IllegalArgumentException if {@code length} is negative, or the name exists as another kind or as an
   *     array of another length
   */
  public SharedFloatArray floatArray(String name, int length) {
    return ns.floatArray(checkName(name), Checks.length(length));
  }

  /**
   * Creates the float array {@code name} holding a copy of {@code initial}, or opens the existing one of the same
   * length without writing it; see {@link #intArray(String, int[])}.
   *
   * @param name the array's name
   * @param initial the contents of a new array, and the length expected of an existing one
   * @return a handle on the array
   * @throws IllegalArgumentException if the name exists as another kind or as an array of another length
   */
  public SharedFloatArray floatArray(String name, float[] initial) {
    return ns.floatArray(checkName(name), Objects.requireNonNull(initial, "initial"));
  }

  /**
   * Creates the boolean array {@code name} of {@code length} falses (Python's {@code Array(c_bool, length)}), or
   * opens the existing one of that length.
   *
   * @param name the array's name
   * @param length the number of elements
   * @return a handle on the array
   * @throws IllegalArgumentException if {@code length} is negative, or the name exists as another kind or as an
   *     array of another length
   */
  public SharedBooleanArray booleanArray(String name, int length) {
    return ns.booleanArray(checkName(name), Checks.length(length));
  }

  /**
   * Creates the boolean array {@code name} holding a copy of {@code initial}, or opens the existing one of the same
   * length without writing it; see {@link #intArray(String, int[])}.
   *
   * @param name the array's name
   * @param initial the contents of a new array, and the length expected of an existing one
   * @return a handle on the array
   * @throws IllegalArgumentException if the name exists as another kind or as an array of another length
   */
  public SharedBooleanArray booleanArray(String name, boolean[] initial) {
    return ns.booleanArray(checkName(name), Objects.requireNonNull(initial, "initial"));
  }

  /**
   * Creates the shared memory block {@code name} of {@code size} zero bytes (Python's {@code
   * SharedMemory(name, create=True, size=size)}), or opens the existing one of that size.
   *
   * @param name the block's name
   * @param size its size in bytes
   * @return a handle on the block
   * @throws IllegalArgumentException if {@code size} is not positive, or the name exists as another kind or as a
   *     block of another size (the message names the file and its size)
   */
  public SharedBuffer buffer(String name, int size) {
    Checks.positive("size", size);
    return ns.buffer(checkName(name), size);
  }

  /**
   * Opens the existing shared memory block {@code name}, whatever its size (Python's {@code SharedMemory(name)});
   * never creates one.
   *
   * @param name the block's name
   * @return a handle on the block
   * @throws IllegalArgumentException if the name exists as another kind
   * @throws IpcException if there is no object of that name (the message names the file)
   */
  public SharedBuffer buffer(String name) {
    return ns.buffer(checkName(name));
  }

  /**
   * Returns the names of the objects in this namespace, sorted: every value, array, lock, semaphore, event,
   * barrier, queue, pipe and buffer that any process created and nobody removed, and nothing else (no internal or
   * side file). A snapshot: other processes may create and remove objects meanwhile.
   *
   * @return a new unmodifiable sorted set of names
   */
  public SortedSet<String> names() {
    return ns.names();
  }

  /**
   * Removes the object {@code name} from the namespace, with its side files (a queue's spilled messages, a value's
   * lock), so that opening the name later creates a fresh object: Python's {@code SharedMemory.unlink()}.
   *
   * <p>It refuses what it can tell is in use: an object with a handle open in this JVM (through any {@code Ipc} of
   * the same directory), a lock (or a value's or array's {@link SharedLong#getLock() lock}) held by a live process,
   * a queue whose internal lock a live process holds, a pipe with an end claimed by a live process. What it cannot
   * tell: another process that merely has the object open, holding nothing. That process keeps using the removed
   * object's memory (as a POSIX {@code shm_unlink} leaves existing mappings alone), for the handles it opens later
   * under that name too, until it closes the namespace; processes that open the name afresh get a new, separate
   * object. Remove an object once its users are done with it.
   *
   * @param name the object's name
   * @return {@code true} if the object existed and was removed; {@code false} if there was no object of that name
   * @throws IllegalStateException if the object is in use; the message names it and says by whom
   * @throws IpcException if the file of that name is not an object of this library (a foreign file is never
   *     deleted), or cannot be deleted
   */
  public boolean remove(String name) {
    return ns.remove(checkName(name));
  }

  /** Closes every handle this instance returned; a temporary namespace is also removed from disk. */
  @Override
  public void close() {
    if (!attached) {
      ns.close();
    }
  }

  @Override
  public String toString() {
    return "Ipc[" + Locations.display(location()) + "]";
  }

  /** Checks an object name against the rules in the class comment; returns it. */
  public static String checkName(String name) {
    return Checks.name(name);
  }

  /** The class name of the {@code file:} backend this JVM uses, or null if no namespace has needed one yet. */
  static String backendName() {
    return Backends.fileBackendName();
  }
}
