package dev.ipckit.shm.sync;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.SyncProcessSuite;

/** {@link SyncProcessSuite} over the shared-memory backend. */
class ShmSyncProcessTest extends SyncProcessSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.temp();
  }
}
