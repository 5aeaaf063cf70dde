package dev.ipckit.redis;

abstract class RedisQueue<E> extends RedisHandle implements dev.ipckit.IpcQueue<E> {
  private static final long serialVersionUID = 1L;

  RedisQueue(RedisNamespace ns, String name) {
    super(ns, Kind.INT, name);
  }

  static <E> RedisQueue<E> open(RedisNamespace ns, String name, int capacity, dev.ipckit.Codec<E> codec) {
    throw new UnsupportedOperationException("not yet");
  }
}
