package dev.ipckit.redis;

import dev.ipckit.Codec;
import dev.ipckit.spi.HandleRef;
import dev.ipckit.spi.PipeEnds;
import dev.ipckit.spi.PipeHandle;
import dev.ipckit.spi.Pipes;

/**
 * {@link dev.ipckit.Ipc#pipe} on Redis: two connected ends ({@link RedisPipeEnd}) over the pipe's hash at the
 * object key and one list of messages per direction ({@code KEY:to0} into the left end, {@code KEY:to1} into the
 * right end; a half-duplex pipe uses {@code to0} alone). The meta descriptor is {@code pipe/true} or
 * {@code pipe/false}: the duplex flag is the pipe's shape, so that opening it with the other flag is refused.
 *
 * <p>A pipe handle serializes as a {@link HandleRef} with {@code arg} {@link Pipes#WHOLE} and the duplex flag and
 * codec; an end's reference has {@code arg} {@link Pipes#LEFT} or {@link Pipes#RIGHT}, as in the shared-memory
 * backend.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads; see {@link RedisPipeEnd}.
 */
final class RedisPipe<E> extends RedisHandle implements PipeHandle<E> {
  private static final long serialVersionUID = 1L;
  private final transient PipeEnds<E> ends;

  private RedisPipe(RedisNamespace ns, String name, boolean duplex, Codec<E> codec) {
    super(ns, Kind.PIPE, name, Pipes.WHOLE, duplex, codec);   // a whole pipe's reference; an end's is the end
    this.ends = new PipeEnds<>(new RedisPipeEnd<>(ns, name, duplex, codec, RedisPipeEnd.LEFT),
        new RedisPipeEnd<>(ns, name, duplex, codec, RedisPipeEnd.RIGHT), duplex);
  }

  /** Creates the pipe {@code name}, or opens the existing one (which must have the same duplex flag). */
  static <E> RedisPipe<E> open(RedisNamespace ns, String name, boolean duplex, Codec<E> codec) {
    create(ns, name, duplex);
    return new RedisPipe<>(ns, name, duplex, codec);
  }

  /**
   * Records the pipe in the namespace, or checks the one recorded there.
   *
   * @throws IllegalArgumentException if the name holds another kind, or a pipe with the other duplex flag
   */
  private static void create(RedisNamespace ns, String name, boolean duplex) {
    try {
      ns.create(Kind.PIPE, name, duplex);
    } catch (IllegalArgumentException e) {
      if (Kind.PIPE.descriptor(!duplex).equals(ns.descriptorOf(name))) {
        throw new IllegalArgumentException("\"" + name + "\" in " + ns.location() + " is a pipe with duplex="
            + !duplex + ", not duplex=" + duplex + " as opened here", e);
      }
      throw e;
    }
  }

  /**
   * Reopens the pipe or pipe end a deserialized reference names. An end is claimed for this process at once (as
   * one that arrived from another JVM), so that this process's death is an end-of-file for the peer even if it
   * never uses the end; an end another live process owns is left alone here, and using it says so.
   */
  static RedisHandle reopen(RedisNamespace ns, HandleRef ref) {
    long arg = Pipes.checkRef(ref, ns.location());
    Codec<?> codec = ref.codec();
    if (arg == Pipes.WHOLE) {
      return open(ns, ref.name(), ref.flag(), codec);
    }
    create(ns, ref.name(), ref.flag());
    RedisPipeEnd<?> end = new RedisPipeEnd<>(ns, ref.name(), ref.flag(), codec, (int) arg);
    end.claimOnArrival();
    return end;
  }

  @Override
  public PipeEnds<E> ends() {
    return ends;
  }

  /** Closes this handle and both its connections (releasing the ends this JVM used through no other). */
  @Override
  public void close() {
    super.close();
    ends.close();
  }

  @Override
  public String toString() {
    return Pipes.describe(name, ns.location(), duplex(), isClosed());
  }
}
