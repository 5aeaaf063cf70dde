package dev.ipckit.redis;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.SyncProcessSuite;

/** {@link SyncProcessSuite} over the Redis backend. */
class RedisSyncProcessTest extends SyncProcessSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.open(RedisTestServer.shared().newNamespace(hint));
  }
}
