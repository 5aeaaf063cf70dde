package dev.ipckit.internal.pool;

import dev.ipckit.Connection;
import dev.ipckit.DecodeException;
import dev.ipckit.Task;
import dev.ipckit.internal.pool.PoolMessages.Chunk;
import dev.ipckit.internal.pool.PoolMessages.Job;
import dev.ipckit.internal.pool.PoolMessages.Outcome;
import dev.ipckit.internal.pool.PoolMessages.Stop;
import dev.ipckit.internal.process.ChildMain;
import dev.ipckit.internal.process.ShippedClasses;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.util.List;

/**
 * The loop a pool worker runs in its child JVM: receive a {@link Job}, run it, send back its {@link Outcome}, until
 * a {@link Stop} or the end of the pipe (the parent went away).
 */
final class WorkerLoop {
  private WorkerLoop() {
  }

  /** The worker's loop, run in the child JVM. */
  static void serve(Connection<Serializable> conn, Task initializer) throws Exception {
    // tasks' classes the class path lacks arrive as Classes messages; the codec resolves them through this
    Thread.currentThread().setContextClassLoader(ShippedClasses.loader());
    if (initializer != null) {
      initializer.run();
    }
    for (;;) {
      Serializable m;
      try {
        m = conn.recv();
      } catch (EOFException parentGone) {
        return;
      } catch (DecodeException unreadable) {
        // only a job can name a class this worker lacks: fail that job, keep the worker
        conn.send(new Outcome(null, portable(new IllegalStateException("worker "
            + System.getProperty(ChildMain.NAME_PROPERTY) + " (pid " + ProcessHandle.current().pid()
            + ") cannot read the task: " + rootMessage(unreadable) + ChildMain.describeLoading(unreadable),
            unreadable.getCause()))));
        continue;
      }
      if (m instanceof Stop) {
        conn.close();
        return;
      }
      if (m instanceof PoolMessages.Classes) {
        ShippedClasses.accept(((PoolMessages.Classes) m).files);
        continue;
      }
      Job job = (Job) m;
      Outcome out;
      try {
        Object value = job.call.call();
        // a chunk's results travel packed like its items
        out = new Outcome(job.call instanceof Chunk ? new Packed((List<?>) value) : value, null);
      } catch (Throwable t) {
        out = new Outcome(null, portable(t));
      }
      try {
        conn.send(out);
      } catch (IllegalArgumentException | java.io.UncheckedIOException notSerializable) {
        conn.send(new Outcome(null, portable(new IllegalArgumentException(
            "the result of task #" + job.id + " cannot be sent back: " + notSerializable.getMessage()))));
      }
    }
  }

  /** The innermost message of {@code t}'s causes, with its class: what the codec could not do. */
  private static String rootMessage(Throwable t) {
    Throwable r = t;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    return r.toString();
  }

  /** {@code t} if it serializes, else a RuntimeException carrying its text and stack trace. */
  static Throwable portable(Throwable t) {
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(java.io.OutputStream.nullOutputStream())) {
      out.writeObject(t);
      return t;
    } catch (IOException e) {
      StringWriter sw = new StringWriter();
      t.printStackTrace(new PrintWriter(sw));
      return new RuntimeException(t + " (not serializable; its stack trace in the worker follows)\n" + sw);
    }
  }
}
