package dev.ipckit.redis;

abstract class RedisPipe<E> extends RedisHandle implements dev.ipckit.Pipe<E> {
  private static final long serialVersionUID = 1L;

  RedisPipe(RedisNamespace ns, String name) {
    super(ns, Kind.INT, name);
  }

  static <E> RedisPipe<E> open(RedisNamespace ns, String name, boolean duplex, dev.ipckit.Codec<E> codec) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Reopens the pipe or pipe end a deserialized reference names (claiming an end for this process). */
  static RedisHandle reopen(RedisNamespace ns, dev.ipckit.spi.HandleRef ref) {
    throw new UnsupportedOperationException("not yet");
  }
}
