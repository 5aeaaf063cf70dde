package dev.ipckit.shm.pipe;

import dev.ipckit.Codec;
import dev.ipckit.Pipe;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.spi.HandleRef;
import dev.ipckit.spi.PipeEnds;
import dev.ipckit.spi.PipeHandle;
import dev.ipckit.spi.Pipes;

/**
 * {@link dev.ipckit.Ipc#pipe}: two connected ends over one mapped file, laid out by {@link PipeDescriptor}: a
 * single-producer single-consumer ring per direction (one for a half-duplex pipe), each end claimed by one
 * process at a time.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads; see {@link ShmConnection}.
 *
 * <p><b>Memory consistency.</b> Actions of a thread before {@code send(m)} on one end happen-before actions
 * after the {@code recv()} that returns {@code m} on the other, in any process.
 *
 * <p><b>Peer death.</b> When the process owning one end dies, the other end's {@code recv} throws
 * {@link java.io.EOFException} once everything sent has been received, and its {@code send} throws
 * {@link java.io.IOException}; another process may then claim the dead process's end and carry on.
 */
public final class ShmPipe<E> extends ShmHandle implements PipeHandle<E> {
  private static final long serialVersionUID = 1L;
  private final transient PipeEnds<E> ends;

  private ShmPipe(NamespaceView ns, String name, boolean duplex, Codec<E> codec, ShmConnection<E> left,
      ShmConnection<E> right) {
    super(ns, name, Kind.PIPE, Pipes.WHOLE, duplex, codec);   // a whole pipe's reference; a connection's is its end
    this.ends = new PipeEnds<>(left, right, duplex);
  }

  public static <E> Pipe<E> open(NamespaceView ns, String name, boolean duplex, Codec<E> codec) {
    // the connections first: a file that does not fit (another kind, another duplex flag) throws before any
    // handle is made
    ShmConnection<E> left = connection(ns, name, duplex, codec, PipeDescriptor.LEFT);
    ShmConnection<E> right = connection(ns, name, duplex, codec, PipeDescriptor.RIGHT);
    return new ShmPipe<>(ns, name, duplex, codec, left, right);
  }

  /** Reopens the pipe or pipe end a deserialized reference names; an end is claimed for this process at once. */
  public static Object reopen(NamespaceView ns, HandleRef ref) {
    long arg = Pipes.checkRef(ref, ref.dir());
    Codec<?> codec = ref.codec();
    if (arg == Pipes.WHOLE) {
      return open(ns, ref.name(), ref.flag(), codec);
    }
    ShmConnection<?> c = connection(ns, ref.name(), ref.flag(), codec, (int) arg);
    c.claimOnArrival();
    return c;
  }

  private static <E> ShmConnection<E> connection(NamespaceView ns, String name, boolean duplex, Codec<E> codec,
      int end) {
    MappedFile file = ns.file(name, spec(duplex));
    PipeEnd state = ns.shared(Kind.PIPE.name() + "/" + name + "/" + PipeDescriptor.endName(end),
        k -> new PipeEnd(ns, name, file, end, duplex));
    return new ShmConnection<>(ns, name, state, codec);
  }

  private static MappedFile.Spec spec(boolean duplex) {
    int capacity = PipeDescriptor.RING_CAPACITY;
    long flag = duplex ? 1 : 0;
    return MappedFile.spec(Kind.PIPE, capacity, flag, PipeDescriptor.bodyLength(duplex, capacity), null,
        (a0, a1) -> a1 != flag ? "duplex=" + (a1 != 0) + " (opened here with duplex=" + duplex + ")"
            : a0 == capacity ? null : "a ring capacity of " + a0 + " bytes, not " + capacity);
  }

  @Override
  public PipeEnds<E> ends() {
    return ends;
  }

  @Override
  protected void onClose() {
    ends.close();
  }

  @Override
  public String toString() {
    return Pipes.describe(name, ns.dir(), duplex(), isClosed());
  }
}
