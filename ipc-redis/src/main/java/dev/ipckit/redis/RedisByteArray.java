package dev.ipckit.redis;

abstract class RedisByteArray extends RedisHandle implements dev.ipckit.SharedByteArray {
  private static final long serialVersionUID = 1L;

  RedisByteArray(RedisNamespace ns, String name) {
    super(ns, Kind.INT, name);
  }

  static RedisByteArray open(RedisNamespace ns, String name, int length, byte[] initial) {
    throw new UnsupportedOperationException("not yet");
  }
}
