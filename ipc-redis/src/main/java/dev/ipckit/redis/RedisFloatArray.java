package dev.ipckit.redis;

abstract class RedisFloatArray extends RedisHandle implements dev.ipckit.SharedFloatArray {
  private static final long serialVersionUID = 1L;

  RedisFloatArray(RedisNamespace ns, String name) {
    super(ns, Kind.INT, name);
  }

  static RedisFloatArray open(RedisNamespace ns, String name, int length, float[] initial) {
    throw new UnsupportedOperationException("not yet");
  }
}
