package dev.ipckit.shm.sync;

import dev.ipckit.Ipc;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.testkit.suite.SyncCrashSuite;

/**
 * {@link SyncCrashSuite} over the shared-memory backend: its storm also kills workers inside the semaphore's lock
 * word and journal, and says how often the takers redid an update.
 */
class ShmSyncCrashTest extends SyncCrashSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.temp();
  }

  @Override
  protected void afterStorm(IpcSemaphore s, int killed) {
    ShmSemaphore shm = (ShmSemaphore) s;
    System.out.printf("%s: %d workers killed in their loops: %d holders' entries reclaimed, %d takeovers of the"
        + " lock word from a worker killed inside an update; count exact%n", shm.handleRef().kind(), killed,
        shm.reclaims(), shm.lockTakeovers());
  }
}
