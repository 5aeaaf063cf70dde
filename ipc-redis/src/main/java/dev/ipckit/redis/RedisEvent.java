package dev.ipckit.redis;

abstract class RedisEvent extends RedisHandle implements dev.ipckit.IpcEvent {
  private static final long serialVersionUID = 1L;

  RedisEvent(RedisNamespace ns, String name) {
    super(ns, Kind.INT, name);
  }

  static RedisEvent open(RedisNamespace ns, String name) {
    throw new UnsupportedOperationException("not yet");
  }
}
