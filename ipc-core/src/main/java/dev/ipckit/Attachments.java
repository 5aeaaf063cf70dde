package dev.ipckit;

import dev.ipckit.spi.Locations;
import dev.ipckit.spi.Namespace;
import java.net.URI;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JVM-wide namespace instances that {@link Ipc#attach(URI)} hands out, one per location: what handles received
 * from another process reopen in. An instance is replaced once its namespace is {@link Namespace#gone() gone}, and
 * released (closed) once it is gone and {@link Namespace#inUse() unused}.
 *
 * <p><b>Thread safety.</b> Lookups read a concurrent map without locking; opening and releasing happen under the
 * map's monitor, so each location is opened once.
 */
final class Attachments {
  private static final Map<URI, Ipc> ATTACHED = new ConcurrentHashMap<>();

  private Attachments() {
  }

  /** As {@link Ipc#attach(URI)}. */
  static Ipc attach(URI location) {
    Ipc ipc = ATTACHED.get(location);
    if (ipc != null && !ipc.namespace().gone()) {
      return ipc;                             // the usual case: one look at the directory
    }
    Locations.check(location);                // never in ATTACHED, so the usual case needs no check
    if (Locations.isFile(location) && !Files.isDirectory(Locations.dir(location))) {
      // a handle outlived its namespace: recreating the directory would hand out fresh, empty objects
      throw new IpcException("cannot attach to the namespace " + Locations.dir(location) + ": the directory does"
          + " not exist (was it closed or removed?)");
    }
    synchronized (ATTACHED) {
      ipc = ATTACHED.get(location);
      if (ipc == null || ipc.namespace().gone()) {
        releaseGone();
        ipc = new Ipc(Backends.forScheme(Locations.scheme(location)).attach(location), true);
        ATTACHED.put(location, ipc);
      }
    }
    return ipc;
  }

  /**
   * Closes the attached namespaces whose directory is gone (their owner closed them) and whose handles are all
   * unreachable: a JVM that receives handles from many short-lived namespaces (a pool worker serving a temp
   * namespace per request) keeps only those still in use. Runs when a new namespace is attached.
   */
  private static void releaseGone() {
    for (Iterator<Map.Entry<URI, Ipc>> it = ATTACHED.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<URI, Ipc> e = it.next();
      Namespace ns = e.getValue().namespace();
      if (ns.gone() && !ns.inUse()) {
        it.remove();
        ns.close();
      }
    }
  }
}
