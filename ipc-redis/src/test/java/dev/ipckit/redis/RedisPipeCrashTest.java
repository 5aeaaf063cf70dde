package dev.ipckit.redis;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.PipeCrashSuite;

/** {@link PipeCrashSuite} on Redis: a killed process's subscription drops, so its ends are dead at once. */
class RedisPipeCrashTest extends PipeCrashSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.open(RedisTestServer.shared().newNamespace(hint));
  }
}
