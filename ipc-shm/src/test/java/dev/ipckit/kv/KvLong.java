package dev.ipckit.kv;

import dev.ipckit.IpcLock;
import dev.ipckit.SharedLong;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongUnaryOperator;

/**
 * A long in a kv store: an 8-byte file, each operation a read-modify-write under a kernel file lock (and a
 * JVM-wide monitor, since a {@link FileLock} belongs to the whole JVM). Slow and correct across processes.
 */
final class KvLong extends KvHandle implements SharedLong {
  private static final long serialVersionUID = 1L;
  /** Every kv file lock of this JVM is taken under this monitor (a second lock of a file would throw). */
  private static final Object JVM = new Object();

  private final transient Path file;

  KvLong(KvNamespace ns, String name, long initial) {
    super(ns, name, KvNamespace.LONG);
    this.file = ns.key(name);
    synchronized (JVM) {
      try {
        if (!Files.exists(file)) {
          Files.write(file, ByteBuffer.allocate(Long.BYTES).putLong(initial).array(), StandardOpenOption.CREATE_NEW);
        }
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // another process made it first: its initial value stands
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + this, e);
      }
    }
  }

  /** Applies {@code f} atomically; returns the old value. */
  private long update(LongUnaryOperator f) {
    synchronized (JVM) {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
           FileLock lock = ch.lock()) {
        ByteBuffer b = ByteBuffer.allocate(Long.BYTES);
        ch.read(b, 0);
        long old = b.flip().getLong();
        long next = f.applyAsLong(old);
        if (next != old) {
          ch.write(b.clear().putLong(next).flip(), 0);
        }
        return old;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot update " + this, e);
      }
    }
  }

  @Override
  public long get() {
    return update(v -> v);
  }

  @Override
  public void set(long v) {
    update(x -> v);
  }

  @Override
  public long getAndAdd(long delta) {
    return update(x -> x + delta);
  }

  @Override
  public long addAndGet(long delta) {
    return getAndAdd(delta) + delta;
  }

  @Override
  public long incrementAndGet() {
    return addAndGet(1);
  }

  @Override
  public long getAndIncrement() {
    return getAndAdd(1);
  }

  @Override
  public long decrementAndGet() {
    return addAndGet(-1);
  }

  @Override
  public long getAndDecrement() {
    return getAndAdd(-1);
  }

  @Override
  public boolean compareAndSet(long expect, long update) {
    return update(x -> x == expect ? update : x) == expect;
  }

  @Override
  public long updateAndGet(LongUnaryOperator f) {
    return f.applyAsLong(getAndUpdate(f));
  }

  @Override
  public long getAndUpdate(LongUnaryOperator f) {
    return update(f);
  }

  @Override
  public long getAndSet(long v) {
    return update(x -> v);
  }

  @Override
  public IpcLock getLock() {
    return ns.lock(name + "@lock");
  }
}
