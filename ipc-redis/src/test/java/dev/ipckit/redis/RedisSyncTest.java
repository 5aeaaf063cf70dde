package dev.ipckit.redis;

import dev.ipckit.Ipc;
import dev.ipckit.IpcBarrier;
import dev.ipckit.IpcSemaphore;
import dev.ipckit.testkit.suite.SyncSuite;

/**
 * {@link SyncSuite} over the Redis backend: a dead holder or party is a liveness token that nobody subscribes to
 * and that has no lease, in the semaphore's {@code holders} or the barrier's {@code arrived}.
 */
class RedisSyncTest extends SyncSuite {
  /** Tokens of processes that are gone: no lease, no subscriber. */
  static final String[] DEAD = {"ipckit:live:gone:999999991:5ead", "ipckit:live:gone:999999992:0bad"};

  @Override
  protected Ipc newNamespace(String hint) {
    return Ipc.open(RedisTestServer.shared().newNamespace(hint));
  }

  @Override
  protected long heldByThisProcess(IpcSemaphore s) {
    return ((RedisSemaphore) s).heldByThisProcess();
  }

  @Override
  protected void playDeadHolder(IpcSemaphore s, int which, long permits) {
    RedisSemaphore r = (RedisSemaphore) s;
    r.server.call(j -> j.hset(r.key("holders"), DEAD[which], String.valueOf(permits)));
  }

  @Override
  protected long heldByDeadHolder(IpcSemaphore s, int which) {
    RedisSemaphore r = (RedisSemaphore) s;
    String h = r.server.call(j -> j.hget(r.key("holders"), DEAD[which]));
    return h == null ? 0 : Long.parseLong(h);
  }

  @Override
  protected void playDeadParty(IpcBarrier b, boolean runningItsAction) {
    RedisBarrier r = (RedisBarrier) b;
    r.server.call(j -> j.hincrBy(r.key("arrived"), DEAD[0], 1));
    if (runningItsAction) {
      // its arrival made the count reach the parties: the generation is tripping, its action running
      r.server.call(j -> j.hset(r.key, "n", String.valueOf(b.parties())));
    }
  }
}
