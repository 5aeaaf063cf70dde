package dev.ipckit.shm.queue;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.QueueConformance;

/** {@link QueueConformance} on the shared-memory backend. */
class ShmQueueConformanceTest extends QueueConformance {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.temp();
  }
}
