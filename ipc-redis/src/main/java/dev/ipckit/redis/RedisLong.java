package dev.ipckit.redis;

abstract class RedisLong extends RedisHandle implements dev.ipckit.SharedLong {
  private static final long serialVersionUID = 1L;

  RedisLong(RedisNamespace ns, String name) {
    super(ns, Kind.INT, name);
  }

  static RedisLong open(RedisNamespace ns, String name, long initial) {
    throw new UnsupportedOperationException("not yet");
  }
}
