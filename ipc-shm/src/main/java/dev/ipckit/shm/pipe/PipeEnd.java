package dev.ipckit.shm.pipe;

import static dev.ipckit.shm.pipe.PipeDescriptor.CONTINUATION;
import static dev.ipckit.shm.pipe.PipeDescriptor.PADDING;
import static dev.ipckit.shm.pipe.PipeDescriptor.RECORD_HEADER_LENGTH;

import dev.ipckit.IpcException;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.ShmHandle;
import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.liveness.Liveness;
import dev.ipckit.shm.liveness.OwnerWord;
import dev.ipckit.shm.liveness.Registry;
import dev.ipckit.shm.wait.Deadline;
import dev.ipckit.shm.wait.SleepWord;
import dev.ipckit.shm.wait.Tuning;
import dev.ipckit.shm.wait.Waiter;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What one JVM holds for one end of a pipe: the claim on the end, and the cursors of the rings it writes and
 * reads. Every {@link ShmConnection} of that end in the JVM shares this object (through
 * {@link NamespaceView#shared}).
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
   * Once parking, probe the peer's liveness at most this often: a probe is a kernel lock attempt, and an idle
   * waiter must stay far under 2 % of a core while still seeing a death within a few milliseconds.
   */
  private static final long PROBE_INTERVAL_NANOS = 5_000_000L;
  /**
   * Spins before a pipe waiter yields: longer than a parked thread takes to wake (about 50 µs here), so that
   * when one side of an exchange had to park, the other still meets its answer spinning and both return to
   * sub-microsecond turns. About 125 µs at 25 ns per {@link Thread#onSpinWait()}: {@link Tuning#PIPE_SPINS}.
   */
  private static final Waiter.Spec SPEC = Waiter.Spec.interruptible().spins(Tuning.PIPE_SPINS)
      .probeInterval(PROBE_INTERVAL_NANOS);
  /** awaitData result: the peer is closed or dead and the ring is drained. */
  private static final long EOF = -1L;

  private final String label;
  private final ByteBuffer buf;
  private final Liveness registry;
  /** This end's owner word, and the peer end's (read to tell whether the peer lives). */
  private final OwnerWord claim;
  private final OwnerWord peerClaim;
  final int end;
  final boolean duplex;
  final boolean canSend;
  final boolean canRecv;
  private final int capacity;
  private final int mask;
  private final int maxChunk;

  private final int ownerAt;
  private final int closedAt;
  private final int takeoversAt;
  private final int peerOwnerAt;
  private final int peerClosedAt;

  private final int outTailAt;
  private final int outHeadAt;
  private final int outData;
  private final int inTailAt;
  private final int inHeadAt;
  private final int inData;

  private final ReentrantLock sendLock = new ReentrantLock();
  private final ReentrantLock recvLock = new ReentrantLock();

  // guarded by this
  private int users;
  private long token;
  /** Written under this, read by senders and receivers: publishes the cursors loaded by claim(). */
  private volatile boolean claimed;
  /** The peer owner token last found dead (0 if none): a send to it fails without asking the registry again. */
  private volatile long deadPeer;

  // producer cursor, guarded by sendLock
  private long tail;
  private long cachedHead;

  // consumer cursor, guarded by recvLock
  private long head;
  private long cachedTail;
  private byte[] partial;
  private int partialAt;

  /** Sleep words: readers waiting for data, writers waiting for room (both directions share them). */
  private final SleepWord readers;
  private final SleepWord writers;

  PipeEnd(NamespaceView ns, String name, MappedFile file, int end, boolean duplex) {
    this.label = "pipe \"" + name + "\" in " + ns.dir();
    this.buf = file.buffer;
    this.registry = ns.liveness();
    this.readers = ns.sleepWord(buf, FileHeader.SLEEP_OFFSET);
    this.writers = ns.sleepWord(buf, FileHeader.SECOND_SLEEP_OFFSET);
    this.end = end;
    this.duplex = duplex;
    this.capacity = (int) file.arg0;
    this.mask = capacity - 1;
    this.maxChunk = PipeDescriptor.maxChunk(capacity);
    int peer = 1 - end;
    this.canSend = duplex || end == PipeDescriptor.RIGHT;
    this.canRecv = duplex || end == PipeDescriptor.LEFT;
    int mine = PipeDescriptor.endOffset(end);
    int theirs = PipeDescriptor.endOffset(peer);
    this.ownerAt = mine + PipeDescriptor.OWNER_OFFSET;
    this.closedAt = mine + PipeDescriptor.CLOSED_OFFSET;
    this.takeoversAt = mine + PipeDescriptor.TAKEOVERS_OFFSET;
    this.peerOwnerAt = theirs + PipeDescriptor.OWNER_OFFSET;
    this.peerClosedAt = theirs + PipeDescriptor.CLOSED_OFFSET;
    int out = PipeDescriptor.ringOffset(peer, capacity); // the ring into the peer
    int in = PipeDescriptor.ringOffset(end, capacity);   // the ring into this end
    this.outTailAt = out + PipeDescriptor.TAIL_OFFSET;
    this.outHeadAt = out + PipeDescriptor.HEAD_OFFSET;
    this.outData = out + PipeDescriptor.RING_CONTROL_LENGTH;
    this.inTailAt = in + PipeDescriptor.TAIL_OFFSET;
    this.inHeadAt = in + PipeDescriptor.HEAD_OFFSET;
    this.inData = in + PipeDescriptor.RING_CONTROL_LENGTH;
    this.claim = new OwnerWord(buf, ownerAt, takeoversAt, registry);
    this.peerClaim = new OwnerWord(buf, peerOwnerAt, -1, registry);
  }

  String endName() {
    return PipeDescriptor.endName(end);
  }

  String peerName() {
    return PipeDescriptor.endName(1 - end);
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
    long owner = claim.claim();
    if (owner != 0L) {
      throw new IllegalStateException("the " + endName() + " end of " + label + " is in use by process "
          + registry.pidOf(owner) + "; an end has one owner process at a time (close it there first, or use the "
          + peerName() + " end)");
    }
    long me = registry.token();
    Mem.LONG.setRelease(buf, closedAt, 0L);
    token = me;
    // cursors continue from what the file says: a predecessor in another process may have used the end
    if (canSend) {
      tail = (long) Mem.LONG.getAcquire(buf, outTailAt);
      cachedHead = (long) Mem.LONG.getAcquire(buf, outHeadAt);
    }
    if (canRecv) {
      head = (long) Mem.LONG.getAcquire(buf, inHeadAt);
      cachedTail = head;
      partial = null;
    }
    claimed = true; // volatile: the cursors above happen-before any use of them by another thread
  }

  private void release() {
    if (!claimed) {
      return;
    }
    claimed = false;
    // release: every tail published before happens-before a peer that reads closed == 1 with getAcquire
    Mem.LONG.setRelease(buf, closedAt, 1L);
    claim.releaseChecked();                    // not ours any more if it was taken from a process thought dead
    readers.wake();                            // the peer, if it waits, sees end-of-file or a broken pipe now
    writers.wake();
  }

  /** Times this end was taken over from a dead owner, ever. */
  long takeovers() {
    return claim.takeovers();
  }

  /** Bytes published into the ring into this end and not yet read (records, padding included). */
  long pendingBytes() {
    return canRecv ? (long) Mem.LONG.getAcquire(buf, inTailAt) - (long) Mem.LONG.getAcquire(buf, inHeadAt) : 0L;
  }

  // ---- sending

  /** Writes one message, streamed in chunks when larger than a record; blocks while the ring is full. */
  void send(byte[] b, ShmHandle conn) throws IOException, InterruptedException {
    sendLock.lockInterruptibly();
    try {
      if (!claimed) {
        conn.checkOpen();
        throw new IllegalStateException("the " + endName() + " end of " + label + " is not claimed here");
      }
      if ((long) Mem.LONG.getOpaque(buf, peerClosedAt) != 0L) {
        throw new IOException("cannot send on " + label + ": the " + peerName() + " end is closed");
      }
      long dead = deadPeer;
      if (dead != 0L && (long) Mem.LONG.getOpaque(buf, peerOwnerAt) == dead) {
        throw peerDied(dead, false);
      }
      int n = b.length;
      int off = 0;
      int info = n;
      do {
        int chunk = Math.min(n - off, maxChunk);
        int size = PipeDescriptor.align(RECORD_HEADER_LENGTH + chunk);
        long t = tail;
        int idx = (int) t & mask;
        int toEnd = capacity - idx;
        int need = size > toEnd ? toEnd + size : size;
        if (capacity - (t - cachedHead) < need) {
          awaitSpace(t, need, conn, off > 0);
        }
        if (size > toEnd) { // the record would cross the end: pad to it and start over at 0
          Mem.LONG.set(buf, outData + idx, PipeDescriptor.header(toEnd - RECORD_HEADER_LENGTH, PADDING));
          t += toEnd;
          idx = 0;
        }
        buf.put(outData + idx + RECORD_HEADER_LENGTH, b, off, chunk);
        Mem.LONG.set(buf, outData + idx, PipeDescriptor.header(chunk, info)); // plain: published by the tail
        t += size;
        tail = t;
        // publish: the record bytes above happen-before a consumer's getAcquire of this tail
        Mem.LONG.setRelease(buf, outTailAt, t);
        readers.wake();
        off += chunk;
        info = CONTINUATION;
      } while (off < n);
    } finally {
      sendLock.unlock();
    }
  }

  /** Waits until {@code need} bytes past {@code t} are free; IOException when the reader is closed or dead. */
  private void awaitSpace(long t, int need, ShmHandle conn, boolean midMessage)
      throws IOException, InterruptedException {
    int outcome = Waiter.await(new Waiter.Until<IOException>() {
      @Override
      public boolean ready() {
        if (capacity - (t - (long) Mem.LONG.getOpaque(buf, outHeadAt)) < need) { // poll
          return false;
        }
        // acquire: the reader's copies out of the space happen-before we overwrite it
        cachedHead = (long) Mem.LONG.getAcquire(buf, outHeadAt);
        return true;
      }

      @Override
      public boolean check() throws IOException {
        conn.checkOpen();
        if ((long) Mem.LONG.getAcquire(buf, peerClosedAt) != 0L) {
          throw new IOException("cannot send on " + label + ": the " + peerName() + " end was closed"
              + (midMessage ? "; the reader discards the part already sent" : ""));
        }
        return false;
      }

      @Override
      public boolean probe() throws IOException {
        long owner = peerClaim.owner();
        if (peerDead(owner)) {
          throw peerDied(owner, midMessage);
        }
        return false;
      }
    }, SPEC, writers, null, Deadline.FOREVER);
    if (outcome == Waiter.INTERRUPTED) {
      throw new InterruptedException(midMessage ? "interrupted while streaming a message on " + label
          + ": the reader discards the part already sent" : null);
    }
  }

  /** True when {@code owner} is a claim by a process that is gone; remembered for later sends. */
  private boolean peerDead(long owner) {
    if (owner == 0L || registry.isAlive(owner)) {
      return false;
    }
    deadPeer = owner;
    return true;
  }

  private IOException peerDied(long owner, boolean midMessage) {
    return new IOException("cannot send on " + label + ": the process that owned the " + peerName() + " end (pid "
        + registry.pidOf(owner) + ") died" + (midMessage ? "; the reader discards the part already sent" : ""));
  }

  // ---- receiving

  /** The next message; EOFException once the peer is closed or dead and the ring is drained. */
  byte[] recv(ShmHandle conn) throws IOException, InterruptedException {
    recvLock.lockInterruptibly();
    try {
      if (!claimed) {
        conn.checkOpen();
        throw new IllegalStateException("the " + endName() + " end of " + label + " is not claimed here");
      }
      for (;;) {
        long h = head;
        if (h == cachedTail) {
          long t = awaitData(h, conn, Deadline.FOREVER);
          if (t == EOF) {
            throw eof();
          }
          cachedTail = t;
        }
        int idx = (int) h & mask;
        int toEnd = capacity - idx;
        long header = (long) Mem.LONG.get(buf, inData + idx); // plain: covered by the getAcquire of the tail
        int len = PipeDescriptor.lengthOf(header);
        int info = PipeDescriptor.infoOf(header);
        if (info == PADDING) {
          if (len != toEnd - RECORD_HEADER_LENGTH) {
            throw damaged(h, header);
          }
          advance(h + toEnd);
          continue;
        }
        int size = len < 0 || len > maxChunk ? -1 : PipeDescriptor.align(RECORD_HEADER_LENGTH + len);
        if (size < 0 || size > toEnd || h + size > cachedTail || info < CONTINUATION) {
          throw damaged(h, header);
        }
        int from = inData + idx + RECORD_HEADER_LENGTH;
        if (info >= 0) { // the first record of a message
          partial = null; // a previous message left incomplete (its sender died or was interrupted): drop it
          if (len > info || info > Integer.MAX_VALUE - 16) {
            throw damaged(h, header);
          }
          byte[] m = new byte[info];
          buf.get(from, m, 0, len);
          advance(h + size);
          if (len == info) {
            return m;
          }
          partial = m;
          partialAt = len;
        } else { // CONTINUATION
          byte[] m = partial;
          if (m == null) { // a chunk of a message whose start was read by a dead predecessor: drop it
            advance(h + size);
            continue;
          }
          if (len > m.length - partialAt) {
            throw damaged(h, header);
          }
          buf.get(from, m, partialAt, len);
          partialAt += len;
          advance(h + size);
          if (partialAt == m.length) {
            partial = null;
            return m;
          }
        }
      }
    } finally {
      recvLock.unlock();
    }
  }

  private void advance(long h) {
    head = h;
    // release: our copies out of the freed bytes happen-before the writer's getAcquire of the head
    Mem.LONG.setRelease(buf, inHeadAt, h);
    writers.wake();
  }

  /** True when a message (or EOF) is there, waiting up to {@code timeoutNanos}. */
  boolean poll(long timeoutNanos, ShmHandle conn) throws IOException, InterruptedException {
    recvLock.lockInterruptibly();
    try {
      if (!claimed) {
        conn.checkOpen();
        throw new IllegalStateException("the " + endName() + " end of " + label + " is not claimed here");
      }
      long h = head;
      if (h != cachedTail) {
        return true;
      }
      long t = awaitData(h, conn, timeoutNanos);
      if (t == EOF) {
        return true;
      }
      cachedTail = t;
      return t != h;
    } finally {
      recvLock.unlock();
    }
  }

  /**
   * Waits up to {@code nanos} for the tail of the ring into this end to move past {@code h}: returns the new tail,
   * {@code h} on timeout, or {@link #EOF} once the peer is closed or dead and nothing is left to read.
   */
  private long awaitData(long h, ShmHandle conn, long nanos) throws InterruptedException {
    boolean[] gone = new boolean[1];
    int outcome = Waiter.await(new Waiter.Until<RuntimeException>() {
      @Override
      public boolean ready() {
        return (long) Mem.LONG.getOpaque(buf, inTailAt) != h; // poll
      }

      @Override
      public boolean check() {
        conn.checkOpen();
        return gone[0] = (long) Mem.LONG.getAcquire(buf, peerClosedAt) != 0L;
      }

      @Override
      public boolean probe() {
        return gone[0] = peerDead(peerClaim.owner());
      }
    }, SPEC, readers, null, nanos);
    if (outcome == Waiter.INTERRUPTED) {
      throw new InterruptedException();
    }
    if (outcome == Waiter.TIMED_OUT) {
      return h;
    }
    // consume: the records up to the tail are visible; a peer that is gone wrote its last tail before it closed
    // or died, so anything it published is visible now
    long t = (long) Mem.LONG.getAcquire(buf, inTailAt);
    return t != h ? t : gone[0] ? EOF : h;
  }

  private EOFException eof() {
    partial = null; // a message its sender never finished is never delivered
    long owner = peerClaim.owner();
    if ((long) Mem.LONG.getAcquire(buf, peerClosedAt) != 0L || owner == 0L) {
      return new EOFException("the " + peerName() + " end of " + label
          + " was closed and everything it sent has been received");
    }
    return new EOFException("the process that owned the " + peerName() + " end of " + label + " (pid "
        + registry.pidOf(owner) + ") died; everything it sent has been received");
  }

  private IpcException damaged(long position, long header) {
    return new IpcException(label + " is damaged: record at position " + position + " of the ring into the "
        + endName() + " end has length " + PipeDescriptor.lengthOf(header) + ", info "
        + PipeDescriptor.infoOf(header) + " (ring capacity " + capacity + ")");
  }

  @Override
  public String toString() {
    return "the " + endName() + " end of " + label;
  }
}
