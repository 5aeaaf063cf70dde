package dev.ipckit.redis;

import dev.ipckit.spi.Deadline;
import dev.ipckit.spi.Doorbell;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The wake-ups of one pub/sub channel in this JVM: every message on it (a script that changed the object publishes
 * on the object's key) bumps {@link #seq()} and unparks the threads waiting here, which then look again. A waiter
 * reads {@code seq()} before its attempt and waits for a change after it, so a message between the two is never
 * lost; a waiter also looks again after each probe interval, for what no message announces (a process death).
 */
final class Signal {
  final String channel;
  private final Set<Thread> waiters = ConcurrentHashMap.newKeySet();
  private volatile long seq;
  private volatile boolean subscribed;
  /** Handles using this signal; guarded by the owning {@link Server}'s map. */
  int refs;

  Signal(String channel) {
    this.channel = channel;
  }

  long seq() {
    return seq;
  }

  boolean subscribed() {
    return subscribed;
  }

  void subscribed(boolean on) {
    subscribed = on;
    if (on) {
      fire();
    }
  }

  /** Something changed (or may have): every waiter looks again. */
  void fire() {
    seq++;                       // only the subscriber thread and close() fire; a lost increment still changes seq
    for (Thread t : waiters) {
      LockSupport.unpark(t);
    }
  }

  /** Parks the current thread until {@link #seq()} differs from {@code seen}, {@code nanos} pass, or an interrupt. */
  void await(long seen, long nanos) {
    if (seq != seen || nanos <= 0) {
      return;
    }
    Thread me = Thread.currentThread();
    waiters.add(me);
    try {
      long deadline = Deadline.after(nanos);
      while (seq == seen && !me.isInterrupted()) {
        long left = Deadline.remaining(deadline);
        if (left <= 0) {
          return;
        }
        Doorbell.parkNanos(left);
      }
    } finally {
      waiters.remove(me);
    }
  }
}
