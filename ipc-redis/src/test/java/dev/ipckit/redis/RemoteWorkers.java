package dev.ipckit.redis;

import dev.ipckit.PoolWorker;
import dev.ipckit.testkit.Await;
import dev.ipckit.testkit.Children;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@code dev.ipckit.PoolWorker} as plain JVMs on the test class path, reaped by the test's children. */
final class RemoteWorkers {
  private final Children children;
  private final Path dir;
  private int started;

  RemoteWorkers(Children children, Path dir) {
    this.children = children;
    this.dir = dir;
  }

  /** A worker JVM; {@code jvmFlags} first, then the arguments of PoolWorker. */
  Launched launch(List<String> jvmFlags, URI location, String pool, String... more) {
    int n = ++started;
    Path out = dir.resolve("worker-" + n + ".out");
    Path err = dir.resolve("worker-" + n + ".err");
    List<String> args = new ArrayList<>(List.of(location.toString(), pool));
    args.addAll(List.of(more));
    Process p = children.launch(PoolWorker.class, out, err, jvmFlags, args.toArray(new String[0]));
    return new Launched(p, out, err);
  }

  /** A worker that has registered (its ready line printed). */
  Launched serving(URI location, String pool, String... more) {
    Launched w = launch(List.of(), location, pool, more);
    Await.until("worker " + w.process.pid() + " to serve (stderr: " + w.errFile + ")", Children.START,
        () -> w.out().contains("serving with") || !w.process.isAlive());
    if (!w.process.isAlive()) {
      throw new AssertionError("worker exited " + w.process.exitValue() + ": " + w.err());
    }
    return w;
  }

  /** A launched worker JVM and its output files. */
  record Launched(Process process, Path outFile, Path errFile) {
    String out() {
      return read(outFile);
    }

    String err() {
      return read(errFile);
    }

    private static String read(Path p) {
      try {
        return Files.exists(p) ? Files.readString(p) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
