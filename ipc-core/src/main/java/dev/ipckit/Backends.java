package dev.ipckit;

import dev.ipckit.spi.Backend;
import dev.ipckit.spi.Locations;
import dev.ipckit.spi.RemotePools;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backends of this JVM, one per location scheme, chosen on first use of the scheme and cached: the one the
 * system property {@value Ipc#BACKEND_PROPERTY} names by class if it serves the scheme, else the backend on the
 * class path ({@link ServiceLoader}) of highest {@link Backend#priority()} among those that serve it.
 *
 * <p>A child started by {@link IpcProcess} is told its parent's {@code file:} backend by class (the property),
 * so that a handle of a local namespace reopens without searching the class path; a handle of any other scheme
 * finds its own backend here.
 */
final class Backends {
  private static final Map<String, Backend> BY_SCHEME = new ConcurrentHashMap<>();
  /** Every backend {@link ServiceLoader} found, once it has been asked. */
  private static List<Backend> discovered;
  /** The backend the property names, once created. */
  private static Backend named;

  private Backends() {
  }

  /** The backend that serves {@code scheme} (lower case). */
  static Backend forScheme(String scheme) {
    Backend b = BY_SCHEME.get(scheme);
    if (b == null) {
      synchronized (Backends.class) {
        b = BY_SCHEME.get(scheme);
        if (b == null) {
          b = choose(scheme);
          BY_SCHEME.put(scheme, b);
        }
      }
    }
    return b;
  }

  /** The class loaders of the backends in use (a child needs their classes too). */
  static List<ClassLoader> loaders() {
    List<ClassLoader> out = new ArrayList<>(2);
    for (Backend b : BY_SCHEME.values()) {
      ClassLoader l = b.getClass().getClassLoader();
      if (l != null && !out.contains(l)) {
        out.add(l);
      }
    }
    return out;
  }

  /** The class name of the {@code file:} backend this JVM uses, or null if no namespace has needed one yet. */
  static String fileBackendName() {
    Backend b = BY_SCHEME.get(Locations.FILE);
    return b == null ? null : b.getClass().getName();
  }

  private static Backend choose(String scheme) {
    String className = System.getProperty(Ipc.BACKEND_PROPERTY, "");
    if (!className.isEmpty()) {
      if (named == null || !named.getClass().getName().equals(className)) {
        named = named(className);
      }
      if (named.schemes().contains(scheme)) {
        return named;                        // no class path search (a child's usual case)
      }
    }
    Backend b = null;
    // a plain loop, no streams or lambdas: this may run first thing in a child JVM that reopens a handle
    for (Backend candidate : discovered()) {
      if (candidate.schemes().contains(scheme) && (b == null || candidate.priority() > b.priority())) {
        b = candidate;
      }
    }
    if (b == null) {
      throw new IllegalStateException("no ipckit backend on the class path serves " + scheme + ": add the"
          + " dependency " + artifact(scheme) + " next to dev.ipckit:ipc-core");
    }
    return b;
  }

  /**
   * The {@link RemotePools} service of highest priority on the class path that serves the scheme of
   * {@code location}, for a remote {@link Pool} and {@link PoolWorker}.
   *
   * @throws IllegalArgumentException if the location is malformed
   * @throws IllegalStateException    naming the artifact to add, if no service on the class path serves the scheme
   */
  static RemotePools remotePools(URI location) {
    Locations.check(location);
    String scheme = Locations.scheme(location);
    RemotePools best = null;
    for (RemotePools candidate : ServiceLoader.load(RemotePools.class, Ipc.class.getClassLoader())) {
      if (candidate.schemes().contains(scheme) && (best == null || candidate.priority() > best.priority())) {
        best = candidate;
      }
    }
    if (best == null) {
      throw new IllegalStateException("nothing on the class path serves a remote pool at " + scheme + ": locations:"
          + " add the dependency " + artifact(scheme) + " next to dev.ipckit:ipc-core");
    }
    return best;
  }

  /** Which artifact serves {@code scheme}, for the message when none is on the class path. */
  private static String artifact(String scheme) {
    switch (scheme) {
      case Locations.FILE: return "dev.ipckit:ipc-shm (the local shared-memory backend)";
      case "redis": return "dev.ipckit:ipc-redis";
      default: return "of an ipckit backend that declares the scheme " + scheme + " in Backend.schemes()";
    }
  }

  private static List<Backend> discovered() {
    if (discovered == null) {
      List<Backend> all = new ArrayList<>();
      for (Backend b : ServiceLoader.load(Backend.class, Ipc.class.getClassLoader())) {
        all.add(b);
      }
      discovered = all;
    }
    return discovered;
  }

  private static Backend named(String className) {
    Class<?> c;
    try {
      c = Class.forName(className, true, Ipc.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException(Ipc.BACKEND_PROPERTY + "=" + className + ": no such class on the class path ("
          + e + ")", e);
    }
    if (!Backend.class.isAssignableFrom(c)) {
      throw new IllegalStateException(Ipc.BACKEND_PROPERTY + "=" + className + ": the class is not a "
          + Backend.class.getName());
    }
    try {
      return (Backend) c.getConstructor().newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(Ipc.BACKEND_PROPERTY + "=" + className + ": cannot create it through a public"
          + " no-argument constructor (" + e + ")", e);
    }
  }
}
