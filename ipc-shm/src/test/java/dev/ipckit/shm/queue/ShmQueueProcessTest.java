package dev.ipckit.shm.queue;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.QueueProcessSuite;

/** {@link QueueProcessSuite} on the shared-memory backend: a million messages per producer, no side file left. */
class ShmQueueProcessTest extends QueueProcessSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.temp();
  }

  @Override
  protected int stressMessagesPerProducer() {
    return 1_000_000;
  }

  @Override
  protected void assertNothingLeftBehind(Ipc ipc, String name) throws Exception {
    QueueTesting.assertNoSideFiles(ipc.dir(), name);
  }
}
