package dev.ipckit.redis;

abstract class RedisDoubleArray extends RedisHandle implements dev.ipckit.SharedDoubleArray {
  private static final long serialVersionUID = 1L;

  RedisDoubleArray(RedisNamespace ns, String name) {
    super(ns, Kind.INT, name);
  }

  static RedisDoubleArray open(RedisNamespace ns, String name, int length, double[] initial) {
    throw new UnsupportedOperationException("not yet");
  }
}
