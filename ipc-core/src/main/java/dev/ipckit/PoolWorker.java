package dev.ipckit;

import dev.ipckit.internal.pool.RemoteJobs;
import dev.ipckit.spi.RemotePools;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * A worker of a pool across machines: {@code java -cp <app> dev.ipckit.PoolWorker <location> <poolName>
 * [--threads N]} serves pool {@code poolName} at {@code location} ({@code redis://host:6379/ns} with
 * {@code ipc-redis} on the class path) until it is killed or interrupted, running the tasks that
 * {@code Pool.builder().remote(location, poolName)} submits, {@code N} at a time (default 1). The tasks' classes
 * must be on {@code <app>}: nothing is shipped to a remote worker.
 *
 * <p>It registers first, and exits with status 1 and a message naming both versions if a live worker or submitter
 * of the pool speaks another version of the wire format; bad arguments, or no service on the class path for the
 * location's scheme (the message names the artifact to add), exit with status 2. Once registered it prints one line,
 * {@code PoolWorker <poolName> at <location>: serving with N threads}, on standard output.
 *
 * <p><b>Security.</b> A worker runs whatever task it reads from the location: whoever may write there can run code
 * in it. Protect the location (for Redis: AUTH, ACLs, TLS), as Python's managers' {@code authkey}.
 */
public final class PoolWorker {
  private PoolWorker() {
  }

  /** Serves a pool until killed; see the class comment for the arguments and exit statuses. */
  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * The worker's life: 0 when it stopped after an interrupt or a close, 1 when it was refused or stopped on its own,
   * 2 for a usage error.
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    String usage = "usage: java -cp <app> dev.ipckit.PoolWorker <location> <poolName> [--threads N]";
    if (args.length != 2 && args.length != 4) {
      err.println(usage);
      return 2;
    }
    int threads = 1;
    if (args.length == 4) {
      if (!args[2].equals("--threads")) {
        err.println("unknown option " + args[2] + "\n" + usage);
        return 2;
      }
      try {
        threads = Integer.parseInt(args[3]);
      } catch (NumberFormatException e) {
        threads = 0;
      }
      if (threads < 1 || threads > 1024) {
        err.println("--threads takes a number from 1 to 1024, not " + args[3] + "\n" + usage);
        return 2;
      }
    }
    URI location;
    RemotePools service;
    try {
      location = new URI(args[0]);
      Ipc.checkName(args[1]);
      service = Backends.remotePools(location);
    } catch (URISyntaxException | IllegalArgumentException | IllegalStateException e) {
      err.println("PoolWorker: " + e.getMessage() + "\n" + usage);
      return 2;
    }
    RemotePools.Worker worker;
    try {
      worker = service.serve(location, args[1], threads, RemoteJobs::run);
    } catch (IllegalArgumentException e) {
      err.println("PoolWorker: " + e.getMessage() + "\n" + usage);
      return 2;
    } catch (RuntimeException e) {
      err.println("PoolWorker: pool " + args[1] + " at " + args[0] + " refused this worker: " + e.getMessage());
      return 1;
    }
    Thread hook = new Thread(worker::close, "PoolWorker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);     // SIGTERM: unregister, finishing the tasks running
    out.println("PoolWorker " + args[1] + " at " + args[0] + ": serving with " + threads + " thread"
        + (threads == 1 ? "" : "s"));
    out.flush();
    boolean closed = true;
    try {
      closed = worker.await();
    } catch (InterruptedException stop) {
      // interrupted: stop serving
    } finally {
      worker.close();
    }
    return closed ? 0 : 1;
  }
}
