package dev.ipckit.shm.queue;

import dev.ipckit.IpcQueue;

/**
 * For the command's tests, which live in another package: plays a consumer inside its critical section by taking a
 * queue's consumer lock word, as the queue's own recovery tests do (a real lock word in the real file, recording
 * this process's token).
 */
public final class QueueLocks {
  private QueueLocks() {
  }

  /** Takes the consumer lock of {@code q} (a shared-memory queue) and keeps it; IllegalStateException if held. */
  public static void holdConsumerLock(IpcQueue<?> q) {
    if (!((ShmQueue<?>) q).ring().consumerLock().tryAcquireFree()) {
      throw new IllegalStateException("the consumer lock of queue \"" + q + "\" is held");
    }
  }
}
