package dev.ipckit.shm.lock;

import dev.ipckit.IpcCondition;
import dev.ipckit.IpcLock;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.Kind;

/**
 * What the lock kinds share: the JVM's {@link LockState} of the lock, and conditions that every process opening the
 * same lock shares ({@link ShmCondition}). Subclasses say how the lock is taken and released.
 */
abstract class LockHandle extends ShmHandle implements IpcLock, ShmCondition.Owner {
  private static final long serialVersionUID = 1L;

  final transient LockState st;

  LockHandle(NamespaceView ns, String name, Kind kind, LockState st) {
    super(ns, name, kind);
    this.st = st;
  }

  /** A condition shared with every process that opens this lock; see {@link ShmCondition}. */
  @Override
  public final IpcCondition newCondition() {
    checkOpen();
    return new ShmCondition(this, st);
  }
}
