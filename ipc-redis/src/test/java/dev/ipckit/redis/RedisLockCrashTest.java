package dev.ipckit.redis;

import dev.ipckit.Ipc;
import dev.ipckit.testkit.LockKind;
import dev.ipckit.testkit.suite.LockCrashSuite;
import java.util.EnumSet;
import java.util.Set;

/** {@link LockCrashSuite} over the Redis lock and rlock: holders killed with kill -9 are taken over. */
class RedisLockCrashTest extends LockCrashSuite {
  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.open(RedisTestServer.shared().newNamespace(hint));
  }

  @Override
  protected Set<LockKind> kinds() {
    return EnumSet.of(LockKind.LOCK, LockKind.RLOCK);
  }

  @Override
  protected int progressBetweenKills() {
    return 100;
  }
}
