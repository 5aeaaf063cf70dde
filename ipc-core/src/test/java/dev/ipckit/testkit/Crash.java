package dev.ipckit.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedLong;
import dev.ipckit.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Crash injection: a child JVM that runs a task to a chosen point (inside a lock, half way through a write),
 * marks the point reached in a shared word and stays there until it is killed with SIGKILL ({@code kill -9}: no
 * shutdown hook, no {@code finally}). {@link #kill()} returns once the kernel has reaped it, so what the dead
 * process held is released as far as the kernel goes; what survives is what the backend must recover.
 *
 * <pre>{@code
 * Crash holder = Crash.at(children, ipc, lock::lock);   // returns once the child holds the lock
 * holder.kill();                                        // kill -9, reaped, exit code 137
 * assertTrue(lock.tryLock(10, SECONDS));                // taken over from the dead
 * }</pre>
 *
 * <p>Needs a backend (the shared word lives in {@code ipc}).
 */
public final class Crash {
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final IpcProcess process;
  private final SharedLong there;

  private Crash(IpcProcess process, SharedLong there) {
    this.process = process;
    this.there = there;
  }

  /**
   * Starts a daemon child (reaped by {@code children}) that runs {@code toThePoint} and then stays until killed;
   * does not wait for it to get there (for points the child reaches only once the test does something).
   */
  public static Crash start(Children children, Ipc ipc, Task toThePoint) {
    SharedLong there = ipc.sharedLong("crash-point-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet(), 0);
    IpcProcess p = children.start(() -> {
      toThePoint.run();
      there.set(1);
      new CountDownLatch(1).await();          // at the point until SIGKILL
    });
    return new Crash(p, there);
  }

  /** {@link #start} and {@link #awaitPoint} within {@link Children#START}: returns once the child is at the point. */
  public static Crash at(Children children, Ipc ipc, Task toThePoint) {
    return start(children, ipc, toThePoint).awaitPoint(Children.START);
  }

  /** Waits until the child is at the point; fails at once, with its exit code, if it ended before. */
  public Crash awaitPoint(Duration timeout) {
    Await.until(process + " to reach its crash point", timeout, () -> reached() || !process.isAlive());
    if (!reached()) {
      fail(process + " ended before its crash point, exit code " + process.exitCode()
          + " (1: the task threw, see its stack trace above)");
    }
    return this;
  }

  /** Whether the child has reached the point. */
  public boolean reached() {
    return there.get() != 0;
  }

  public IpcProcess process() {
    return process;
  }

  /** Kills the child with SIGKILL and returns once it is reaped; fails unless it died of the kill. */
  public void kill() throws InterruptedException {
    kill(process);
  }

  /** Kills {@code p} with SIGKILL and returns once it is reaped; fails unless it died of the kill (exit 137). */
  public static void kill(IpcProcess p) throws InterruptedException {
    p.kill();
    Children.assertKilled(p, Children.REAP);
  }

  /**
   * In a child: has the kernel SIGKILL this JVM now, from outside it ({@code kill -9 <own pid>}), and never
   * returns.
   */
  public static void killThisJvm() throws IOException, InterruptedException {
    long me = ProcessHandle.current().pid();
    new ProcessBuilder("kill", "-9", Long.toString(me)).inheritIO().start().waitFor();
    new CountDownLatch(1).await();            // the signal may take a moment to arrive
    throw new IllegalStateException("kill -9 " + me + " did not end this JVM");
  }
}
