package dev.ipckit.shm.liveness;

import dev.ipckit.shm.format.Mem;
import dev.ipckit.shm.wait.SleepWord;
import dev.ipckit.shm.wait.Waiter;
import java.nio.ByteBuffer;

/**
 * A robust ownership word at an offset of a mapped buffer: 0 when free, else the owner's {@link Liveness} token.
 * The one implementation of "acquire, take over from the dead, claim, release, checked release", used by locks,
 * a queue's producer and consumer lock words and a pipe's end claims. Every compareAndSet of an owner word is
 * here.
 *
 * <p><b>Thread safety.</b> Safe for any number of threads and processes. Threads of one process share the
 * process's token: compareAndSet(0, token) still admits only one of them; telling them apart, where it matters,
 * is the caller's business (a lock's holder thread).
 *
 * <p><b>Memory consistency.</b> Acquiring is a volatile compareAndSet, releasing a setRelease (or a volatile
 * compareAndSet when checked): everything the owner wrote before releasing happens-before everything the next
 * owner, in any process, does after acquiring.
 *
 * <p><b>Peer death.</b> An owner killed at any instant leaves its token in the word. A waiter that is past
 * spinning asks {@link Liveness#isAlive} whether that token's process is alive and, if not, takes the word over
 * with compareAndSet(dead, me): within a few milliseconds of the death. A takeover is counted in the word's
 * takeover counter, when it has one.
 */
public final class OwnerWord {
  /** Outcomes of {@link #acquire} and {@link #tryAcquire()}; {@link Waiter#TIMED_OUT} and
   *  {@link Waiter#INTERRUPTED} as the wait's. */
  public static final int ACQUIRED = 1;
  public static final int TOOK_OVER = 2;
  public static final int FAILED = Waiter.TIMED_OUT;
  public static final int INTERRUPTED = Waiter.INTERRUPTED;

  private static final Waiter.Spec BRIEF = Waiter.Spec.interruptible().uninterruptible();

  private final ByteBuffer buf;
  private final int at;
  private final int takeoversAt;
  private final Liveness liveness;

  /**
   * The word at {@code at} of {@code buf}; takeovers are counted in the long at {@code takeoversAt} (negative:
   * not counted).
   */
  public OwnerWord(ByteBuffer buf, int at, int takeoversAt, Liveness liveness) {
    this.buf = buf;
    this.at = at;
    this.takeoversAt = takeoversAt;
    this.liveness = liveness;
  }

  /** The owner's token now (0 when free), read with getAcquire. */
  public long owner() {
    return (long) Mem.LONG.getAcquire(buf, at);
  }

  /** True when the word is owned by a live process (this one included). */
  public boolean ownedByLive() {
    long cur = owner();
    return cur != 0L && liveness.isAlive(cur);
  }

  /** Times this word was taken over from a dead owner, ever (0 when not counted). */
  public long takeovers() {
    return takeoversAt < 0 ? 0L : (long) Mem.LONG.getAcquire(buf, takeoversAt);
  }

  /** One compareAndSet(0, this process's token): true if acquired. No waiting, no liveness question. */
  public boolean tryAcquireFree() {
    return Mem.LONG.compareAndSet(buf, at, 0L, liveness.token());
  }

  /**
   * Acquires without waiting: {@link #ACQUIRED} if free, {@link #TOOK_OVER} if its owner is another process that
   * is dead (one liveness question), else {@link #FAILED}.
   */
  public int tryAcquire() {
    long me = liveness.token();
    if (Mem.LONG.compareAndSet(buf, at, 0L, me)) {
      return ACQUIRED;
    }
    long cur = (long) Mem.LONG.getOpaque(buf, at);
    return cur != me && cur != 0L && !liveness.isAlive(cur) && takeOver(cur, me) ? TOOK_OVER : FAILED;
  }

  /** compareAndSet(dead, me), counted: true if this caller took the word over. */
  private boolean takeOver(long dead, long me) {
    if (Mem.LONG.compareAndSet(buf, at, dead, me)) { // take over from the dead owner
      if (takeoversAt >= 0) {
        Mem.LONG.getAndAdd(buf, takeoversAt, 1L);
      }
      return true;
    }
    return false;
  }

