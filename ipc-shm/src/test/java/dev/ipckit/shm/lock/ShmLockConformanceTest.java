package dev.ipckit.shm.lock;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.LockConformance;

/** {@link LockConformance} over this backend's locks. */
class ShmLockConformanceTest extends LockConformance {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.temp();
  }
}
