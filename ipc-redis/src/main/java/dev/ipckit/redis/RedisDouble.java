package dev.ipckit.redis;

abstract class RedisDouble extends RedisHandle implements dev.ipckit.SharedDouble {
  private static final long serialVersionUID = 1L;

  RedisDouble(RedisNamespace ns, String name) {
    super(ns, Kind.INT, name);
  }

  static RedisDouble open(RedisNamespace ns, String name, double initial) {
    throw new UnsupportedOperationException("not yet");
  }
}
