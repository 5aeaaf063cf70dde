package dev.ipckit.shm.queue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcQueue;
import dev.ipckit.testkit.suite.QueueCrashSuite;

/**
 * {@link QueueCrashSuite} on the shared-memory backend: five rounds of 100,000 messages per producer, and after the
 * kills the side files of the killed producers (spilled, never published) are swept, leaving none.
 */
class ShmQueueCrashTest extends QueueCrashSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.temp();
  }

  @Override
  protected int messagesPerProducer() {
    return 100_000;
  }

  @Override
  protected int rounds() {
    return 5;
  }

  @Override
  protected void assertNothingLeftBehind(Ipc ipc, IpcQueue<byte[]> q) throws Exception {
    ((ShmQueue<?>) q).sweepOrphans();
    QueueTesting.assertNoSideFiles(ipc.dir(), q.name());
  }
}
