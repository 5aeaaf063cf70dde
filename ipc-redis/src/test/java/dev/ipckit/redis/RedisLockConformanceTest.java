package dev.ipckit.redis;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.LockConformance;

/** {@link LockConformance} over the Redis locks. */
class RedisLockConformanceTest extends LockConformance {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.open(RedisTestServer.shared().newNamespace(hint));
  }
}
