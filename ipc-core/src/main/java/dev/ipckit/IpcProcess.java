package dev.ipckit;

import dev.ipckit.internal.process.ChildMain;
import dev.ipckit.internal.process.SparePool;
import dev.ipckit.internal.process.TaskFrame;
import dev.ipckit.internal.task.DirectTask;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Task} running in a child JVM: Python's {@code multiprocessing.Process} with the spawn start method.
 *
 * <pre>{@code
 * try (Ipc ipc = Ipc.temp()) {
 *   SharedLong v = ipc.sharedLong("v", 0);
 *   IpcProcess p = IpcProcess.start(() -> v.addAndGet(3));
 *   p.join();                        // p.exitCode() is now OptionalInt[0]; v.get() == 3
 * }
 * }</pre>
 *
 * <p>The child runs on this JVM's class path with the same {@code java} and the JVM flags that matter
 * ({@code -Xmx}, {@code -Xms}, {@code -Xss}, {@code -XX:MaxRAMPercentage}, {@code -D...}, {@code --add-opens},
 * {@code --add-exports}, {@code --add-modules}, {@code --add-reads}, {@code --enable-preview},
 * {@code --enable-native-access}, {@code -ea}, {@code -Xshare:} and {@code -XX:SharedArchiveFile=}; not
 * {@code -Dcom.sun.management.*}, whose JMX port would collide), then the builder's
 * {@link Builder#jvmOptions(String...)}. Its
 * standard output and error are this process's own (inherited file descriptors, as in Python); its standard input
 * is empty. In the child, the system property {@code ipckit.process.name} holds the {@link #name()}.
 *
 * <p>What the task captures travels with it by Java serialization; ipckit handles (values, locks, queues, pipe ends)
 * travel as where they live and reopen in the child. A task that captures something not serializable fails here,
 * in {@code start}, with an {@link IllegalArgumentException} naming the class; no child is started.
 *
 * <p><b>Exit codes</b> ({@link #exitCode()}): 0 the task returned; 1 the task threw (its stack trace is on the
 * child's standard error); N the task called {@code System.exit(N)}; 143 after {@link #terminate()} (SIGTERM,
 * shutdown hooks run); 137 after {@link #kill()} (SIGKILL); 128+S for another signal S; 70 the child could not read
 * the task (for example a class missing from its class path; the reason is on its standard error); 71 a daemon
 * child whose parent died. A JVM that cannot start at all (a bad JVM option) exits with the launcher's code, 1.
 *
 * <p><b>Daemon children</b> ({@link Builder#daemon(boolean)}) exit when this JVM exits or dies, even by SIGKILL: the
 * child watches its standard input pipe, which the kernel closes when this process dies however it dies. A
 * non-daemon child (the default) outlives this JVM.
 *
 * <p><b>Start-up.</b> A cold start boots a JVM: tens of milliseconds. With {@link Builder#warmSpare(boolean)} (or
 * {@code -Dipckit.process.warmSpare=true}) one child JVM per configuration is kept booted and waiting; {@code start}
 * hands it the task and boots the next spare in the background, so a start costs a few milliseconds. A spare is
 * used only by a start whose JVM flags are the ones it was booted with; spares exit when this JVM exits or dies.
 *
 * <p><b>Thread safety.</b> Instances are safe for use by several threads; so is {@link #start(Task)}. A
 * {@link Builder} is not: configure it on one thread (its {@code start} may then be called from any).
 *
 * <p><b>Memory consistency.</b> Actions in the parent before {@code start} happen-before the task's actions in the
 * child as far as the task's captured state goes (it is a copy, taken in {@code start}); writes the child makes to
 * shared ipckit objects are visible to the parent after {@link #join()} returns.
 */
public final class IpcProcess {
  /** The system property that turns warm spares on for every builder: {@code -Dipckit.process.warmSpare=true}. */
  public static final String WARM_SPARE_PROPERTY = "ipckit.process.warmSpare";

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static volatile List<String> launcherAndFlags;
  private static volatile boolean parentWarm;

  private final Process process;
  private final String name;
  private final boolean daemon;

  private IpcProcess(Process process, String name, boolean daemon) {
    this.process = process;
    this.name = name;
    this.daemon = daemon;
  }

  /** Starts {@code task} in a new non-daemon child JVM named {@code IpcProcess-N}. */
  public static IpcProcess start(Task task) {
    return builder().start(task);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Retires every warm spare of this JVM (each exits by itself). The next start that asks for a warm spare starts
   * cold and boots a new one.
   */
  public static void retireWarmSpares() {
    SparePool.retireAll();
  }

  /**
   * Makes a daemon child's threads that wait on ipckit objects look again at once. A thread that has waited long
   * parks for up to 20 ms at a time (Java cannot block on shared memory); a backend may ring it when the object
   * changes (the shared-memory backend does, through inotify), and this is the other way in: after handing an idle
   * daemon child work through a queue or a pipe, it has the work noticed now rather than at the waiter's next
   * wake-up.
   * {@link Pool} does this for its workers. Costs one write to the child's standard input pipe, which rings its
   * {@link dev.ipckit.spi.Doorbell}. Does nothing for a non-daemon child (it does not read its standard input)
   * or one that has exited.
   */
  public void wake() {
    if (!daemon) {
      return;
    }
    OutputStream os = process.getOutputStream();
    synchronized (os) {
      try {
        os.write(1);
        os.flush();
      } catch (IOException e) {
        // the child is gone: nothing to wake
      }
    }
  }

  /** The operating system's process id of the child JVM that runs the task. */
  public long pid() {
    return process.pid();
  }

  public String name() {
    return name;
  }

  public boolean daemon() {
    return daemon;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the child to exit. */
  public void join() throws InterruptedException {
    process.waitFor();
  }

  /** Waits at most {@code timeout} for the child to exit; true if it has. A negative timeout is zero. */
  public boolean join(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    return process.waitFor(timeout.isNegative() ? 0 : saturatedNanos(timeout), TimeUnit.NANOSECONDS);
  }

  /** Empty while the child runs; then its exit code (see the class comment: 0 ok, 1 the task threw, ...). */
  public OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /** Asks the child to stop (SIGTERM): its shutdown hooks run; it exits with 143. Harmless after exit. */
  public void terminate() {
    process.destroy();
  }

  /** Stops the child at once (SIGKILL): no shutdown hook runs; it exits with 137. Harmless after exit. */
  public void kill() {
    process.destroyForcibly();
  }

  /** The underlying {@link ProcessHandle}. */
  public ProcessHandle toHandle() {
    return process.toHandle();
  }

  @Override
  public String toString() {
    OptionalInt code = exitCode();
    return "IpcProcess[" + name + ", pid=" + pid() + (daemon ? ", daemon" : "")
        + (code.isPresent() ? ", exitCode=" + code.getAsInt() : ", alive") + "]";
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Serializes {@code task}, naming the non-serializable class it captures if there is one. */
  static byte[] serialize(Task task) {
    return serialize(task, task);
  }

  /**
   * Serializes {@code message}, which carries the user's {@code task} (a {@link Task}, or a {@link Pool} job's
   * callable), into the bytes {@link java.io.ObjectInputStream} reads back; a capture that is not serializable is
   * an {@link IllegalArgumentException} naming its class and the task's.
   */
  static byte[] serialize(Serializable message, Object task) {
    Objects.requireNonNull(task, "task");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(message);
    } catch (NotSerializableException e) {
      throw new IllegalArgumentException("the task captures an object that is not serializable: class "
          + e.getMessage() + " (a task may capture only serializable values and ipckit handles; task class "
          + task.getClass().getName() + ")", e);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot serialize the task (class " + task.getClass().getName()
          + "): " + e, e);
    }
    return bytes.toByteArray();
  }

  /** The {@code java} launcher of this JVM. */
  static String javaExecutable() {
    return ProcessHandle.current().info().command()
        .filter(c -> Files.isExecutable(Path.of(c)))
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** The JVM flags of this JVM that a child should share. */
  static List<String> inheritedJvmFlags() {
    List<String> out = new ArrayList<>();
    List<String> in = ManagementFactory.getRuntimeMXBean().getInputArguments();
    for (int i = 0; i < in.size(); i++) {
      String a = in.get(i);
      if (a.startsWith("-Dcom.sun.management.")) {
        continue;                             // a JMX port or agent option would collide in the child
      }
      if (a.startsWith("-Xmx") || a.startsWith("-Xms") || a.startsWith("-Xss") || a.startsWith("-D")
          || a.startsWith("-Xshare:") || a.startsWith("-XX:SharedArchiveFile=")
          || a.startsWith("-XX:MaxRAMPercentage=") || a.startsWith("-XX:InitialRAMPercentage=")
          || a.startsWith("-XX:MinRAMPercentage=") || a.startsWith("-XX:MaxRAM=")
          || a.startsWith("--add-opens=") || a.startsWith("--add-exports=") || a.startsWith("--add-modules=")
          || a.startsWith("--add-reads=") || a.startsWith("--enable-native-access") || a.equals("--enable-preview")
          || a.equals("-ea") || a.equals("-esa") || a.startsWith("-ea:") || a.equals("-enableassertions")
          || a.startsWith("-enableassertions:")) {
        out.add(a);
      } else if ((a.equals("--add-opens") || a.equals("--add-exports") || a.equals("--add-modules")
          || a.equals("--add-reads")) && i + 1 < in.size()) {
        out.add(a);
        out.add(in.get(++i));
      }
    }
    return out;
  }

  /** {@code java} and the inherited flags, computed once (the management bean costs milliseconds to load). */
  private static List<String> launcherAndFlags() {
    List<String> l = launcherAndFlags;
    if (l == null) {
      List<String> cmd = new ArrayList<>();
      cmd.add(javaExecutable());
      cmd.addAll(inheritedJvmFlags());
      l = List.copyOf(cmd);
      launcherAndFlags = l;
    }
    return l;
  }

  /** The command line of a child: java, inherited flags, {@code options}, class path, {@link ChildMain}. */
  static List<String> childCommand(List<String> options) {
    List<String> cmd = new ArrayList<>(launcherAndFlags());
    cmd.addAll(options);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path", "."));
    cmd.add(ChildMain.class.getName());
    return cmd;
  }

  private static IpcProcess startCold(List<String> cmd, TaskFrame frame) {
    Process p;
    try {
      p = SparePool.launch(cmd);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a child JVM: " + cmd.get(0), e);
    }
    try {
      SparePool.hand(p, frame);
    } catch (IOException e) {
      // the child JVM died before reading its task: a bad JVM option, or killed from outside
      String code;
      try {
        code = p.waitFor(5, TimeUnit.SECONDS) ? "exit code " + p.exitValue() : "still running";
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        code = "interrupted while waiting for it";
      }
      p.destroyForcibly();
      throw new UncheckedIOException("child JVM " + frame.name() + " (pid " + p.pid()
          + ") exited before reading its task (" + code + "; its standard error says why); command: "
          + String.join(" ", cmd), e);
    }
    return new IpcProcess(p, frame.name(), frame.daemon());
  }

  /** Configures and starts child processes. Not thread-safe; {@link #start(Task)} may be called repeatedly. */
  public static final class Builder {
    private String name;
    private boolean daemon;
    private boolean warmSpare = Boolean.getBoolean(WARM_SPARE_PROPERTY);
    private final List<String> jvmOptions = new ArrayList<>();

    private Builder() {
    }

    /** The process name ({@code IpcProcess-N} by default, N counting starts in this JVM). */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      if (name.getBytes(StandardCharsets.UTF_8).length > TaskFrame.MAX_NAME_BYTES) {
        throw new IllegalArgumentException("name must be at most " + TaskFrame.MAX_NAME_BYTES
            + " UTF-8 bytes: length=" + name.length());
      }
      return this;
    }

    /** A daemon child exits when this JVM exits or dies, even by SIGKILL. Default false. */
    public Builder daemon(boolean daemon) {
      this.daemon = daemon;
      return this;
    }

    /**
     * Extra JVM options for the child, after the inherited ones (so {@code -Xmx} here wins). Each must start with
     * {@code '-'}; class path, module and {@code -jar} options are refused (the child runs on this JVM's class
     * path).
     */
    public Builder jvmOptions(String... options) {
      Objects.requireNonNull(options, "options");
      for (String o : options) {
        Objects.requireNonNull(o, "option");
        if (!o.startsWith("-")) {
          throw new IllegalArgumentException("a JVM option must start with '-': option=\"" + o + "\"");
        }
        if (o.equals("-cp") || o.equals("-classpath") || o.startsWith("--class-path") || o.equals("-jar")
            || o.equals("-m") || o.startsWith("--module") || o.equals("-p")) {
          throw new IllegalArgumentException("JVM option not allowed (the child runs on this JVM's class path):"
              + " option=\"" + o + "\"");
        }
        jvmOptions.add(o);
      }
      return this;
    }

    /**
     * Keep one booted child JVM waiting for this configuration, so that {@link #start(Task)} hands it the task
     * and boots the next one in the background. Default: the system property {@code ipckit.process.warmSpare}.
     */
    public Builder warmSpare(boolean warmSpare) {
      this.warmSpare = warmSpare;
      return this;
    }

    /**
     * Boots the warm spare for this configuration if none is waiting and waits until it is ready: for start-up
     * latency from the first start on, and for benchmarks.
     *
     * @return true if a ready spare is waiting; false on timeout or if it could not be started
     */
    public boolean awaitWarmSpare(Duration timeout) throws InterruptedException {
      Objects.requireNonNull(timeout, "timeout");
      List<String> cmd = command();
      if (!parentWarm) {
        Task empty = () -> { };
        DirectTask.encode(empty);             // the first encoding in a JVM costs milliseconds: pay it now
        serialize(empty);
        parentWarm = true;
      }
      return SparePool.awaitReady(cmd, timeout);
    }

    /** The command line a child of this builder runs (spares append their arguments). */
    List<String> command() {
      return childCommand(jvmOptions);
    }

    /**
     * Starts {@code task} in a child JVM.
     *
     * @throws IllegalArgumentException if the task captures something not serializable (the message names it)
     * @throws UncheckedIOException     if no child JVM can be started
     */
    public IpcProcess start(Task task) {
      Objects.requireNonNull(task, "task");
      byte[] direct = DirectTask.encode(task);
      byte[] blob = direct != null ? direct : serialize(task);
      String n = name != null ? name : "IpcProcess-" + COUNTER.incrementAndGet();
      String backend = Ipc.backendName();
      TaskFrame frame = new TaskFrame(daemon, direct != null, n, backend == null ? "" : backend, blob);
      List<String> cmd = command();
      if (!warmSpare) {
        return startCold(cmd, frame);
      }
      IpcProcess started = null;
      Process spare = SparePool.take(cmd);
      if (spare != null) {
        try {
          SparePool.hand(spare, frame);
          started = new IpcProcess(spare, n, daemon);
        } catch (IOException e) {
          spare.destroyForcibly();            // the spare died under us: start cold instead
        }
      }
      if (started == null) {
        started = startCold(cmd, frame);
      }
      SparePool.scheduleNext(cmd, started.process);
      return started;
    }

    @Override
    public String toString() {
      return "IpcProcess.Builder[name=" + name + ", daemon=" + daemon + ", warmSpare=" + warmSpare
          + ", jvmOptions=" + jvmOptions + "]";
    }
  }
}
