package dev.ipckit.shm.lock;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.LockProcessSuite;

/** {@link LockProcessSuite} over this backend's lock, rlock and file lock. */
class ShmLockProcessTest extends LockProcessSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.temp();
  }
}
