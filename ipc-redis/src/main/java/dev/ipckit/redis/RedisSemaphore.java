package dev.ipckit.redis;

abstract class RedisSemaphore extends RedisHandle implements dev.ipckit.IpcSemaphore {
  private static final long serialVersionUID = 1L;

  RedisSemaphore(RedisNamespace ns, String name) {
    super(ns, Kind.INT, name);
  }

  static RedisSemaphore open(RedisNamespace ns, String name, int permits, boolean bounded) {
    throw new UnsupportedOperationException("not yet");
  }
}
