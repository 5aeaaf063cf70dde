package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedInt;
import dev.ipckit.Task;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What every kill scenario has: a namespace, a child that has got to its point and is then killed, this
 * process's thread already parked beside it, and the time that thread notices the death ({@link #at}).
 * Subclasses open their object, start the child and the thread each iteration (not measured) and may check the
 * outcome.
 */
@State(Scope.Benchmark)
public abstract class KillScenario {
  /** How long a waiter is given to park before the kill: it is in its longest parks by then, the worst case. */
  private static final Duration PARKED = Duration.ofMillis(200);

  /** Starts a child that runs {@code toThePoint}, sets {@code there} and stays until killed; returns once it is there. */
  static IpcProcess childAt(SharedInt there, Task toThePoint) {
    there.set(0);
    IpcProcess p = IpcProcess.builder().name("victim").daemon(true).start(() -> {
      toThePoint.run();
      there.set(1);
      new CountDownLatch(1).await();
    });
    Children.await(() -> there.get() != 0, p, "at its point");
    return p;
  }

  /** Lets the waiter just started go past spinning into its long parks (setup, not measured). */
  static void letItPark() {
    Children.pause(PARKED);
  }

  /** Waits, without a core, for the waiter to set {@code at}; returns it. */
  static long awaitSet(AtomicLong at) {
    long t;
    while ((t = at.get()) == 0L) {
      LockSupport.parkNanos(20_000);              // leave the cores to the kernel and the waiter
    }
    return t;
  }

  Ipc ipc;
  SharedInt there;
  IpcProcess child;
  Thread waiter;
  final AtomicLong at = new AtomicLong();

  @Setup(Level.Trial)
  public void openNamespace() {
    ipc = newNamespace();
    there = ipc.sharedInt("there", 0);
    open();
  }

  /** The scenario's namespace: a local temporary one unless a subclass says otherwise. */
  Ipc newNamespace() {
    return Ipc.temp();
  }

  /** Opens the scenario's object in {@link #ipc}. */
  abstract void open();

  /**
   * Starts {@code body} as this process's thread beside the child and lets it park: not measured. An interrupt
   * ends the thread quietly; any other exception it throws ends it with that exception.
   */
  void startWaiter(Task body) {
    at.set(0L);
    waiter = new Thread(() -> {
      try {
        body.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        throw new IllegalStateException("the waiter failed", e);
      }
    }, "waiter");
    waiter.start();
    letItPark();
  }

  /** Kills the child and returns how long the waiter took to notice. */
  long killAndTime() {
    long killedAt = System.nanoTime();
    child.kill();
    return awaitSet(at) - killedAt;
  }

  @TearDown(Level.Iteration)
  public void check() throws InterruptedException {
    waiter.join();
    Children.awaitExit(child);
    verify();
  }

  /** Throws if the waiter did not see what the scenario promises. */
  void verify() {
  }

  @TearDown(Level.Trial)
  public void close() {
    ipc.close();
    closed();
  }

  /** After the namespace is closed: what a subclass started for it stops. */
  void closed() {
  }
}
