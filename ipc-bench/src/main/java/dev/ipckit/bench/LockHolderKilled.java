package dev.ipckit.bench;

import dev.ipckit.IpcLock;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * A child holds a lock and is killed with SIGKILL while this process's thread waits in {@code lock()}; the thread
 * notes when it got the lock and checks that it saw {@code ownerDied()}. On a local namespace, or on the one a
 * subclass opens ({@link RedisBenchmark.Takeover}).
 */
public class LockHolderKilled extends KillScenario {
  IpcLock lock;
  volatile boolean ownerDied;

  @Override
  void open() {
    lock = ipc.lock("killed");
  }

  /** A fresh holder, and this process's waiter already blocked in lock(): setup, not measured. */
  @Setup(Level.Iteration)
  public void holderAndWaiter() {
    IpcLock l = lock;
    child = childAt(there, l::lock);
    startWaiter(() -> {
      l.lock();
      at.set(System.nanoTime());
      ownerDied = l.ownerDied();
      l.unlock();
    });
  }

  @Override
  void verify() {
    if (!ownerDied) {
      throw new IllegalStateException("the waiter did not see ownerDied()");
    }
  }
}
