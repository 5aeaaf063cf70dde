package dev.ipckit.shm.sync;

import dev.ipckit.IpcEvent;
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
  private static final int STATE = SyncDescriptor.STATE_OFFSET;
  private final transient java.nio.ByteBuffer buf;
  private final transient SleepWord sleep;

  private ShmEvent(NamespaceView ns, String name, MappedFile file) {
    super(ns, name, Kind.EVENT);
    this.buf = file.buffer;
    this.sleep = ns.sleepWord(buf, FileHeader.SLEEP_OFFSET);
  }

  public static IpcEvent open(NamespaceView ns, String name) {
    return new ShmEvent(ns, name, ns.file(name, MappedFile.spec(Kind.EVENT, 0, 0, SyncDescriptor.EVENT_BODY_LENGTH, null)));
  }

  @Override
  public void set() {
    checkOpen();
    Mem.LONG.setRelease(buf, STATE, 1L);
    sleep.wake();
  }

  /** The mapped file (header included), for tests of its sleep word. */
  public java.nio.ByteBuffer buffer() {
    return buf;
  }

  @Override
  public void clear() {
    checkOpen();
    Mem.LONG.setRelease(buf, STATE, 0L);
  }

  @Override
  public boolean isSet() {
    checkOpen();
    return (long) Mem.LONG.getAcquire(buf, STATE) != 0L;
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
    return awaitCondition(() -> (long) Mem.LONG.getAcquire(buf, STATE) != 0L, sleep, nanos);
  }
}
