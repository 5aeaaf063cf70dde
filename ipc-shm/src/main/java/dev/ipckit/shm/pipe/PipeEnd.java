package dev.ipckit.shm.pipe;

import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.liveness.Registry;
import dev.ipckit.shm.wait.SleepWord;
import dev.ipckit.shm.wait.Tuning;
import dev.ipckit.shm.wait.Waiter;
import dev.ipckit.spi.Deadline;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What one JVM holds for one end of a pipe: the claim on the end ({@link EndClaim}) and the rings it writes and
 * reads ({@link RecordRing}), with the waiting and the wake-ups around them. Every {@link ShmConnection} of that
 * end in the JVM shares this object (through {@link NamespaceView#shared}).
 *
 * <p><b>Thread safety.</b> Safe for any number of threads. Sends are serialised by one lock and receives by
 * another, so a message is always written and read whole, and one thread may send while another receives on a
 * duplex end.
 *
 * <p><b>Memory consistency.</b> The producer writes a record with plain stores and publishes it with a
 * setRelease of the ring's tail; the consumer reads the tail with getAcquire before reading the record, and
 * frees it with a setRelease of the head that the producer reads with getAcquire before reusing the space.
 * Actions of a thread before {@code send(m)} therefore happen-before actions after the {@code recv()} that
 * returns {@code m}, in any process.
 *
 * <p><b>Peer death.</b> An end is claimed by compareAndSet of its owner word from 0 (or from a dead owner's
 * token) to this process's registry token. A waiting receiver, once past spinning, reads the peer's closed flag
 * and asks the {@link Registry} whether the peer's owner is alive; when the peer is closed or dead and the ring
 * is drained, {@code recv} throws {@link EOFException}, discarding a streamed message the dead peer had only
 * partly written. A sender waiting for space whose reader is closed or dead gets an {@link IOException}.
 */
final class PipeEnd {
  /**
   * Spins before a pipe waiter yields: longer than a parked thread takes to wake (about 50 µs here), so that
   * when one side of an exchange had to park, the other still meets its answer spinning and both return to
   * sub-microsecond turns. About 125 µs at 25 ns per {@link Thread#onSpinWait()}: {@link Tuning#PIPE_SPINS}.
   */
  private static final Waiter.Spec SPEC = Waiter.Spec.interruptible().spins(Tuning.PIPE_SPINS);
  /** awaitData results. */
  private static final int DATA = 1;
  private static final int NO_DATA = 0;
  private static final int EOF = -1;

  private final String label;
  private final EndClaim claim;
  final int end;
  final boolean duplex;
  final boolean canSend;
  final boolean canRecv;
  /** The ring into the peer (null when this end only receives), and the ring into this end (null: only sends). */
  private final RecordRing out;
  private final RecordRing in;

  private final ReentrantLock sendLock = new ReentrantLock();
  private final ReentrantLock recvLock = new ReentrantLock();
  /** The send lock holder's wait for room, and the receive lock holder's wait for data. */
  private final SpaceWait spaceWait = new SpaceWait();
  private final DataWait dataWait = new DataWait();

  // guarded by this
  private int users;
  /** Written under this, read by senders and receivers: publishes the cursors loaded by claim(). */
  private volatile boolean claimed;

  /** Sleep words: readers waiting for data, writers waiting for room (both directions share them). */
  private final SleepWord readers;
  private final SleepWord writers;

  PipeEnd(NamespaceView ns, String name, MappedFile file, int end, boolean duplex) {
    this.label = "pipe \"" + name + "\" in " + ns.dir();
    ByteBuffer buf = file.buffer();
    this.readers = ns.sleepWord(buf, FileHeader.SLEEP_OFFSET);
    this.writers = ns.sleepWord(buf, FileHeader.SECOND_SLEEP_OFFSET);
    this.end = end;
    this.duplex = duplex;
    this.canSend = duplex || end == PipeDescriptor.RIGHT;
    this.canRecv = duplex || end == PipeDescriptor.LEFT;
    this.claim = new EndClaim(buf, end, ns.liveness(), label);
    int capacity = (int) file.arg0();
    int peer = 1 - end;
    this.out = !canSend ? null : new RecordRing(buf, PipeDescriptor.ringOffset(peer, capacity), capacity, label,
        "the ring into the " + PipeDescriptor.endName(peer) + " end");
    this.in = !canRecv ? null : new RecordRing(buf, PipeDescriptor.ringOffset(end, capacity), capacity, label,
        "the ring into the " + PipeDescriptor.endName(end) + " end");
  }

  String endName() {
    return claim.endName();
  }

  String peerName() {
    return claim.peerName();
  }

  // ---- ownership

  /**
   * A connection of this JVM starts using the end: the first one claims it for this process. Throws
   * {@link IllegalStateException} naming the owner when another live process holds it.
   */
  synchronized void addUser() {
    if (users == 0) {
      claim();
    }
    users++;
  }

  /** A connection that used the end is closed: the last one releases it, which the peer sees as EOF. */
  synchronized void removeUser() {
    if (users > 0 && --users == 0) {
      release();
    }
  }

  private void claim() {
    claim.claim();
    // cursors continue from what the file says: a predecessor in another process may have used the end
    if (canSend) {
      out.resumeProducer();
    }
    if (canRecv) {
      in.resumeConsumer();
    }
    claimed = true; // volatile: the cursors above happen-before any use of them by another thread
  }

  private void release() {
    if (!claimed) {
      return;
    }
    claimed = false;
    claim.release();
    readers.wake();                            // the peer, if it waits, sees end-of-file or a broken pipe now
    writers.wake();
  }

  /** Under the send or receive lock: IllegalStateException unless this JVM holds the end. */
  private void checkClaimed(ShmHandle conn) {
    if (!claimed) {
      conn.checkOpen();
      throw claim.notClaimed();
    }
  }

  /** Times this end was taken over from a dead owner, ever. */
  long takeovers() {
    return claim.takeovers();
  }

  /** Bytes published into the ring into this end and not yet read (records, padding included). */
  long pendingBytes() {
    return canRecv ? in.pending() : 0L;
  }

  // ---- sending

  /** Writes one message, streamed in chunks when larger than a record; blocks while the ring is full. */
  void send(byte[] b, ShmHandle conn) throws IOException, InterruptedException {
    sendLock.lockInterruptibly();
    try {
      checkClaimed(conn);
      claim.checkPeerBeforeSend();
      int off = 0;
      do {
        int next;
        while ((next = out.offer(b, off)) < 0) {
          awaitSpace(b.length - off, conn, off > 0);
        }
        readers.wake();
        off = next;
      } while (off < b.length);
    } finally {
      sendLock.unlock();
    }
  }

  /**
   * Waits until the next record of a message with {@code remaining} bytes left fits; IOException when the reader
   * is closed or dead.
   */
  private void awaitSpace(int remaining, ShmHandle conn, boolean midMessage)
      throws IOException, InterruptedException {
    SpaceWait w = spaceWait;
    w.remaining = remaining;
    w.conn = conn;
    w.midMessage = midMessage;
    int outcome;
    try {
      outcome = Waiter.await(w, SPEC, writers, null, Deadline.FOREVER);
    } finally {
      w.conn = null;
    }
    if (outcome == Waiter.INTERRUPTED) {
      throw new InterruptedException(midMessage ? "interrupted while streaming a message on " + label
          + ": the reader discards the part already sent" : null);
    }
  }

  // ---- receiving

  /** The next message; EOFException once the peer is closed or dead and the ring is drained. */
  byte[] recv(ShmHandle conn) throws IOException, InterruptedException {
    recvLock.lockInterruptibly();
    try {
      checkClaimed(conn);
      for (;;) {
        if (!in.hasRecord()) {
          int r = awaitData(conn, Deadline.FOREVER);
          if (r == EOF) {
            in.dropPartial(); // a message its sender never finished is never delivered
            throw claim.endOfFile();
          }
          if (r == NO_DATA) {
            continue;
          }
        }
        byte[] m = in.readRecord();
        writers.wake();
        if (m != null) {
          return m;
        }
      }
    } finally {
      recvLock.unlock();
    }
  }

  /** True when a message (or EOF) is there, waiting up to {@code timeoutNanos}. */
  boolean poll(long timeoutNanos, ShmHandle conn) throws IOException, InterruptedException {
    recvLock.lockInterruptibly();
    try {
      checkClaimed(conn);
      return in.hasRecord() || awaitData(conn, timeoutNanos) != NO_DATA;
    } finally {
      recvLock.unlock();
    }
  }

  /**
   * Waits up to {@code nanos} for the tail of the ring into this end to move past its head: {@link #DATA},
   * {@link #NO_DATA} on timeout, or {@link #EOF} once the peer is closed or dead and nothing is left to read.
   */
  private int awaitData(ShmHandle conn, long nanos) throws InterruptedException {
    DataWait w = dataWait;
    w.conn = conn;
    w.gone = false;
    int outcome;
    try {
      outcome = Waiter.await(w, SPEC, readers, null, nanos);
    } finally {
      w.conn = null;
    }
    if (outcome == Waiter.INTERRUPTED) {
      throw new InterruptedException();
    }
    if (outcome == Waiter.TIMED_OUT) {
      return NO_DATA;
    }
    // a peer that is gone wrote its last tail before it closed or died, so anything it published is visible now
    return in.acquireTail() ? DATA : w.gone ? EOF : NO_DATA;
  }

  /**
   * What a send waits for: room for the next record. One per end, reused by every wait: only the holder of the
   * send lock waits (no allocation per wait).
   */
  private final class SpaceWait implements Waiter.Until<IOException> {
    int remaining;
    ShmHandle conn;
    boolean midMessage;

    @Override
    public boolean ready() {
      return out.pollRoom(remaining);
    }

    @Override
    public boolean check() throws IOException {
      conn.checkOpen();
      claim.checkPeerOpen(midMessage);
      return false;
    }

    @Override
    public boolean probe() throws IOException {
      claim.checkPeerAlive(midMessage);
      return false;
    }
  }

  /**
   * What a recv waits for: a record, or the peer closed or gone ({@code gone}). One per end, reused by every
   * wait: only the holder of the receive lock waits.
   */
  private final class DataWait implements Waiter.Until<RuntimeException> {
    ShmHandle conn;
    boolean gone;

    @Override
    public boolean ready() {
      return in.pollTail();
    }

    @Override
    public boolean check() {
      conn.checkOpen();
      return gone = claim.peerClosed();
    }

    @Override
    public boolean probe() {
      return gone = claim.peerGone();
    }
  }

  @Override
  public String toString() {
    return "the " + endName() + " end of " + label;
  }
}