  /**
   * Acquires, waiting while a live owner keeps the word and taking it over from a dead one: {@link #ACQUIRED},
   * {@link #TOOK_OVER}, or {@link #FAILED} (timed out) or {@link #INTERRUPTED} (interruptible {@code spec} only).
   *
   * @param nanos timeout, {@link dev.ipckit.spi.Deadline#FOREVER} for none
   * @param check run at every checkpoint of the wait (a closed handle throws), or null
   */
  public int acquire(Waiter.Spec spec, SleepWord sleep, long nanos, Runnable check) {
    long me = liveness.token();
    if (Mem.LONG.compareAndSet(buf, at, 0L, me)) {
      return ACQUIRED;
    }
    Acquiring a = new Acquiring(this, me, check);
    int outcome = Waiter.await(a, spec, sleep, null, nanos);
    return outcome == Waiter.READY ? (a.tookOver ? TOOK_OVER : ACQUIRED) : outcome;
  }

  /** One wait to acquire the word: poll then compareAndSet, the caller's check, and a takeover from the dead. */
  private static final class Acquiring implements Waiter.Until<RuntimeException> {
    private final OwnerWord word;
    private final long me;
    private final Runnable check;
    boolean tookOver;

    Acquiring(OwnerWord word, long me, Runnable check) {
      this.word = word;
      this.me = me;
      this.check = check;
    }

    @Override
    public boolean ready() {
      ByteBuffer b = word.buf;
      int at = word.at;
      return (long) Mem.LONG.getOpaque(b, at) == 0L && Mem.LONG.compareAndSet(b, at, 0L, me); // poll, then CAS
    }

    @Override
    public boolean check() {
      if (check != null) {
        check.run();
      }
      return false;
    }

    @Override
    public boolean probe() {
      long cur = (long) Mem.LONG.getOpaque(word.buf, word.at);
      return tookOver = cur != me && cur != 0L && !word.liveness.isAlive(cur) && word.takeOver(cur, me);
    }
  }

  /**
   * Acquires a word that owners hold for microseconds (an internal lock released in a {@code finally}): waits
   * uninterruptibly, without deadline and without announcing itself. True if taken over from a dead owner.
   */
  public boolean acquireBriefly() {
    return acquire(BRIEF, null, Long.MAX_VALUE, null) == TOOK_OVER;
  }

  /**
   * Claims the word for this process without waiting: free, already ours, or taken over from a dead owner.
   *
   * @return 0 when claimed, else the token of the live process that owns it
   */
  public long claim() {
    long me = liveness.token();
    for (;;) {
      long cur = (long) Mem.LONG.getAcquire(buf, at);
      if (cur == 0L) {
        if (Mem.LONG.compareAndSet(buf, at, 0L, me)) {
          return 0L;
        }
      } else if (cur == me) {
        return 0L;
      } else if (liveness.isAlive(cur)) {
        return cur;
      } else if (takeOver(cur, me)) { // its owner died
        return 0L;
      }
    }
  }

  /**
   * For a word whose exclusion comes from elsewhere (a kernel file lock): records this process as the owner with
   * setRelease, and returns the previous owner (not 0: its owner died holding it; counted as a takeover).
   */
  public long markOwned() {
    long prev = owner();
    if (prev != 0L && takeoversAt >= 0) {
      Mem.LONG.getAndAdd(buf, takeoversAt, 1L);
    }
    Mem.LONG.setRelease(buf, at, liveness.token());
    return prev;
  }

  /** setRelease(0): publishes everything written while owning. Only the owning thread calls this. */
  public void release() {
    Mem.LONG.setRelease(buf, at, 0L);
  }

  /**
   * compareAndSet(this process's token, 0): releases only if this process still owns the word. False when it
   * was taken meanwhile (its owner looked dead to another process).
   */
  public boolean releaseChecked() {
    return Mem.LONG.compareAndSet(buf, at, liveness.token(), 0L);
  }

  /** The pid of the process behind {@code token}, for messages. */
  public long pidOf(long token) {
    return liveness.pidOf(token);
  }
}
