package dev.ipckit.testkit;

import dev.ipckit.Ipc;
import dev.ipckit.IpcLock;

/** The three kinds of {@link IpcLock} a namespace makes, for tests parameterised over all of them. */
public enum LockKind {
  LOCK, RLOCK, FILE_LOCK;

  public IpcLock open(Ipc ipc, String name) {
    switch (this) {
      case LOCK: return ipc.lock(name);
      case RLOCK: return ipc.rlock(name);
      default: return ipc.fileLock(name);
    }
  }

  public String label() {
    switch (this) {
      case LOCK: return "lock";
      case RLOCK: return "rlock";
      default: return "fileLock";
    }
  }
}
