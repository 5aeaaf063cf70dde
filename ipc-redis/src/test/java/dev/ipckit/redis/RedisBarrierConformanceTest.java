package dev.ipckit.redis;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.BarrierConformance;

/** {@link BarrierConformance} over the Redis backend. */
class RedisBarrierConformanceTest extends BarrierConformance {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.open(RedisTestServer.shared().newNamespace(hint));
  }
}
