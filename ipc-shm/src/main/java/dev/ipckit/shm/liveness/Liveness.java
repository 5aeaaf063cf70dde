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
  /** This process's owner token in the namespace: never 0. */
  long token();

  /** Whether the process that wrote {@code token} is still alive; false for 0 and for malformed tokens. */
  boolean isAlive(long token);

  /** The pid recorded for the process behind {@code token}, or -1. */
  long pidOf(long token);
}
