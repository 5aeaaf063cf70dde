package dev.ipckit.shm;

import java.nio.ByteBuffer;

/**
 * A robust mutual-exclusion word at an offset of a mapped buffer: 0 when free, else the holder's {@link Registry}
 * token. The same scheme as {@link ShmLock} without its per-thread bookkeeping, for structures that lock
 * internally and always release in a {@code finally}.
 *
 * <p><b>Thread safety.</b> Threads of one process share the process's token; compareAndSet(0, token) still
 * admits only one of them, and only the thread that acquired calls {@link #release}.
 *
 * <p><b>Memory consistency.</b> Acquire is a volatile compareAndSet, release a setRelease: everything the holder
 * wrote before releasing happens-before everything the next holder, in any process, does after acquiring.
 *
 * <p><b>Peer death.</b> A holder killed at any instant leaves its token in the word. A waiter that has spun for a
 * while asks the registry whether that token's process is alive and, if not, takes the word over with
 * compareAndSet(dead, me) - within a few milliseconds of the death.
 */
final class OwnerWord {

  private OwnerWord() {
  }

  /** One compareAndSet(0, token): true if acquired. */
  static boolean tryAcquire(ByteBuffer buf, int at, long token) {
    return Mem.LONG.compareAndSet(buf, at, 0L, token);
  }

  /**
   * Acquires the word, waiting as long as a live holder keeps it (holders keep it for microseconds) and taking it
   * over from a dead one. Not interruptible: the wait is bounded by the holders' short critical sections.
   *
   * @return true if the word was taken over from a dead holder
   */
  static boolean acquire(ByteBuffer buf, int at, long token, Registry registry) {
    if (Mem.LONG.compareAndSet(buf, at, 0L, token)) {
      return false;
    }
    Backoff backoff = new Backoff();
    for (;;) {
      long cur = (long) Mem.LONG.getOpaque(buf, at);
      if (cur == 0L) {
        if (Mem.LONG.compareAndSet(buf, at, 0L, token)) {
          return false;
        }
      } else if (cur != token && backoff.dueForProbe()
          && !registry.isAlive(cur)
          && Mem.LONG.compareAndSet(buf, at, cur, token)) { // take over from the dead holder
        return true;
      }
      backoff.idle();
    }
  }

  /** setRelease(0): publishes everything written while holding. Only the acquiring thread calls this. */
  static void release(ByteBuffer buf, int at) {
    Mem.LONG.setRelease(buf, at, 0L);
  }
}
