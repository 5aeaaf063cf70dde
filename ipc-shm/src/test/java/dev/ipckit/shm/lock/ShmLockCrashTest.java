package dev.ipckit.shm.lock;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.LockCrashSuite;

/** {@link LockCrashSuite} over this backend's lock, rlock and file lock. */
class ShmLockCrashTest extends LockCrashSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.temp();
  }
}
