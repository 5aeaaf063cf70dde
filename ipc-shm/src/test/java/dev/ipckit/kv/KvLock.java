package dev.ipckit.kv;

import dev.ipckit.IpcLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A non-robust, non-reentrant lock in a kv store: held while the file {@code NAME.held} exists, taken by creating
 * it (an atomic create-new), released by deleting it. A holder that dies leaves it held.
 */
final class KvLock extends KvHandle implements IpcLock {
  private static final long serialVersionUID = 1L;
  /** The suffix of the key that marks a lock held. */
  static final String HELD = ".held";

  private final transient Path held;
  private transient volatile Thread owner;

  KvLock(KvNamespace ns, String name) {
    super(ns, name, KvNamespace.LOCK);
    this.held = ns.key(name + HELD);
    try {
      Files.createFile(ns.key(name));
    } catch (FileAlreadyExistsException e) {
      // opened, not created
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + this, e);
    }
  }

  @Override
  public boolean tryLock() {
    try {
      Files.createFile(held);
      owner = Thread.currentThread();
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take " + this, e);
    }
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(time);
    while (!tryLock()) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      Thread.sleep(1);
    }
    return true;
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    tryLock(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
  }

  @Override
  public void lock() {
    while (!tryLock()) {
      Thread.onSpinWait();
    }
  }

  @Override
  public void unlock() {
    if (owner != Thread.currentThread()) {
      throw new IllegalMonitorStateException(this + " is not held by this thread");
    }
    owner = null;
    try {
      Files.delete(held);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release " + this, e);
    }
  }

  @Override
  public dev.ipckit.IpcCondition newCondition() {
    throw new UnsupportedOperationException("the kv test backend has no conditions");
  }

  @Override
  public boolean ownerDied() {
    return false;
  }

  @Override
  public boolean isHeldByCurrentThread() {
    return owner == Thread.currentThread();
  }

  @Override
  public boolean isLocked() {
    return Files.exists(held);
  }
}
