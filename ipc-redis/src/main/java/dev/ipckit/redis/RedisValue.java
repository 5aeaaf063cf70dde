package dev.ipckit.redis;

/**
 * A single value on Redis ({@link RedisInt}, {@link RedisLong}, {@link RedisDouble}): {@link Cells} of one cell,
 * created holding its initial bits when it is made, or opened and left as it is. Each typed value converts its type
 * to and from the bits of cell 0.
 */
abstract class RedisValue extends Cells {
  private static final long serialVersionUID = 1L;

  /**
   * The value {@code name} of {@code kind}, one cell of {@code width} bytes, created holding {@code initialBits} or
   * opened (and then left as it is).
   *
   * @throws IllegalArgumentException if the name holds another kind
   */
  RedisValue(RedisNamespace ns, Kind kind, String name, int width, long initialBits) {
    super(ns, kind, name, 1, width);
    create(ns, kind, name, 1, width, i -> initialBits);
  }
}
