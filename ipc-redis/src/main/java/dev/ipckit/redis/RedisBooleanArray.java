package dev.ipckit.redis;

abstract class RedisBooleanArray extends RedisHandle implements dev.ipckit.SharedBooleanArray {
  private static final long serialVersionUID = 1L;

  RedisBooleanArray(RedisNamespace ns, String name) {
    super(ns, Kind.INT, name);
  }

  static RedisBooleanArray open(RedisNamespace ns, String name, int length, boolean[] initial) {
    throw new UnsupportedOperationException("not yet");
  }
}
