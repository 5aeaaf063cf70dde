package dev.ipckit.redis;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.SyncCrashSuite;

/**
 * {@link SyncCrashSuite} over the Redis backend. Its storm kills fewer workers after fewer steps: each step is a few
 * round trips to the server, and every update is one script, which a kill cannot cut in half.
 */
class RedisSyncCrashTest extends SyncCrashSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.open(RedisTestServer.shared().newNamespace(hint));
  }

  @Override
  protected int stormKills() {
    return 2;
  }

  @Override
  protected int stormSteps() {
    return 200;
  }
}
