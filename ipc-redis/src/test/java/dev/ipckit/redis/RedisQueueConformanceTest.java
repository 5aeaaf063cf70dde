package dev.ipckit.redis;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.QueueConformance;

/** {@link QueueConformance} on the Redis backend. */
class RedisQueueConformanceTest extends QueueConformance {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.open(RedisTestServer.shared().newNamespace(hint));
  }
}
