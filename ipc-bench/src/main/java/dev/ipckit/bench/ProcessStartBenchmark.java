package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.SharedLong;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code IpcProcess.start(task)} then {@code join()} of an empty task: a cold start (a JVM boots for the task) and
 * a warm-spare start (a JVM booted earlier takes the task); a cold start of a task that increments a captured
 * {@code SharedLong} (the child also attaches to the namespace and maps the value); next to the floor: a plain {@link ProcessBuilder} of
 * {@code java -Xshare:auto -version} and of an empty {@code main} on the same class path. CPython 3.11 on this
 * machine: spawn 73 ms, forkserver 16 ms, fork 2.5 ms.
 *
 * <p>In the {@code warmSpare} case the setup before each call waits until the spare is ready (booted and blocked
 * on its standard input), as it is in an application that starts processes now and then; the time measured is
 * the hand-off, the task and the exit. {@code warmSpareBackToBack} shows what is left when starts come faster
 * than spares boot.
 *
 * <p>Run it:
 * <pre>
 * mvn -B -q -pl ipc-core,ipc-shm,ipc-bench package -DskipTests
 * java -jar ipc-bench/target/benchmarks.jar ProcessStartBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ProcessStartBenchmark {
  /**
   * What starts: {@code cold}, {@code warmSpare} (the spare is ready before each call),
   * {@code warmSpareBackToBack} (calls follow each other at once, the next spare may still be booting) and
   * {@code coldWithHandle} are IpcProcess; {@code javaVersion} and {@code emptyMain} are the plain-JVM floor.
   */
  @Param({"cold", "warmSpare", "warmSpareBackToBack", "coldWithHandle", "javaVersion", "emptyMain"})
  public String start;

  private IpcProcess.Builder builder;
  private ProcessBuilder floor;
  private Ipc ipc;
  private SharedLong counter;
  private long started;

  /** The empty program of the {@code emptyMain} floor. */
  public static final class EmptyMain {
    public static void main(String[] args) {
      // nothing: the cost of a JVM that starts and ends
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    builder = IpcProcess.builder().warmSpare(start.startsWith("warmSpare"));
    if (start.equals("coldWithHandle")) {
      ipc = Ipc.temp();
      counter = ipc.sharedLong("counter", 0);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = switch (start) {
      case "javaVersion" -> List.of(java, "-Xshare:auto", "-version");
      case "emptyMain" -> List.of(java, "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
          EmptyMain.class.getName());
      default -> null;
    };
    if (cmd != null) {
      floor = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD);
    }
  }

  @Setup(Level.Invocation)
  public void spareReady() throws InterruptedException {
    if (start.equals("warmSpare") && !builder.awaitWarmSpare(Duration.ofSeconds(30))) {
      throw new IllegalStateException("the warm spare did not become ready within 30 s");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    IpcProcess.retireWarmSpares();
    if (ipc != null) {
      if (counter.get() != started) {
        throw new IllegalStateException("children incremented the counter " + counter.get() + " times, "
            + started + " started");
      }
      ipc.close();
    }
  }

  /**
   * Eight cold starts one after the other, then eight joins: what a program that fans work out to a few children
   * pays (the JVMs boot side by side on the machine's cores). Only for the IpcProcess cases.
   */
  @Benchmark
  public int start8Join8() throws InterruptedException, IOException {
    if (floor != null || start.startsWith("warmSpare")) {
      return 0;                                // measured for the cold cases only
    }
    IpcProcess[] ps = new IpcProcess[8];
    for (int i = 0; i < ps.length; i++) {
      if (counter != null) {
        SharedLong c = counter;
        ps[i] = builder.start(c::incrementAndGet);
        started++;
      } else {
        ps[i] = builder.start(() -> { });
      }
    }
    int sum = 0;
    for (IpcProcess p : ps) {
      p.join();
      int code = p.exitCode().orElse(-1);
      if (code != 0) {
        throw new IllegalStateException(p + " failed");
      }
      sum += code;
    }
    return sum;
  }

  @Benchmark
  public int startJoin() throws InterruptedException, IOException {
    if (floor != null) {
      return floor.start().waitFor();
    }
    IpcProcess p;
    if (counter != null) {
      SharedLong c = counter;
      p = builder.start(c::incrementAndGet);
      started++;
    } else {
      p = builder.start(() -> { });
    }
    p.join();
    int code = p.exitCode().orElse(-1);
    if (code != 0) {
      throw new IllegalStateException(p + " failed");
    }
    return code;
  }
}
