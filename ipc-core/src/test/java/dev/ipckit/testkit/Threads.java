package dev.ipckit.testkit;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** Threads for tests that must watch another thread block, be interrupted or fail. */
public final class Threads {
  private Threads() {
  }

  /**
   * Runs {@code body} in a new daemon thread and returns the future of its result (or of what it threw). When
   * {@code thread} is not null, its first element is the thread, set before the thread starts.
   */
  public static <T> CompletableFuture<T> start(Callable<T> body, Thread[] thread) {
    CompletableFuture<T> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        f.complete(body.call());
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    }, "test-other");
    t.setDaemon(true);
    if (thread != null) {
      thread[0] = t;
    }
    t.start();
    return f;
  }
}
