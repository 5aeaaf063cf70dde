package dev.ipckit.redis;

import dev.ipckit.Codec;
import dev.ipckit.spi.Deadline;
import dev.ipckit.spi.ClosableHandle;
import dev.ipckit.spi.HandleRef;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.List;

/**
 * What every Redis handle shares: its namespace, kind, name and key, its serialized form (a {@link HandleRef}), the
 * closed check, and the one wait loop ({@link #await}) behind every blocking call.
 */
abstract class RedisHandle implements ClosableHandle, Serializable, AutoCloseable {
  private static final long serialVersionUID = 1L;

  final transient RedisNamespace ns;
  final transient Server server;
  final transient Kind kind;
  final transient String name;
  final transient String key;
  /** The kind-specific {@code arg}, {@code flag} and {@code codec} of this handle's {@link HandleRef}. */
  private final transient long refArg;
  private final transient boolean refFlag;
  private final transient Codec<?> refCodec;
  private transient volatile boolean closed;
  private transient Signal signal;

  /** A handle whose reference carries no kind-specific number, flag or codec (0, false, null). */
  RedisHandle(RedisNamespace ns, Kind kind, String name) {
    this(ns, kind, name, 0, false, null);
  }

  /**
   * A handle whose reference carries {@code refArg} (length, capacity, parties, ...), {@code refFlag} and
   * {@code refCodec} (of a queue or pipe), as {@link HandleRef}'s {@code arg}, {@code flag} and {@code codec}: what
   * reopening it in another JVM needs besides its kind and name.
   */
  RedisHandle(RedisNamespace ns, Kind kind, String name, long refArg, boolean refFlag, Codec<?> refCodec) {
    this.ns = ns;
    this.server = ns.server;
    this.kind = kind;
    this.name = name;
    this.key = ns.key(kind, name);
    this.refArg = refArg;
    this.refFlag = refFlag;
    this.refCodec = refCodec;
  }

  public String name() {
    return name;
  }

  @Override
  public HandleRef handleRef() {
    return new HandleRef(ns.location(), kind.id, name, refArg, refFlag, refCodec);
  }

  protected final Object writeReplace() throws ObjectStreamException {
    return handleRef();
  }

  /** @throws IllegalStateException if this handle or its namespace is closed */
  @Override
  public final void checkOpen() {
    if (closed || ns.closed()) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  final boolean isClosed() {
    return closed || ns.closed();
  }

  /** A sub-key of this object: {@code key:suffix} (one of its kind's {@link Kind#suffixes}). */
  final String key(String suffix) {
    return key + ":" + suffix;
  }

  /** Runs {@code script} with this object's key first and {@code more} keys after it. */
  final Object run(Script script, List<String> keys, Object... args) {
    return server.run(script, keys, args);
  }

  /** One attempt of a blocking call: its result, or null to wait and try again. */
  @FunctionalInterface
  interface Attempt<T> {
    T get() throws InterruptedException;
  }

  /**
   * The one wait loop: runs {@code attempt} until it returns non-null or {@code nanos} ({@link Deadline}: 0 looks
   * once, {@link Deadline#FOREVER} never gives up) have passed, then returns null. Between attempts it waits for a
   * message on this object's channel (every script that changes the object publishes there), or the probe
   * interval, whichever comes first: the probe catches what no message announces, a holder's death. Honours
   * interrupts (on entry and while waiting) and {@link #close()} (an {@link IllegalStateException}); no socket
   * read is ever left blocked, since every call to the server is short.
   */
  final <T> T await(long nanos, Attempt<T> attempt) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    checkOpen();
    Signal s = subscribedSignal();            // once subscribed, a message after this read is never missed
    long seen = s == null ? 0 : s.seq();
    T r = attempt.get();
    if (r != null || nanos <= 0) {
      return r;
    }
    boolean forever = Deadline.isForever(nanos);
    long start = System.nanoTime();
    long deadline = Deadline.after(nanos);
    if (s == null) {                          // the first wait of this handle: subscribe, then look again
      s = signal();
      server.awaitSubscribed(s);
      seen = s.seq() - 1;                     // makes the first pass of the loop look again at once
    }
    long probe = server.probeNanos();
    long spin = server.spinNanos();
    while (true) {
      long left = forever ? Long.MAX_VALUE : Deadline.remaining(deadline);
      if (left <= 0) {
        return null;
      }
      long waited = System.nanoTime() - start;
      if (waited >= spin) {
        // a long wait looks again on its own less often (a takeover still within ~5 probes)
        long step = waited > 1_000_000_000L ? 5 * probe : probe;
        s.await(seen, Math.min(left, step));
      }                                       // else look again at once: what a peer answers comes that fast
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      checkOpen();
      seen = s.seq();
      r = attempt.get();
      if (r != null) {
        return r;
      }
    }
  }

  /** This handle's signal if it is subscribed already, else null. */
  private synchronized Signal subscribedSignal() {
    return signal != null && signal.subscribed() ? signal : null;
  }

  /** This object's wake-up channel, subscribed on first use until {@link #close()}. */
  final synchronized Signal signal() {
    if (signal == null) {
      signal = server.subscribe(key);
    }
    return signal;
  }

  /** Fires this handle's signal so that its waiters in this JVM look again (after a local change). */
  final void wakeLocal() {
    Signal s;
    synchronized (this) {
      s = signal;
    }
    if (s != null) {
      s.fire();
    }
  }

  @Override
  public void close() {
    Signal s;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      s = signal;
      signal = null;
    }
    if (s != null) {
      s.fire();                                   // waiters see the close
      server.unsubscribe(s);
    }
  }

  @Override
  public String toString() {
    return kind.id + "[\"" + name + "\" in " + ns.location() + "]";
  }
}
