package dev.ipckit;

import dev.ipckit.internal.ChildMain;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Task} running in a child JVM: Python's {@code multiprocessing.Process} with the spawn start method.
 * The child runs on this JVM's class path with the same {@code java} and the JVM flags that matter
 * ({@code -Xmx}, {@code -Xms}, {@code -D...}, {@code --add-opens}, {@code --add-exports}, {@code -ea}); its
 * standard output and error go to this process's, as in Python.
 *
 * <p>Handles the task captures (values, locks, queues, pipe ends) travel as where they live and reopen in the
 * child. A task that captures something not serializable fails here, in {@link #start(Task)}, with an
 * {@link IllegalArgumentException} naming the class.
 *
 * <p><b>Thread safety.</b> Instances are safe for use by several threads.
 */
public final class IpcProcess {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final Process process;
  private final String name;
  private final boolean daemon;

  private IpcProcess(Process process, String name, boolean daemon) {
    this.process = process;
    this.name = name;
    this.daemon = daemon;
  }

  /** Starts {@code task} in a new non-daemon child JVM. */
  public static IpcProcess start(Task task) {
    return builder().start(task);
  }

  public static Builder builder() {
    return new Builder();
  }

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

  /** Waits at most {@code timeout} for the child to exit; true if it has. */
  public boolean join(Duration timeout) throws InterruptedException {
    return process.waitFor(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
  }

  /**
   * Empty while the child runs; then 0 when the task returned, 1 when it threw, N after {@code System.exit(N)},
   * 128+signal when a signal killed it (143 for {@link #terminate()}, 137 for {@link #kill()}).
   */
  public OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /** Asks the child to stop (SIGTERM): its shutdown hooks run. */
  public void terminate() {
    process.destroy();
  }

  /** Stops the child at once (SIGKILL). */
  public void kill() {
    process.destroyForcibly();
  }

  /** The underlying {@link ProcessHandle}. */
  public ProcessHandle toHandle() {
    return process.toHandle();
  }

  @Override
  public String toString() {
    return "IpcProcess[" + name + ", pid=" + pid() + (isAlive() ? ", alive" : ", exit=" + process.exitValue()) + "]";
  }

  /** Serializes {@code task}, naming the non-serializable class it captures if there is one. */
  static byte[] serialize(Task task) {
    Objects.requireNonNull(task, "task");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(task);
    } catch (NotSerializableException e) {
      throw new IllegalArgumentException("the task captures an object that is not serializable: "
          + e.getMessage() + " (capture only serializable values and ipckit handles)", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialize the task: " + e, e);
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
      if (a.startsWith("-Xmx") || a.startsWith("-Xms") || a.startsWith("-Xss") || a.startsWith("-D")
          || a.startsWith("--add-opens=") || a.startsWith("--add-exports=") || a.startsWith("--add-modules=")
          || a.startsWith("--enable-native-access") || a.equals("--enable-preview")
          || a.equals("-ea") || a.equals("-esa") || a.startsWith("-ea:") || a.equals("-enableassertions")) {
        out.add(a);
      } else if ((a.equals("--add-opens") || a.equals("--add-exports") || a.equals("--add-modules"))
          && i + 1 < in.size()) {
        out.add(a);
        out.add(in.get(++i));
      }
    }
    return out;
  }

  /** Configures and starts child processes. */
  public static final class Builder {
    private String name;
    private boolean daemon;
    private final List<String> jvmOptions = new ArrayList<>();

    private Builder() {
    }

    /** The process name ({@code IpcProcess-N} by default). */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** A daemon child exits when this JVM exits or dies, even by SIGKILL. */
    public Builder daemon(boolean daemon) {
      this.daemon = daemon;
      return this;
    }

    /** Extra JVM options for the child, after the inherited ones. */
    public Builder jvmOptions(String... options) {
      for (String o : options) {
        jvmOptions.add(Objects.requireNonNull(o, "option"));
      }
      return this;
    }

    public IpcProcess start(Task task) {
      byte[] blob = serialize(task);
      String n = name != null ? name : "IpcProcess-" + COUNTER.incrementAndGet();
      List<String> cmd = new ArrayList<>();
      cmd.add(javaExecutable());
      cmd.addAll(inheritedJvmFlags());
      cmd.addAll(jvmOptions);
      cmd.add("-Dipckit.process.name=" + n);
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(ChildMain.class.getName());
      if (daemon) {
        cmd.add("daemon");
      }
      ProcessBuilder pb = new ProcessBuilder(cmd)
          .redirectOutput(ProcessBuilder.Redirect.INHERIT)
          .redirectError(ProcessBuilder.Redirect.INHERIT);
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start a child JVM: " + String.join(" ", cmd.subList(0, 1)), e);
      }
      try {
        OutputStream os = p.getOutputStream();
        DataOutputStream out = new DataOutputStream(os);
        out.writeInt(blob.length);
        out.write(blob);
        out.flush();
        if (!daemon) {
          os.close();
        }
      } catch (IOException e) {
        p.destroyForcibly();
        throw new UncheckedIOException("cannot send the task to child " + n + " (pid " + p.pid() + ")", e);
      }
      return new IpcProcess(p, n, daemon);
    }

    @Override
    public String toString() {
      return "IpcProcess.Builder[name=" + name + ", daemon=" + daemon + ", jvmOptions=" + jvmOptions
          + ", classpath entries=" + Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)).size() + "]";
    }
  }
}
