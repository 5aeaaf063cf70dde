package dev.ipckit.redis;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.QueueProcessSuite;

/** {@link QueueProcessSuite} on the Redis backend. */
class RedisQueueProcessTest extends QueueProcessSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.open(RedisTestServer.shared().newNamespace(hint));
  }
}
