package dev.ipckit.shm;

import dev.ipckit.Codec;
import dev.ipckit.IpcException;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.pipe.ShmPipe;
import dev.ipckit.spi.CellType;
import dev.ipckit.spi.HandleRef;

/**
 * Reopening a handle that arrived from another JVM ({@link ShmNamespace#reopen}): its kind and name checked before
 * any file is touched, the object opened as the kind says, never created.
 */
final class Reopen {
  private Reopen() {
  }

  /** What {@link ShmNamespace#reopen} does: the handle {@code ref} names, opened in {@code ns}, never created. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Object reopen(ShmNamespace ns, NamespaceCore core, HandleRef ref) {
    Kind kind;
    try {
      kind = Kind.valueOf(ref.kind());
    } catch (IllegalArgumentException e) {
      throw new IpcException("a handle of unknown kind \"" + ref.kind() + "\" for \"" + ref.name() + "\" in "
          + ref.dir() + ": is the sender a newer ipckit?");
    }
    String n = checkReopenName(core, kind, ref);
    if (!core.exists(n)) {
      // never create on reopen: a fresh zero value would silently stand in for the sender's object
      throw new IpcException("cannot reopen " + kind.label() + " \"" + n + "\": " + core.dir.resolve(n)
          + " does not exist (was its namespace closed or removed?)");
    }
    int arg = (int) ref.arg();
    CellType<?> cells = kind.cells();
    if (cells != null) {
      return ns.array(n, cells, arg, null);
    }
    switch (kind) {
      case INT: return ns.sharedInt(n, 0);
      case LONG: return ns.sharedLong(n, 0);
      case DOUBLE: return ns.sharedDouble(n, 0);
      case BUFFER: return ns.buffer(n, arg);
      case LOCK: return ns.lock(n);
      case RLOCK: return ns.rlock(n);
      case FILE_LOCK: return ns.fileLock(n);
      case SEMAPHORE: return ns.semaphore(n, arg);
      case BOUNDED_SEMAPHORE: return ns.boundedSemaphore(n, arg);
      case EVENT: return ns.event(n);
      case BARRIER: return ns.barrier(n, arg);
      case QUEUE: return ns.queue(n, arg, (Codec) ref.codec());
      case PIPE: return ShmPipe.reopen(ns, ref);
      default:
        throw new IpcException("a handle of kind " + kind + " cannot be reopened");
    }
  }

  /**
   * A deserialized handle's name, checked by the rules of {@link dev.ipckit.Ipc#checkName} (and the internal
   * {@code value@lock} form of an rlock) before any file is touched: a crafted handle naming {@code .registry}, a
   * liveness file or {@code ../x} is refused, never opened.
   */
  private static String checkReopenName(NamespaceCore core, Kind kind, HandleRef ref) {
    String n = ref.name();
    String user = n != null && kind == Kind.RLOCK && n.endsWith(ShmNamespace.VALUE_LOCK_SUFFIX)
        ? n.substring(0, n.length() - ShmNamespace.VALUE_LOCK_SUFFIX.length()) : n;
    try {
      dev.ipckit.Ipc.checkName(user);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IpcException("refused to reopen a " + kind.label() + " handle for " + core.dir + ": its name is"
          + " not one this library makes (" + e.getMessage() + ")", e);
    }
    return n;
  }
}
