package dev.ipckit;

import dev.ipckit.spi.Backend;
import dev.ipckit.spi.Namespace;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A namespace: a directory whose named objects (values, arrays, locks, queues, pipes, ...) are shared by every
 * process on the machine that opens the same directory.
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
 * <p><b>Backend.</b> The objects live in the backend found on the class path through {@link ServiceLoader} (the
 * one with the highest {@link Backend#priority()}), or in the one the system property {@value #BACKEND_PROPERTY}
 * names by class. A child started by {@link IpcProcess} uses its parent's backend without searching.
 */
public final class Ipc implements AutoCloseable {
  /** Longest permitted object name. */
  public static final int MAX_NAME_LENGTH = 200;
  /** System property naming the backend class to use instead of searching the class path. */
  public static final String BACKEND_PROPERTY = "ipckit.backend";

  private static final Map<Path, Ipc> ATTACHED = new ConcurrentHashMap<>();
  private static volatile Backend backend;

  private final Namespace ns;
  private final boolean attached;

  private Ipc(Namespace ns, boolean attached) {
    this.ns = ns;
    this.attached = attached;
  }

  /** Creates the namespace directory if needed (mode 0700) and opens it. */
  public static Ipc open(Path dir) {
    Objects.requireNonNull(dir, "dir");
    return new Ipc(backend().open(dir), false);
  }

  /**
   * A new private namespace (under {@code $XDG_RUNTIME_DIR/ipckit}, else {@code /dev/shm/ipckit-UID}, when they
   * exist and are this user's), removed with everything in it by {@link #close()}.
   */
  public static Ipc temp() {
    return new Ipc(backend().createTemp(), false);
  }

  /**
   * The JVM-wide namespace instance for {@code dir}, opened on first use: this is what handles received from
   * another process reopen in. Closing it is ignored; it is released once its directory is gone and none of its
   * handles is reachable any more. The directory must exist: a handle that outlived its namespace is an
   * {@link IpcException}, not a fresh empty object.
   */
  public static Ipc attach(Path dir) {
    Path key = dir.toAbsolutePath().normalize();
    Ipc ipc = ATTACHED.get(key);
    if (ipc != null && !ipc.ns.gone()) {
      return ipc;                             // the usual case: one look at the directory
    }
    if (!java.nio.file.Files.isDirectory(key)) {
      // a handle outlived its namespace: recreating the directory would hand out fresh, empty objects
      throw new IpcException("cannot attach to the namespace " + key + ": the directory does not exist"
          + " (was it closed or removed?)");
    }
    synchronized (ATTACHED) {
      ipc = ATTACHED.get(key);
      if (ipc == null || ipc.ns.gone()) {
        releaseGoneAttachments();
        ipc = new Ipc(backend().attach(key), true);
        ATTACHED.put(key, ipc);
      }
    }
    return ipc;
  }

  /**
   * Closes the attached namespaces whose directory is gone (their owner closed them) and whose handles are all
   * unreachable: a JVM that receives handles from many short-lived namespaces (a pool worker serving a temp
   * namespace per request) keeps only those still in use. Runs when a new namespace is attached.
   */
  private static void releaseGoneAttachments() {
    for (Iterator<Map.Entry<Path, Ipc>> it = ATTACHED.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Path, Ipc> e = it.next();
      Namespace ns = e.getValue().ns;
      if (ns.gone() && !ns.inUse()) {
        it.remove();
        ns.close();
      }
    }
  }

  public Path dir() {
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
    return ns.intArray(checkName(name), checkLength(length));
  }

  public SharedLongArray longArray(String name, int length) {
    return ns.longArray(checkName(name), checkLength(length));
  }

  public SharedDoubleArray doubleArray(String name, int length) {
    return ns.doubleArray(checkName(name), checkLength(length));
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
    if (permits < 0) {
      throw new IllegalArgumentException("permits must not be negative: permits=" + permits);
    }
    return ns.semaphore(checkName(name), permits);
  }

  public IpcSemaphore boundedSemaphore(String name, int permits) {
    if (permits < 0) {
      throw new IllegalArgumentException("permits must not be negative: permits=" + permits);
    }
    return ns.boundedSemaphore(checkName(name), permits);
  }

  public IpcEvent event(String name) {
    return ns.event(checkName(name));
  }

  public IpcBarrier barrier(String name, int parties) {
    if (parties < 1) {
      throw new IllegalArgumentException("parties must be positive: parties=" + parties);
    }
    return ns.barrier(checkName(name), parties);
  }

  public <E> IpcQueue<E> queue(String name, int capacity, Codec<E> codec) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: capacity=" + capacity);
    }
    return ns.queue(checkName(name), capacity, Objects.requireNonNull(codec, "codec"));
  }

  public <E> Pipe<E> pipe(String name, boolean duplex, Codec<E> codec) {
    return ns.pipe(checkName(name), duplex, Objects.requireNonNull(codec, "codec"));
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
    return "Ipc[" + dir() + "]";
  }

  /** Checks an object name against the rules in the class comment; returns it. */
  public static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("name must be 1 to " + MAX_NAME_LENGTH + " characters: length="
          + name.length() + (name.isEmpty() ? "" : ", name=\"" + abbreviate(name) + "\""));
    }
    if (name.charAt(0) == '.') {
      throw new IllegalArgumentException("name must not start with '.': name=\"" + abbreviate(name) + "\"");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.';
      if (!ok) {
        throw new IllegalArgumentException("name may hold only letters, digits, '-', '_' and '.': name=\""
            + abbreviate(name) + "\" has '" + (Character.isISOControl(c) ? String.format("\\u%04x", (int) c)
            : String.valueOf(c)) + "' at index " + i);
      }
    }
    return name;
  }

  private static int checkLength(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative: length=" + length);
    }
    return length;
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  /** The class name of the backend this JVM uses, or null if no namespace has needed one yet. */
  static String backendName() {
    Backend b = backend;
    return b == null ? null : b.getClass().getName();
  }

  private static Backend backend() {
    Backend b = backend;
    if (b == null) {
      synchronized (Ipc.class) {
        b = backend;
        if (b == null) {
          String named = System.getProperty(BACKEND_PROPERTY, "");
          b = named.isEmpty() ? discover() : named(named);
          backend = b;
        }
      }
    }
    return b;
  }

  /** The class path's backend of highest priority. */
  private static Backend discover() {
    Backend b = null;
    // a plain loop, no streams or lambdas: this runs first thing in a child JVM that reopens a handle
    for (Backend candidate : ServiceLoader.load(Backend.class, Ipc.class.getClassLoader())) {
      if (b == null || candidate.priority() > b.priority()) {
        b = candidate;
      }
    }
    if (b == null) {
      throw new IllegalStateException("no ipckit backend on the class path: add the dependency"
          + " dev.ipckit:ipc-shm (the local shared-memory backend) next to dev.ipckit:ipc-core");
    }
    return b;
  }

  private static Backend named(String className) {
    Class<?> c;
    try {
      c = Class.forName(className, true, Ipc.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException(BACKEND_PROPERTY + "=" + className + ": no such class on the class path ("
          + e + ")", e);
    }
    if (!Backend.class.isAssignableFrom(c)) {
      throw new IllegalStateException(BACKEND_PROPERTY + "=" + className + ": the class is not a "
          + Backend.class.getName());
    }
    try {
      return (Backend) c.getConstructor().newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(BACKEND_PROPERTY + "=" + className + ": cannot create it through a public"
          + " no-argument constructor (" + e + ")", e);
    }
  }
}
