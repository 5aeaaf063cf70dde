package dev.ipckit.shm.wait;

import java.nio.ByteBuffer;

/**
 * One sleep word of one object: where its long waiters announce themselves ({@link Bell}) and what whoever
 * changes the object looks at to know whether to ring. Most objects have one, in their header
 * ({@code FileHeader.SLEEP_OFFSET}); a queue and a pipe have a second for the other side.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads and processes: the word is read and written with
 * volatile access and compareAndSet.
 *
 * @param bell the namespace's bell, rung when a waiter may be parked on the word
 * @param buf the object's mapped file
 * @param at the offset of the word in {@code buf}
 */
public record SleepWord(Bell bell, ByteBuffer buf, int at) {

  /**
   * After a change to the object: rings the namespace's bell if a waiter may be parked on it. Call it after the
   * store that publishes the change.
   */
  public void wake() {
    if (Bell.claimRing(buf, at)) {
      bell.ring();
    }
  }

  boolean listen() {
    return bell.listen();
  }

  void announce(long parkNanos) {
    Bell.announce(buf, at, parkNanos);
  }
}
