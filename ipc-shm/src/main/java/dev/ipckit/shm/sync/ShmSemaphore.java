package dev.ipckit.shm.sync;

import dev.ipckit.IpcSemaphore;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.wait.SleepWord;
import dev.ipckit.spi.Deadline;
import java.util.concurrent.TimeUnit;

/**
 * {@link dev.ipckit.Ipc#semaphore} and {@link dev.ipckit.Ipc#boundedSemaphore}: a permit count in shared memory,
 * taken by compareAndSet and returned by getAndAdd (or a bounded compareAndSet).
 *
 * <p><b>Thread safety.</b> Safe for any number of threads and processes. Like
 * {@link java.util.concurrent.Semaphore}, permits have no owner: any thread may release.
 *
 * <p><b>Memory consistency.</b> Actions before {@link #release()} happen-before actions after an
 * {@link #acquire()} that takes that permit (both are volatile updates of the count).
 *
 * <p><b>Peer death.</b> A permit has no owner, so a process that dies holding permits does not give them back
 * (as in Python). A bounded semaphore then simply has fewer permits in circulation. Waiters are never corrupted
 * and still honour their timeouts.
 */
public final class ShmSemaphore extends ShmHandle implements IpcSemaphore {
  private static final long serialVersionUID = 1L;
  private static final int STATE = SyncDescriptor.STATE_OFFSET;

  private final transient MappedFile file;
  private final transient boolean bounded;
  private final transient long bound;
  private final transient int initial;
  private final transient SleepWord sleep;

  private ShmSemaphore(NamespaceView ns, String name, MappedFile file, boolean bounded, int initial) {
    super(ns, name, bounded ? Kind.BOUNDED_SEMAPHORE : Kind.SEMAPHORE);
    this.file = file;
    this.bounded = bounded;
    this.bound = file.arg0;
    this.initial = initial;
    this.sleep = ns.sleepWord(file.buffer, FileHeader.SLEEP_OFFSET);
  }

  public static IpcSemaphore open(NamespaceView ns, String name, int permits, boolean bounded) {
    Kind kind = bounded ? Kind.BOUNDED_SEMAPHORE : Kind.SEMAPHORE;
    MappedFile f = ns.file(name, MappedFile.spec(kind, bounded ? permits : 0, bounded ? 1 : 0,
        SyncDescriptor.BODY_LENGTH, b -> b.putLong(STATE, permits),
        // a plain semaphore's initial permits are ignored when it exists, like a value's initial value
        (a0, a1) -> !bounded || a0 == permits ? null : "bound " + a0 + ", not " + permits));
    return new ShmSemaphore(ns, name, f, bounded, permits);
  }

  @Override protected long refArg() {
    return bounded ? bound : initial;
  }

  /** One attempt to take {@code n} permits at once: compareAndSet(p, p - n) while p >= n. */
  private boolean tryTake(int n) {
    if (n == 0) {
      return true;
    }
    java.nio.ByteBuffer b = file.buffer;
    for (;;) {
      long p = (long) Mem.LONG.getAcquire(b, STATE);
      if (p < n) {
        return false;
      }
      if (Mem.LONG.compareAndSet(b, STATE, p, p - n)) {
        return true;
      }
    }
  }

  private static int checkPermits(int permits) {
    if (permits < 0) {
      throw new IllegalArgumentException("permits must not be negative: permits=" + permits);
    }
    return permits;
  }

  @Override
  public void acquire() throws InterruptedException {
    await(1, Deadline.FOREVER);
  }

  @Override
  public void acquire(int permits) throws InterruptedException {
    await(checkPermits(permits), Deadline.FOREVER);
  }

  @Override
  public boolean tryAcquire() {
    checkOpen();
    return tryTake(1);
  }

  @Override
  public boolean tryAcquire(int permits) {
    checkPermits(permits);
    checkOpen();
    return tryTake(permits);
  }

  @Override
  public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
    return await(1, Deadline.nanos(timeout, unit));
  }

  @Override
  public boolean tryAcquire(int permits, long timeout, TimeUnit unit) throws InterruptedException {
    return await(checkPermits(permits), Deadline.nanos(timeout, unit));
  }

  /** Waits for {@code n} permits; false on timeout; InterruptedException on interrupt. */
  private boolean await(int n, long nanos) throws InterruptedException {
    return awaitCondition(() -> tryTake(n), sleep, nanos);
  }

  @Override
  public void release() {
    release(1);
  }

  @Override
  public void release(int permits) {
    checkPermits(permits);
    checkOpen();
    if (permits == 0) {
      return;
    }
    java.nio.ByteBuffer b = file.buffer;
    if (!bounded) {
      Mem.LONG.getAndAdd(b, STATE, (long) permits);
      sleep.wake();
      return;
    }
    for (;;) {
      long p = (long) Mem.LONG.getAcquire(b, STATE);
      if (p + permits > bound) {
        throw new IllegalStateException("boundedSemaphore \"" + name + "\" in " + ns.dir()
            + " released too many times: permits=" + p + ", releasing " + permits + ", bound=" + bound);
      }
      if (Mem.LONG.compareAndSet(b, STATE, p, p + permits)) {
        sleep.wake();
        return;
      }
    }
  }

  @Override
  public int drainPermits() {
    checkOpen();
    java.nio.ByteBuffer b = file.buffer;
    for (;;) {
      long p = (long) Mem.LONG.getAcquire(b, STATE);
      if (p <= 0) {
        return 0;
      }
      if (Mem.LONG.compareAndSet(b, STATE, p, 0L)) {
        return (int) Math.min(Integer.MAX_VALUE, p);
      }
    }
  }

  @Override
  public int availablePermits() {
    checkOpen();
    return (int) Math.min(Integer.MAX_VALUE, (long) Mem.LONG.getAcquire(file.buffer, STATE));
  }
}
