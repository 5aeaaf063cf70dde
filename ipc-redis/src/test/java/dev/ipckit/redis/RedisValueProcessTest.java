package dev.ipckit.redis;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.suite.ValueProcessSuite;

/** The value and array suite across child JVMs, on Redis. */
class RedisValueProcessTest extends ValueProcessSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.open(RedisTestServer.shared().newNamespace(hint));
  }
}
