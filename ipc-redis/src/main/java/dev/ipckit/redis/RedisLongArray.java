package dev.ipckit.redis;

abstract class RedisLongArray extends RedisHandle implements dev.ipckit.SharedLongArray {
  private static final long serialVersionUID = 1L;

  RedisLongArray(RedisNamespace ns, String name) {
    super(ns, Kind.INT, name);
  }

  static RedisLongArray open(RedisNamespace ns, String name, int length, long[] initial) {
    throw new UnsupportedOperationException("not yet");
  }
}
