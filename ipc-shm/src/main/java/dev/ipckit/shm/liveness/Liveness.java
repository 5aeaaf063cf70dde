package dev.ipckit.shm.liveness;

/**
 * Who is alive in a namespace, answered by the kernel, never guessed from a timeout. A process joins by claiming
 * a slot (its owner token, {@link #token()}); whatever it owns (a lock word, a queue lock word, a pipe end) records
 * that token, and any process can ask {@link #isAlive(long)} about it.
 *
 * <p>Tokens are {@code generation << 16 | slot + 1}: never 0, and a slot claimed again gets a new generation, so
 * a dead predecessor's token is never mistaken for its successor's.
 *
 * <p><b>Thread safety.</b> Implementations are safe for any number of threads.
 */
public interface Liveness {
  /**
   * Slots of a namespace: at most this many processes have it open at once, and the slot of every token is 0 to
   * {@code SLOTS - 1}. A table with one entry per slot ({@link #slotOf}) therefore has an entry for every process.
   */
  int SLOTS = Registry.MAX_SLOTS;

  /** The slot of {@code token}: 0 to {@link #SLOTS} - 1 for a well-formed token, else -1 (0 included). */
  static int slotOf(long token) {
    int s = Registry.slotOf(token);
    return token != 0L && s >= 0 && s < SLOTS ? s : -1;
  }

  /** This process's owner token in the namespace: never 0. */
  long token();

  /** Whether the process that wrote {@code token} is still alive; false for 0 and for malformed tokens. */
  boolean isAlive(long token);

  /** The pid recorded for the process behind {@code token}, or -1. */
  long pidOf(long token);
}
