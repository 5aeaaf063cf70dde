package dev.ipckit.redis;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.ValueCrashSuite;

/** The value and array suite with children killed by {@code kill -9}, on Redis. */
class RedisValueCrashTest extends ValueCrashSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.open(RedisTestServer.shared().newNamespace(hint));
  }
}
