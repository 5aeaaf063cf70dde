package dev.ipckit.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Warm spares: at most one booted child JVM per child command line, blocked reading its standard input (see
 * {@link ChildMain}), so that starting a process hands it a task instead of booting a JVM. Taking a spare boots the
 * next one in the background.
 *
 * <p>A spare is only handed to a start whose command line (java, flags, class path) equals the one it was booted
 * with; daemon-ness and the name travel in the {@link TaskFrame}. Spares never outlive this JVM: each one exits on
 * end-of-file on its standard input, which the kernel delivers when this JVM dies however it dies, and a shutdown
 * hook closes their pipes on a normal exit.
 *
 * <p><b>Thread safety.</b> All methods are safe for concurrent use; the pool is guarded by the class monitor.
 */
public final class SparePool {
  private static final Map<List<String>, CompletableFuture<Spare>> SPARES = new HashMap<>();
  private static final Path READY_DIR = Path.of(System.getProperty("java.io.tmpdir"));
  private static ExecutorService booter;
  private static boolean shutdown;
  /** How long the next spare waits, at most, for the task handed to the previous one to finish. */
  public static final long NEXT_SPARE_DELAY_MS = 50;

  private SparePool() {
  }

  /** A booted (or booting) spare JVM. */
  private record Spare(Process process, Path readyFile) {
    boolean ready() {
      return Files.exists(readyFile);
    }

    void retire() {
      try {
        process.getOutputStream().close();   // end-of-file: the spare exits by itself
      } catch (IOException e) {
        process.destroyForcibly();
      }
      try {
        Files.deleteIfExists(readyFile);
      } catch (IOException e) {
        // the spare deletes it too, on its way out
      }
    }
  }

  /**
   * Takes the spare launched for {@code command}, if there is a live one. The caller owns the returned process: it
   * must write a {@link TaskFrame} to it (or destroy it), then call {@link #handedOff}. Without a spare, one is
   * launched for the next start.
   *
   * @return the spare, or null when none is available (the caller starts a cold child)
   */
  public static Process take(List<String> command) {
    CompletableFuture<Spare> f;
    synchronized (SparePool.class) {
      f = SPARES.get(command);
      if (f == null) {
        bootLocked(command, null);
        return null;
      }
      if (!f.isDone()) {
        return null;                          // the next spare is about to launch: a cold start is quicker
      }
      SPARES.remove(command);
    }
    Spare s = f.getNow(null);
    if (f.isCompletedExceptionally() || s == null) {
      return null;
    }
    if (!s.process.isAlive()) {
      s.retire();
      return null;
    }
    return s.process;
  }

  /**
   * Schedules the next spare for {@code command} after a spare was handed a task: it launches when the task's
   * process exits or after {@link #NEXT_SPARE_DELAY_MS} milliseconds, whichever comes first, so that booting it
   * does not take the CPU from a short task (the machines this runs on may have two cores).
   */
  public static void handedOff(List<String> command, Process handed) {
    CompletableFuture<Object> trigger = CompletableFuture.anyOf(handed.onExit(),
        CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(NEXT_SPARE_DELAY_MS,
            TimeUnit.MILLISECONDS)));
    synchronized (SparePool.class) {
      bootLocked(command, trigger);
    }
  }

  /**
   * Boots a spare for {@code command} if none is waiting and waits until it is ready (past JVM start and class
   * loading, blocked on its standard input).
   *
   * @return true if a ready spare is waiting; false on timeout, or when spares cannot be started
   */
  public static boolean awaitReady(List<String> command, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    CompletableFuture<Spare> f;
    synchronized (SparePool.class) {
      bootLocked(command, null);
      f = SPARES.get(command);
    }
    if (f == null) {
      return false;
    }
    Spare s;
    try {
      s = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
    while (true) {
      if (s.ready()) {
        return s.process.isAlive();
      }
      if (!s.process.isAlive() || System.nanoTime() - deadline >= 0) {
        return false;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      LockSupport.parkNanos(200_000);         // a spare boots in tens of milliseconds
    }
  }

  /** The process id of the spare waiting for {@code command}, if one has been launched. */
  public static OptionalLong sparePid(List<String> command) {
    CompletableFuture<Spare> f;
    synchronized (SparePool.class) {
      f = SPARES.get(command);
    }
    Spare s = f == null ? null : f.getNow(null);
    return s == null ? OptionalLong.empty() : OptionalLong.of(s.process.pid());
  }

  /** Retires every spare (closes its pipe; it exits by itself). Spares are booted again on the next take. */
  public static void retireAll() {
    List<CompletableFuture<Spare>> all;
    synchronized (SparePool.class) {
      all = new ArrayList<>(SPARES.values());
      SPARES.clear();
    }
    for (CompletableFuture<Spare> f : all) {
      f.thenAccept(Spare::retire);
    }
  }

  private static void bootLocked(List<String> command, CompletableFuture<?> trigger) {
    if (shutdown || SPARES.containsKey(command)) {
      return;
    }
    if (booter == null) {
      booter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ipckit-spare-boot");
        t.setDaemon(true);
        return t;
      });
      Runtime.getRuntime().addShutdownHook(new Thread(SparePool::shutdown, "ipckit-spare-retire"));
    }
    List<String> cmd = List.copyOf(command);
    CompletableFuture<Spare> f = new CompletableFuture<>();
    SPARES.put(cmd, f);
    Runnable launch = () -> {
      try {
        f.complete(launch(cmd, f));
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    };
    if (trigger == null) {
      booter.execute(launch);
    } else {
      trigger.whenCompleteAsync((x, e) -> launch.run(), booter);
    }
  }

  private static Spare launch(List<String> command, CompletableFuture<Spare> slot) {
    List<String> cmd = new ArrayList<>(command);
    cmd.add(ChildMain.ARG_SPARE);
    cmd.add(READY_DIR.toString());
    Process p;
    try {
      p = new ProcessBuilder(cmd)
          .redirectOutput(ProcessBuilder.Redirect.INHERIT)
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a spare child JVM: " + cmd.get(0), e);
    }
    Spare s = new Spare(p, ChildMain.readyFile(READY_DIR, p.pid()));
    synchronized (SparePool.class) {
      if (shutdown || SPARES.get(command) != slot) {
        s.retire();                           // retired while launching: nobody will take it
      }
    }
    return s;
  }

  private static void shutdown() {
    List<CompletableFuture<Spare>> all;
    synchronized (SparePool.class) {
      shutdown = true;
      all = new ArrayList<>(SPARES.values());
      SPARES.clear();
    }
    for (CompletableFuture<Spare> f : all) {
      Spare s = f.getNow(null);
      if (s != null) {
        s.retire();
      }
      // a spare still being launched is retired by launch() itself, which sees the flag
    }
  }

  /** Writes {@code frame} to a child's standard input; closes it unless the child is a daemon. */
  public static void hand(Process p, TaskFrame frame) throws IOException {
    OutputStream os = p.getOutputStream();
    frame.writeTo(os);
    if (!frame.daemon()) {
      os.close();
    }
  }
}
