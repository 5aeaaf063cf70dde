package dev.ipckit.shm.sync;

import dev.ipckit.IpcEvent;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.Cell;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.wait.SleepWord;
import dev.ipckit.spi.Deadline;
import java.util.concurrent.TimeUnit;

/**
 * {@link dev.ipckit.Ipc#event}: a flag word in shared memory, as Python's {@code multiprocessing.Event}.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads and processes.
 *
 * <p><b>Memory consistency.</b> {@link #set()} is a release store and the waiters' reads are acquire loads:
 * actions before {@code set()} happen-before actions after an {@link #await()} that returns because of it.
 *
 * <p><b>Peer death.</b> Nothing is held. A process that dies before setting the event leaves it clear; waiters
 * keep waiting (use the timed {@link #await(long, TimeUnit)} when the setter may die).
 */
public final class ShmEvent extends ShmHandle implements IpcEvent {
  private static final long serialVersionUID = 1L;
  private final transient java.nio.ByteBuffer buf;
  /** The offset of the flag word in {@link #buf}. */
  private final transient int state;
  private final transient SleepWord sleep;
  private final transient Cell cell;

  private ShmEvent(NamespaceView ns, String name, Cell cell) {
    super(ns, name, Kind.EVENT);
    this.buf = cell.buf();
    this.state = cell.body();
    this.cell = cell;
    this.sleep = ns.sleepWord(buf, cell.sleep());
  }

  /** The event {@code name}, created clear or opened: a slab slot, or a file of its own for a long name. */
  public static ShmEvent open(NamespaceView ns, String name) {
    return new ShmEvent(ns, name, ns.small(name, Kind.EVENT, null));
  }

  /** True while the event's words are still those of the live object of its name (not removed since opened). */
  public boolean current() {
    return ns.current(cell);
  }

  @Override
  public void set() {
    checkOpen();
    Mem.LONG.setRelease(buf, state, 1L);
    sleep.wake();
  }

  /** The mapped buffer that holds the event's words, for tests of its sleep word. */
  public java.nio.ByteBuffer buffer() {
    return buf;
  }

  /** The offset of the event's sleep word in {@link #buffer()}, for tests. */
  public int sleepAt() {
    return cell.sleep();
  }

  @Override
  public void clear() {
    checkOpen();
    Mem.LONG.setRelease(buf, state, 0L);
  }

  @Override
  public boolean isSet() {
    checkOpen();
    return (long) Mem.LONG.getAcquire(buf, state) != 0L;
  }

  @Override
  public void await() throws InterruptedException {
    await(Deadline.FOREVER);
  }

  @Override
  public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    return await(Deadline.nanos(timeout, unit));
  }

  private boolean await(long nanos) throws InterruptedException {
    return awaitCondition(() -> (long) Mem.LONG.getAcquire(buf, state) != 0L, sleep, nanos);
  }
}
