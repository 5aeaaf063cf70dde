package dev.ipckit.shm.core;

import dev.ipckit.shm.wait.Waiter;

/**
 * What a wait on one handle waits for, when nothing but a close of the handle ends it otherwise: its {@link #check()}
 * throws the handle's {@link IllegalStateException} once the handle is closed, and never ends the wait itself. A
 * call site gives {@link #ready()} and, if it has one, {@link #probe()}.
 *
 * @param <X> the checked exception a look may throw ({@link RuntimeException} when none)
 */
public abstract class WhileOpen<X extends Exception> implements Waiter.Until<X> {
  private final ShmHandle handle;

  /** A wait that ends with an exception once {@code handle} is closed. */
  protected WhileOpen(ShmHandle handle) {
    this.handle = handle;
  }

  @Override
  public final boolean check() {
    handle.checkOpen();
    return false;
  }
}
