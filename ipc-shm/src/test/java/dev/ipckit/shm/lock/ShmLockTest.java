package dev.ipckit.shm.lock;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.LockSuite;

/** {@link LockSuite} over this backend's lock, rlock and file lock. */
class ShmLockTest extends LockSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.temp();
  }
}
