package dev.ipckit.redis;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.SemaphoreConformance;

/** {@link SemaphoreConformance} over the Redis backend. */
class RedisSemaphoreConformanceTest extends SemaphoreConformance {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.open(RedisTestServer.shared().newNamespace(hint));
  }
}
