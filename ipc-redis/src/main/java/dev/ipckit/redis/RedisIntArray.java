package dev.ipckit.redis;

abstract class RedisIntArray extends RedisHandle implements dev.ipckit.SharedIntArray {
  private static final long serialVersionUID = 1L;

  RedisIntArray(RedisNamespace ns, String name) {
    super(ns, Kind.INT, name);
  }

  static RedisIntArray open(RedisNamespace ns, String name, int length, int[] initial) {
    throw new UnsupportedOperationException("not yet");
  }
}
