package dev.ipckit.redis;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.QueueCrashSuite;

/** {@link QueueCrashSuite} on the Redis backend. */
class RedisQueueCrashTest extends QueueCrashSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.open(RedisTestServer.shared().newNamespace(hint));
  }
}
