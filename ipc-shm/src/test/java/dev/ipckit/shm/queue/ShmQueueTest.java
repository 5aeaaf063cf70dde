package dev.ipckit.shm.queue;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.QueueSuite;

/** {@link QueueSuite} on the shared-memory backend. */
class ShmQueueTest extends QueueSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.temp();
  }
}
