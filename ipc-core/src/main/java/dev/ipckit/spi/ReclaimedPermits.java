package dev.ipckit.spi;

/**
 * What a semaphore keeps in a JVM to answer {@link dev.ipckit.IpcSemaphore#reclaimed()}: whether the last
 * acquisition of each thread took permits reclaimed from a dead holder. Until one acquisition in the JVM does,
 * recording an acquisition is one volatile read and {@link #reclaimed()} looks nothing up. Thread safe; a backend's
 * per-JVM state of a semaphore extends it.
 */
public class ReclaimedPermits {
  private final ThreadLocal<Boolean> reclaimed = new ThreadLocal<>();
  /** False until an acquisition in this JVM took reclaimed permits: until then no acquisition looks anything up. */
  private volatile boolean any;

  /**
   * Records that the current thread has acquired permits.
   *
   * @param fromDead whether some of them had been reclaimed from a dead holder
   */
  public final void acquired(boolean fromDead) {
    if (fromDead) {
      any = true;
      reclaimed.set(Boolean.TRUE);
    } else if (any) {
      reclaimed.remove();
    }
  }

  /**
   * Returns whether the current thread's last acquisition took reclaimed permits.
   *
   * @return what the last {@link #acquired} of this thread said
   */
  public final boolean reclaimed() {
    return any && reclaimed.get() != null;
  }
}
