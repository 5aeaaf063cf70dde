package dev.ipckit.bench;

import dev.ipckit.IpcProcess;
import dev.ipckit.SharedInt;
import dev.ipckit.Task;
import dev.ipckit.spi.Deadline;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** What the benchmarks do with the child processes they start: all of it setup or teardown, never measured. */
final class Children {
  /** How long a child is given to get ready (a fresh JVM on a loaded machine). */
  static final Duration READY = Duration.ofSeconds(60);

  private Children() {
  }

  /**
   * Starts a daemon child named {@code name} that sets {@code ready} and then runs {@code body}; returns once the
   * child has set it.
   */
  static IpcProcess start(String name, SharedInt ready, Task body) {
    ready.set(0);
    IpcProcess child = IpcProcess.builder().name(name).daemon(true).start(() -> {
      ready.set(1);
      body.run();
    });
    await(() -> ready.get() != 0, child, "ready");
    return child;
  }

  /**
   * Waits up to {@link #READY} for {@code done}, looking every millisecond; if the child exits first or the time
   * runs out, kills it and throws, naming the child and {@code what} it did not get to.
   */
  static void await(BooleanSupplier done, IpcProcess child, String what) {
    long deadline = Deadline.after(Deadline.nanos(READY));
    while (!done.getAsBoolean()) {
      if (!child.isAlive()) {
        throw new IllegalStateException(child + " exited before it was " + what);
      }
      if (Deadline.passed(deadline)) {
        child.kill();
        throw new IllegalStateException(child + " was not " + what + " within " + READY);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** Waits up to 30 s for a child that was told to stop, then kills it if it has not. */
  static void awaitExit(IpcProcess child) throws InterruptedException {
    if (!child.join(Duration.ofSeconds(30))) {
      child.kill();
    }
  }

  /** Sleeps for {@code pause} without a core, however early the parks return: pacing, not synchronisation. */
  static void pause(Duration pause) {
    long until = Deadline.after(Deadline.nanos(pause));
    for (long left; (left = Deadline.remaining(until)) > 0; ) {
      LockSupport.parkNanos(left);
    }
  }
}
