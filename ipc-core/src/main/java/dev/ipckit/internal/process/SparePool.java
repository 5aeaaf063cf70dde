package dev.ipckit.internal.process;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.ipckit.spi.Deadline;
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
  /** How long the next spare waits, at most, for the task handed to the previous one to finish. */
  public static final long NEXT_SPARE_DELAY_MS = 50;

  private static final Map<List<String>, Slot> SPARES = new HashMap<>();
  private static final Path READY_DIR = Path.of(System.getProperty("java.io.tmpdir"));
  private static ExecutorService booter;
  private static boolean shutdown;

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
   * The place of one command's spare: scheduled (waiting for its trigger), launching, or launched. Only the slot
   * in {@link #SPARES} may launch; a slot taken out of the map before it launches never does.
   */
  private static final class Slot {
    final List<String> command;
    final CompletableFuture<Spare> spare = new CompletableFuture<>();
    boolean launching;                        // guarded by SparePool.class

    Slot(List<String> command) {
      this.command = command;
    }
  }

  /**
   * Takes the spare for {@code command}: a launched one, or one being launched (waiting the few milliseconds of
   * its fork and exec). A spare that is only scheduled is cancelled: a cold start is quicker than waiting for its
   * trigger. The caller owns the returned process: it writes a {@link TaskFrame} to it (or destroys it); either
   * way it then calls {@link #scheduleNext}.
   *
   * @return the spare, or null when none is available (the caller starts a cold child)
   */
  public static Process take(List<String> command) {
    Slot slot;
    synchronized (SparePool.class) {
      slot = SPARES.remove(command);
      if (slot == null || !slot.launching) {
        return null;
      }
    }
    Spare s;
    try {
      s = slot.spare.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      slot.spare.thenAccept(Spare::retire);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      slot.spare.thenAccept(Spare::retire);
      return null;
    }
    if (!s.process.isAlive()) {
      s.retire();
      return null;
    }
    return s.process;
  }

  /**
   * Schedules the next spare for {@code command} (unless one is waiting) after a start: it launches when the
   * started process exits or after {@link #NEXT_SPARE_DELAY_MS} milliseconds, whichever comes first, so that its
   * boot does not take the CPU from a short task (the machines this runs on may have two cores).
   */
  public static void scheduleNext(List<String> command, Process started) {
    CompletableFuture<Object> trigger = CompletableFuture.anyOf(started.onExit(),
        CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(NEXT_SPARE_DELAY_MS,
            TimeUnit.MILLISECONDS)));
    synchronized (SparePool.class) {
      bootLocked(command, trigger);
    }
  }

  /**
   * Boots a spare for {@code command} if none is waiting (at once, or at once if one is only scheduled) and waits
   * until it is ready (past JVM start and class loading, blocked on its standard input).
   *
   * @return true if a ready spare is waiting; false on timeout, or when spares cannot be started
   */
  public static boolean awaitReady(List<String> command, Duration timeout) throws InterruptedException {
    long deadline = Deadline.after(Deadline.nanos(timeout));
    Slot slot;
    synchronized (SparePool.class) {
      bootLocked(command, null);
      slot = SPARES.get(command);
      if (slot != null && !slot.launching) {
        Slot now = slot;
        booter.execute(() -> launch(now));   // launch now rather than at the trigger; the trigger then finds it done
      }
    }
    if (slot == null) {
      return false;
    }
    Spare s;
    try {
      s = slot.spare.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
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
    Slot slot;
    synchronized (SparePool.class) {
      slot = SPARES.get(command);
    }
    Spare s = slot == null ? null : slot.spare.getNow(null);
    return s == null ? OptionalLong.empty() : OptionalLong.of(s.process.pid());
  }

  /** Retires every spare (closes its pipe; it exits by itself). Spares are booted again after the next start. */
  public static void retireAll() {
    List<Slot> all;
    synchronized (SparePool.class) {
      all = new ArrayList<>(SPARES.values());
      SPARES.clear();
    }
    for (Slot slot : all) {
      slot.spare.thenAccept(Spare::retire);   // a slot that never launches never completes: nothing to retire
    }
  }

  /** Starts a child JVM with {@code cmd}: its standard output and error are this process's, as in Python. */
  public static Process launch(List<String> cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    if (System.getenv("CLASSPATH") != null) {
      pb.environment().remove("CLASSPATH");  // the command says where the classes are, even when it has no -cp
    }
    return pb.start();
  }

  /** Writes {@code frame} to a child's standard input; closes it unless the child is a daemon. */
  public static void hand(Process p, TaskFrame frame) throws IOException {
    OutputStream os = p.getOutputStream();
    frame.writeTo(os);
    if (!frame.daemon()) {
      os.close();
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
    Slot slot = new Slot(List.copyOf(command));
    SPARES.put(slot.command, slot);
    if (trigger == null) {
      booter.execute(() -> launch(slot));
    } else {
      trigger.whenCompleteAsync((x, e) -> launch(slot), booter);
    }
  }

  /** Launches the spare of {@code slot} unless it was cancelled, retired or already launched. */
  private static void launch(Slot slot) {
    synchronized (SparePool.class) {
      if (slot.launching || shutdown || SPARES.get(slot.command) != slot) {
        return;
      }
      slot.launching = true;
    }
    List<String> cmd = new ArrayList<>(slot.command);
    cmd.add(ChildMain.ARG_SPARE);
    cmd.add(READY_DIR.toString());
    Process p;
    try {
      p = launch(cmd);
    } catch (IOException | RuntimeException e) {
      slot.spare.completeExceptionally(new UncheckedIOException("cannot start a spare child JVM: " + cmd.get(0),
          e instanceof IOException io ? io : new IOException(e)));
      synchronized (SparePool.class) {
        SPARES.remove(slot.command, slot);
      }
      return;
    }
    Spare s = new Spare(p, ChildMain.readyFile(READY_DIR, p.pid()));
    slot.spare.complete(s);
    synchronized (SparePool.class) {
      if (shutdown) {
        s.retire();                           // retired while launching: nobody will take it
      }
    }
  }

  private static void shutdown() {
    List<Slot> all;
    synchronized (SparePool.class) {
      shutdown = true;
      all = new ArrayList<>(SPARES.values());
      SPARES.clear();
    }
    for (Slot slot : all) {
      Spare s = slot.spare.getNow(null);
      if (s != null) {
        s.retire();
      }
      // a spare still launching is retired by launch() itself, which sees the flag
    }
  }
}
