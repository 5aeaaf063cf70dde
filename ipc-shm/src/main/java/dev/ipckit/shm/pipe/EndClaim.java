package dev.ipckit.shm.pipe;

import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.liveness.Liveness;
import dev.ipckit.shm.liveness.OwnerWord;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The claim of one end of a pipe, and what the end knows of its peer's: the owner words, the closed flags, the
 * takeover counter (laid out by {@link PipeDescriptor}) and the peer owner last found dead. It builds the
 * messages that name the end, its peer and their owners.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads; {@link #claim()} and {@link #release()} are called
 * under the caller's lock, once per first and last user of the end in this JVM.
 *
 * <p><b>Memory consistency.</b> Claiming is a volatile compareAndSet of the owner word ({@link OwnerWord});
 * the closed flag is stored with setRelease before the claim is released, so that everything the end published
 * before closing happens-before a peer's getAcquire that reads the flag as 1.
 *
 * <p><b>Peer death.</b> An owner killed while it holds the end leaves its token in the owner word and its closed
 * flag at 0: a peer's {@link #peerGone()} asks the {@link Liveness} whether it lives, remembers a dead one (a
 * later send fails without asking again), and the next claimant of the end takes it over, counted.
 */
final class EndClaim {
  private final ByteBuffer buf;
  private final Liveness registry;
  private final String label;
  private final String endName;
  private final String peerName;
  /** This end's owner word, and the peer end's (read to tell whether the peer lives). */
  private final OwnerWord owner;
  private final OwnerWord peerOwner;
  private final int closedAt;
  private final int peerOwnerAt;
  private final int peerClosedAt;
  /** The peer owner token last found dead (0 if none): a send to it fails without asking the registry again. */
  private volatile long deadPeer;

  EndClaim(ByteBuffer buf, int end, Liveness registry, String label) {
    this.buf = buf;
    this.registry = registry;
    this.label = label;
    int peer = 1 - end;
    this.endName = PipeDescriptor.endName(end);
    this.peerName = PipeDescriptor.endName(peer);
    int mine = PipeDescriptor.endOffset(end);
    int theirs = PipeDescriptor.endOffset(peer);
    this.closedAt = mine + PipeDescriptor.CLOSED_OFFSET;
    this.peerOwnerAt = theirs + PipeDescriptor.OWNER_OFFSET;
    this.peerClosedAt = theirs + PipeDescriptor.CLOSED_OFFSET;
    this.owner = new OwnerWord(buf, mine + PipeDescriptor.OWNER_OFFSET, mine + PipeDescriptor.TAKEOVERS_OFFSET,
        registry);
    this.peerOwner = new OwnerWord(buf, peerOwnerAt, -1, registry);
  }

  /**
   * Claims the end for this process (free, ours, or taken over from a dead owner) and clears its closed flag.
   * Throws {@link IllegalStateException} naming the owner when another live process holds it.
   */
  void claim() {
    long cur = owner.claim();
    if (cur != 0L) {
      throw new IllegalStateException("the " + endName + " end of " + label + " is in use by process "
          + registry.pidOf(cur) + "; an end has one owner process at a time (close it there first, or use the "
          + peerName + " end)");
    }
    Mem.LONG.setRelease(buf, closedAt, 0L);
  }

  /** Marks the end closed and releases the claim; the caller then wakes the peer. */
  void release() {
    // release: every tail published before happens-before a peer that reads closed == 1 with getAcquire
    Mem.LONG.setRelease(buf, closedAt, 1L);
    owner.releaseChecked();                    // not ours any more if it was taken from a process thought dead
  }

  /** Times this end was taken over from a dead owner, ever. */
  long takeovers() {
    return owner.takeovers();
  }

  /** Before a send: IOException when the peer end is closed, or still owned by the process found dead before. */
  void checkPeerBeforeSend() throws IOException {
    if ((long) Mem.LONG.getOpaque(buf, peerClosedAt) != 0L) {
      throw new IOException("cannot send on " + label + ": the " + peerName + " end is closed");
    }
    long dead = deadPeer;
    if (dead != 0L && (long) Mem.LONG.getOpaque(buf, peerOwnerAt) == dead) {
      throw peerDied(dead, false);
    }
  }

  /** While a send waits for room: IOException when the peer end was closed. */
  void checkPeerOpen(boolean midMessage) throws IOException {
    if (peerClosed()) {
      throw new IOException("cannot send on " + label + ": the " + peerName + " end was closed"
          + (midMessage ? "; the reader discards the part already sent" : ""));
    }
  }

  /** While a send waits for room: IOException when the peer's owner died (a liveness question). */
  void checkPeerAlive(boolean midMessage) throws IOException {
    long cur = peerOwner.owner();
    if (peerDead(cur)) {
      throw peerDied(cur, midMessage);
    }
  }

  /** True when the peer end's closed flag is set (getAcquire). */
  boolean peerClosed() {
    return (long) Mem.LONG.getAcquire(buf, peerClosedAt) != 0L;
  }

  /** True when the peer end is claimed by a process that is gone (a liveness question); remembered. */
  boolean peerGone() {
    return peerDead(peerOwner.owner());
  }

  private boolean peerDead(long token) {
    if (token == 0L || registry.isAlive(token)) {
      return false;
    }
    deadPeer = token;
    return true;
  }

  private IOException peerDied(long token, boolean midMessage) {
    return new IOException("cannot send on " + label + ": the process that owned the " + peerName + " end (pid "
        + registry.pidOf(token) + ") died" + (midMessage ? "; the reader discards the part already sent" : ""));
  }

  /** The end of file a receiver sees once the peer is closed or dead and everything it sent has been read. */
  EOFException endOfFile() {
    long cur = peerOwner.owner();
    if (peerClosed() || cur == 0L) {
      return new EOFException("the " + peerName + " end of " + label
          + " was closed and everything it sent has been received");
    }
    return new EOFException("the process that owned the " + peerName + " end of " + label + " (pid "
        + registry.pidOf(cur) + ") died; everything it sent has been received");
  }

  /** A send or receive on an end this JVM does not hold (its connections were closed). */
  IllegalStateException notClaimed() {
    return new IllegalStateException("the " + endName + " end of " + label + " is not claimed here");
  }

  String endName() {
    return endName;
  }

  String peerName() {
    return peerName;
  }
}
