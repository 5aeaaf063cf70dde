package dev.ipckit.redis;

abstract class RedisInt extends RedisHandle implements dev.ipckit.SharedInt {
  private static final long serialVersionUID = 1L;

  RedisInt(RedisNamespace ns, String name) {
    super(ns, Kind.INT, name);
  }

  static RedisInt open(RedisNamespace ns, String name, int initial) {
    throw new UnsupportedOperationException("not yet");
  }
}
