package dev.ipckit.shm.core;

import dev.ipckit.Codec;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.wait.SleepWord;
import dev.ipckit.shm.wait.Waiter;
import dev.ipckit.spi.Deadline;
import dev.ipckit.spi.ClosableHandle;
import dev.ipckit.spi.HandleRef;
import dev.ipckit.spi.Locations;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.function.BooleanSupplier;

/**
 * What every handle of this backend shares: its namespace, name and kind, the closed flag, and the serialized
 * form (where the object lives, as a {@link HandleRef}) that reopens it in another JVM.
 */
public abstract class ShmHandle implements ClosableHandle, Serializable, AutoCloseable {
  private static final long serialVersionUID = 1L;

  public final transient NamespaceView ns;
  protected final transient String name;
  protected final transient Kind kind;
  /** The kind-specific {@code arg}, {@code flag} and {@code codec} of this handle's {@link HandleRef}. */
  private final transient long refArg;
  private final transient boolean refFlag;
  private final transient Codec<?> refCodec;
  private transient boolean closed;

  /** A handle whose reference carries no kind-specific number, flag or codec (0, false, null). */
  protected ShmHandle(NamespaceView ns, String name, Kind kind) {
    this(ns, name, kind, 0, false, null);
  }

  /**
   * A handle whose reference carries {@code refArg}, {@code refFlag} and {@code refCodec}, as {@link HandleRef}'s
   * {@code arg}, {@code flag} and {@code codec}: what reopening it in another JVM needs besides its kind and name.
   */
  protected ShmHandle(NamespaceView ns, String name, Kind kind, long refArg, boolean refFlag, Codec<?> refCodec) {
    this.ns = ns;
    this.name = name;
    this.kind = kind;
    this.refArg = refArg;
    this.refFlag = refFlag;
    this.refCodec = refCodec;
    ns.track(this);
  }

  public String name() {
    return name;
  }

  /** Throws {@link IllegalStateException} naming the object if this handle or its namespace is closed. */
  @Override
  public final void checkOpen() {
    if (closed) {
      throw closedException();
    }
  }

  public final IllegalStateException closedException() {
    return new IllegalStateException(kind.label() + " \"" + name + "\" in " + ns.dir() + " is closed");
  }

  public final boolean isClosed() {
    return closed;
  }

  /**
   * Waits until {@code ready} returns true: true then, false once {@code nanos} have passed (a timeout as
   * {@link Deadline#nanos}: {@link Deadline#FOREVER} waits without deadline). Honours interrupts, including one
   * pending on entry, and a close of this handle meanwhile. Long waiters announce themselves in {@code sleep}.
   */
  public final boolean awaitCondition(BooleanSupplier ready, SleepWord sleep, long nanos)
      throws InterruptedException {
    checkOpen();
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    int outcome = Waiter.await(new Waiter.Until<RuntimeException>() {
      @Override
      public boolean ready() {
        return ready.getAsBoolean();
      }

      @Override
      public boolean check() {
        checkOpen();
        return false;
      }
    }, Waiter.Spec.interruptible(), sleep, null, nanos);
    if (outcome == Waiter.INTERRUPTED) {
      throw new InterruptedException();
    }
    return outcome == Waiter.READY;
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
  protected void onClose() {
  }

  /** Closed by the namespace: the handle is unusable from now on. */
  public final void closeByNamespace() {
    if (!closed) {
      closed = true;
      onClose();
    }
  }

  /** Where this object lives. A closed handle has no reference: a child could not use it. */
  @Override
  public final HandleRef handleRef() {
    checkOpen();
    return new HandleRef(Locations.of(ns.dir()), kind.name(), name, refArg, refFlag, refCodec);
  }

  protected final Object writeReplace() throws ObjectStreamException {
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
