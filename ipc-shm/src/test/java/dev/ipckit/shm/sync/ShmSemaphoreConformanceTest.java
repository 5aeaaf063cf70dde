package dev.ipckit.shm.sync;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.SemaphoreConformance;

/** {@link SemaphoreConformance} over the shared-memory backend. */
class ShmSemaphoreConformanceTest extends SemaphoreConformance {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.temp();
  }
}
