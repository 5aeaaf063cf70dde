package dev.ipckit.shm;

import dev.ipckit.Codec;
import dev.ipckit.spi.Handle;
import dev.ipckit.spi.HandleRef;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;

/**
 * What every handle of this backend shares: its namespace, name and kind, the closed flag, and the serialized
 * form (where the object lives, as a {@link HandleRef}) that reopens it in another JVM.
 */
abstract class ShmHandle implements Handle, Serializable, AutoCloseable {
  private static final long serialVersionUID = 1L;

  final transient ShmNamespace ns;
  final transient String name;
  final transient Kind kind;
  private transient boolean closed;

  ShmHandle(ShmNamespace ns, String name, Kind kind) {
    this.ns = ns;
    this.name = name;
    this.kind = kind;
    ns.track(this);
  }

  public String name() {
    return name;
  }

  /** Throws {@link IllegalStateException} naming the object if this handle or its namespace is closed. */
  final void checkOpen() {
    if (closed) {
      throw closedException();
    }
  }

  final IllegalStateException closedException() {
    return new IllegalStateException(kind.label() + " \"" + name + "\" in " + ns.dir() + " is closed");
  }

  final boolean isClosed() {
    return closed;
  }

  /**
   * Waits with {@link Backoff} until {@code ready} returns true: true then, false once {@code deadline}
   * ({@link System#nanoTime()} scale; only when {@code timed}) has passed. Honours interrupts, including one
   * pending on entry, and a close of this handle meanwhile.
   */
  final boolean awaitCondition(java.util.function.BooleanSupplier ready, boolean timed, long deadline)
      throws InterruptedException {
    checkOpen();
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    Backoff backoff = new Backoff();
    if (sleepBuffer() != null) {
      backoff.sleepWord(ns, sleepBuffer(), FileHeader.SLEEP_OFFSET);
    }
    for (;;) {
      if (ready.getAsBoolean()) {
        return true;
      }
      if (backoff.pastSpinning()) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        checkOpen();
      }
      if (timed) {
        if (System.nanoTime() - deadline >= 0) {
          return false;
        }
        backoff.idle(deadline);
      } else {
        backoff.idle();
      }
    }
  }

  /**
   * The mapped file in whose header sleep word ({@link FileHeader#SLEEP_OFFSET}) waiters in {@link #awaitCondition}
   * announce themselves ({@link Bell}); null for none.
   */
  java.nio.ByteBuffer sleepBuffer() {
    return null;
  }

  /** Marks this handle closed; idempotent. Subclasses release what they hold first. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      onClose();
      ns.untrack(this);
    }
  }

  /** Called once, by the first {@link #close()}, or when the namespace closes. */
  void onClose() {
  }

  /** Closed by the namespace: the handle is unusable from now on. */
  final void closeByNamespace() {
    if (!closed) {
      closed = true;
      onClose();
    }
  }

  /** Kind-specific number for the serialized form. */
  long refArg() {
    return 0;
  }

  boolean refFlag() {
    return false;
  }

  Codec<?> refCodec() {
    return null;
  }

  @Override
  public final HandleRef handleRef() {
    return new HandleRef(ns.dir().toString(), kind.name(), name, refArg(), refFlag(), refCodec());
  }

  Object writeReplace() throws ObjectStreamException {
    return handleRef();
  }

  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("handles are serialized as HandleRef");
  }

  @Override
  public String toString() {
    return kind.label() + "[\"" + name + "\" in " + ns.dir() + (closed ? ", closed]" : "]");
  }
}
