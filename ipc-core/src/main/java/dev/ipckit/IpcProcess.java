package dev.ipckit;

import dev.ipckit.internal.process.ChildCommand;
import dev.ipckit.internal.process.ChildMain;
import dev.ipckit.internal.process.SparePool;
import dev.ipckit.internal.process.StartReports;
import dev.ipckit.internal.process.TaskFrame;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;

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
 * <p><b>Where the child finds classes.</b> The child's class path follows where the classes really are: the class
 * paths of the loaders that define ipckit, its backends, the task's classes and the starting thread's context
 * class loader ({@code java.class.path} for the system loader, the URLs of a {@link java.net.URLClassLoader}), plus
 * the module path when this JVM has one (the child then resolves every module on it, and runs ipckit's module). So
 * a task starts the same under {@code java -cp}, {@code java -jar} of a fat jar, {@code mvn exec:java}, the module
 * path and a plugin's loader. Classes that exist only in a loader's memory (a single-file program run as {@code java
 * Foo.java}, a loader that defines classes from bytes) travel to the child as class files, with every class of that
 * loader they refer to. A class a child could never load (its loader serves no bytes: JShell, a Spring Boot jar
 * nested in a jar) fails {@code start} with an {@link IllegalArgumentException} naming it. A child that still
 * cannot read its task (a jar deleted meanwhile, a handle it cannot reopen) exits with code 70 and tells this
 * process why: {@link #join()} and {@link #exitCode()} then throw a {@link ProcessStartException} with the reason.
 * {@link Builder#classLoader(ClassLoader)} adds a loader whose classes the task loads only by name.
 *
 * <p>The child runs with the same {@code java} and the JVM flags that matter
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
 * the task ({@code join} and {@code exitCode} throw {@link ProcessStartException} with the reason); 71 a daemon
 * child whose parent died. A JVM that cannot start at all (a bad JVM option) exits with the launcher's code, 1. A
 * signal shows as 128+N, as a shell shows it: {@link Process} cannot tell a child killed by SIGKILL from one
 * that called {@code System.exit(137)}, so there is no {@code exitSignal()} that would be a guess.
 *
 * <p><b>Daemon children</b> ({@link Builder#daemon(boolean)}) exit when this JVM exits or dies, even by SIGKILL: the
 * child watches its standard input pipe, which the kernel closes when this process dies however it dies. A
 * non-daemon child (the default) outlives this JVM. A child started by a daemon child is a daemon too, whatever
 * its builder says, so no process outlives its family (Python refuses to let a daemon start children; here a
 * pool worker, itself a daemon, may start processes, and they die with it).
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

  /** The children this JVM started that have not exited yet, in start order; guarded by itself. */
  private static final Set<IpcProcess> CHILDREN = new LinkedHashSet<>();

  private final Process process;
  private final String name;
  private final boolean daemon;
  /** Why the child could not run its task, "" if it could, null until looked at; guarded by this. */
  private String startFailure;

  IpcProcess(Process process, String name, boolean daemon) {
    this.process = process;
    this.name = name;
    this.daemon = daemon;
    synchronized (CHILDREN) {
      CHILDREN.add(this);
    }
    process.onExit().thenRun(() -> {
      synchronized (CHILDREN) {
        CHILDREN.remove(this);
      }
    });
  }

  /**
   * This JVM seen as a process, as Python's {@code current_process()}: its name ({@code "MainProcess"} unless it
   * is an ipckit child, then the name its parent gave it), its process id, whether it is an ipckit child and
   * whether a daemon one.
   */
  public static Current current() {
    String child = ChildMain.childName();
    return new Current(child != null ? child : "MainProcess", ProcessHandle.current().pid(), child != null,
        ChildMain.daemonChild());
  }

  /**
   * The live children this JVM started (with {@link #start} or a builder, pool workers included) that have not
   * exited, in start order: Python's {@code active_children()}.
   */
  public static List<IpcProcess> activeChildren() {
    List<IpcProcess> out;
    synchronized (CHILDREN) {
      out = new ArrayList<>(CHILDREN);
    }
    out.removeIf(p -> !p.isAlive());
    return out;
  }

  /**
   * The ipckit parent that started this JVM, while it lives: Python's {@code parent_process()}. Empty in a JVM
   * that is not an ipckit child, and once the parent has exited.
   */
  public static Optional<ProcessHandle> parent() {
    long pid = ChildMain.parentPid();
    return pid == 0 ? Optional.empty() : ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
  }

  /**
   * What {@link #current()} returns: this JVM's process name and id, and whether it is an ipckit child (and a
   * daemon one).
   *
   * @param name   {@code "MainProcess"}, or the child's name ({@link #name()} in its parent)
   * @param pid    this JVM's process id
   * @param child  whether an ipckit parent started this JVM to run a task
   * @param daemon whether this JVM is a daemon child (it exits when its parent dies; its children are daemons)
   */
  public record Current(String name, long pid, boolean child, boolean daemon) {
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

  /**
   * Waits for the child to exit.
   *
   * @throws ProcessStartException if the child could not run its task (a class it cannot load, a handle it cannot
   *                               reopen): the message says why
   */
  public void join() throws InterruptedException {
    process.waitFor();
    checkStarted();
  }

  /**
   * Waits at most {@code timeout} for the child to exit; true if it has. A negative timeout is zero.
   *
   * @throws ProcessStartException if the child exited because it could not run its task
   */
  public boolean join(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    boolean exited = process.waitFor(timeout.isNegative() ? 0 : saturatedNanos(timeout), TimeUnit.NANOSECONDS);
    if (exited) {
      checkStarted();
    }
    return exited;
  }

  /**
   * Empty while the child runs; then its exit code (see the class comment: 0 ok, 1 the task threw, ...).
   *
   * @throws ProcessStartException if the child exited because it could not run its task
   */
  public OptionalInt exitCode() {
    if (process.isAlive()) {
      return OptionalInt.empty();
    }
    checkStarted();
    return OptionalInt.of(process.exitValue());
  }

  /**
   * Throws the child's report if it exited because it could not run its task. The report is read once (the
   * child leaves it in this JVM's report directory) and kept.
   */
  private void checkStarted() {
    if (process.exitValue() != ChildMain.EXIT_BAD_TASK) {
      return;
    }
    String r;
    synchronized (this) {
      r = startFailure;
      if (r == null) {
        r = StartReports.take(process.pid()).orElse("");
        startFailure = r;
      }
    }
    if (!r.isEmpty()) {
      throw new ProcessStartException(name, process.pid(), r);
    }
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
    return "IpcProcess[" + name + ", pid=" + pid() + (daemon ? ", daemon" : "")
        + (process.isAlive() ? ", alive" : ", exitCode=" + process.exitValue()) + "]";
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The child JVM's {@link Process}: after a start the launcher boots the next warm spare behind it. */
  Process process() {
    return process;
  }

  /** Configures and starts child processes. Not thread-safe; {@link #start(Task)} may be called repeatedly. */
  public static final class Builder {
    private String name;
    private boolean daemon;
    private boolean warmSpare = Boolean.getBoolean(WARM_SPARE_PROPERTY);
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<ClassLoader> classLoaders = new ArrayList<>();

    private Builder() {
    }

    /**
     * A class loader whose classes the task may load in the child beyond those it captures (a plugin's loader,
     * say): its class path joins the child's. The loaders of ipckit, of the task's own classes and the starting
     * thread's context class loader are always included.
     */
    public Builder classLoader(ClassLoader loader) {
      classLoaders.add(Objects.requireNonNull(loader, "loader"));
      return this;
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

    /**
     * A daemon child exits when this JVM exits or dies, even by SIGKILL. Default false; always true in a JVM that
     * is itself a daemon child.
     */
    public Builder daemon(boolean daemon) {
      this.daemon = daemon;
      return this;
    }

    /**
     * Extra JVM options for the child, after the inherited ones (so {@code -Xmx} here wins). Each must start with
     * {@code '-'}; class path, module and {@code -jar} options are refused (the child's class path follows the
     * task's classes; see {@link #classLoader(ClassLoader)}).
     */
    public Builder jvmOptions(String... options) {
      Objects.requireNonNull(options, "options");
      for (String o : options) {
        jvmOptions.add(ProcessLauncher.checkJvmOption(Objects.requireNonNull(o, "option")));
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
      return ProcessLauncher.awaitWarmSpare(command(), timeout);
    }

    /** The command line a child of this builder runs (spares append their arguments). */
    List<String> command() {
      return ChildCommand.of(jvmOptions, ProcessLauncher.classPath(classLoaders, List.of()));
    }

    /**
     * Starts {@code task} in a child JVM.
     *
     * @throws IllegalArgumentException if the task captures something not serializable, or its classes cannot
     *                                  reach a child (the message names them)
     * @throws IllegalStateException    if the task captures a closed ipckit object (a handle of a closed Ipc)
     * @throws UncheckedIOException     if no child JVM can be started
     */
    public IpcProcess start(Task task) {
      return ProcessLauncher.start(Objects.requireNonNull(task, "task"), name, daemon, warmSpare, jvmOptions,
          classLoaders);
    }

    @Override
    public String toString() {
      return "IpcProcess.Builder[name=" + name + ", daemon=" + daemon + ", warmSpare=" + warmSpare
          + ", jvmOptions=" + jvmOptions + "]";
    }
  }
}
