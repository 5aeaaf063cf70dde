package dev.ipckit.spi;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets the parent of a daemon child JVM wake the child's waiting threads at once. A waiter in shared memory cannot
 * block in the kernel (Java has no futex), so once it has waited long it parks for up to 20 ms at a time and
 * notices a change only when it wakes. A daemon child also reads its standard input, a real pipe from its parent:
 * every byte the parent writes there ({@code IpcProcess} does, for instance when a {@code Pool} hands a worker a
 * task) {@linkplain #ring() rings} this doorbell, which unparks every thread that has parked here, so that it looks
 * again at once.
 *
 * <p>Backends park their waiters through {@link #parkNanos(long)}. A thread that parked here once stays on the list
 * (until it ends): a ring may unpark it while it waits elsewhere, a spurious wake-up that every caller of
 * {@link LockSupport#park} tolerates, and in exchange a ring between a waiter's last look and its park is never
 * lost (the unpark leaves a permit that makes the park return at once).
 *
 * <p>Nothing changes in a JVM whose doorbell is not {@linkplain #install() installed}: parks are plain parks.
 */
public final class Doorbell {
  private static final Set<Thread> PARKED_HERE = ConcurrentHashMap.newKeySet();
  private static volatile boolean installed;

  private Doorbell() {
  }

  /** Turns the doorbell on in this JVM (a daemon child does, before its task starts). */
  public static void install() {
    installed = true;
  }

  /** Whether {@link #install()} was called in this JVM. */
  public static boolean installed() {
    return installed;
  }

  /** {@link LockSupport#parkNanos(long)}, returning early when the doorbell rings. */
  public static void parkNanos(long nanos) {
    if (installed) {
      PARKED_HERE.add(Thread.currentThread());
    }
    LockSupport.parkNanos(nanos);
  }

  /** Unparks every thread that has parked through {@link #parkNanos(long)}; forgets those that have ended. */
  public static void ring() {
    for (Iterator<Thread> it = PARKED_HERE.iterator(); it.hasNext(); ) {
      Thread t = it.next();
      if (t.isAlive()) {
        LockSupport.unpark(t);
      } else {
        it.remove();
      }
    }
  }
}
