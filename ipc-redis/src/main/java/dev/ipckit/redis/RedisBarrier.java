package dev.ipckit.redis;

abstract class RedisBarrier extends RedisHandle implements dev.ipckit.IpcBarrier {
  private static final long serialVersionUID = 1L;

  RedisBarrier(RedisNamespace ns, String name) {
    super(ns, Kind.INT, name);
  }

  static RedisBarrier open(RedisNamespace ns, String name, int parties, Runnable action) {
    throw new UnsupportedOperationException("not yet");
  }
}
