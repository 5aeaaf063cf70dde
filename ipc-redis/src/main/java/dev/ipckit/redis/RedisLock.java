package dev.ipckit.redis;

abstract class RedisLock extends RedisHandle implements dev.ipckit.IpcLock {
  private static final long serialVersionUID = 1L;

  RedisLock(RedisNamespace ns, String name) {
    super(ns, Kind.INT, name);
  }

  static RedisLock open(RedisNamespace ns, String name, boolean reentrant) {
    throw new UnsupportedOperationException("not yet");
  }
}
