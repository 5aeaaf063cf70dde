package dev.ipckit.cli;

import dev.ipckit.IpcException;
import dev.ipckit.shm.ShmBackend;
import dev.ipckit.shm.core.Leftovers;
import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.core.TempNamespaces;
import dev.ipckit.shm.format.Fields;
import dev.ipckit.shm.inspect.Holder;
import dev.ipckit.shm.inspect.Inspector;
import dev.ipckit.shm.inspect.ObjectInfo;
import dev.ipckit.shm.inspect.ProcessSlot;
import dev.ipckit.shm.inspect.Refused;
import dev.ipckit.shm.inspect.Removal;
import dev.ipckit.shm.inspect.Snapshot;
import dev.ipckit.shm.queue.ShmQueue;
import dev.ipckit.spi.Namespace;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ipckit} command: what is inside a shared-memory namespace directory, read from outside it with
 * {@link Inspector} (which opens nothing, takes no lock and claims no slot). This class only parses arguments and
 * formats.
 *
 * <pre>
 *   ipckit ls DIR [--json]          every object: kind, name, size, state and holders
 *   ipckit stat DIR NAME [--json]   one object, every word of its file
 *   ipckit ps DIR [--json]          the registry's processes: slot, generation, pid, alive/dead/unknown
 *   ipckit watch DIR [NAME] [--count N]   ls (or stat) again every second until interrupted
 *   ipckit rm DIR NAME [--force]    removes an object, refused while the namespace has live processes
 *   ipckit gc DIR                   removes the temporary files of creators that died, the side files of queue
 *                                   messages that dead producers or consumers left (never one a queued message
 *                                   names), and the dead temporary namespaces when DIR is their base
 * </pre>
 *
 * Exit codes: 0 done, 1 usage, 2 the namespace (or the object) cannot be read, 3 refused.
 */
public final class Ipckit {
  static final int OK = 0;
  static final int USAGE = 1;
  static final int UNREADABLE = 2;
  static final int REFUSED = 3;

  private static final String USAGE_TEXT = String.join(System.lineSeparator(),
      "usage: ipckit ls DIR [--json]",
      "       ipckit stat DIR NAME [--json]",
      "       ipckit ps DIR [--json]",
      "       ipckit watch DIR [NAME] [--count N]",
      "       ipckit rm DIR NAME [--force]",
      "       ipckit gc DIR",
      "exit codes: 0 ok, 1 usage, 2 unreadable namespace or no such object, 3 refused");

  /**
   * How long gc waits for a queue's consumer lock. A live consumer holds it for microseconds; one that holds it
   * longer is stopped or stuck, and its lock is never taken from it: the queue is left for a later gc.
   */
  private static final long QUEUE_LOCK_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final PrintStream out;
  private final PrintStream err;

  Ipckit(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    int code = new Ipckit(System.out, System.err).run(args);
    System.out.flush();
    System.exit(code);
  }

  /** Runs the command {@code args}; returns its exit code. */
  int run(String[] args) {
    boolean json = false;
    boolean force = false;
    int count = -1;
    List<String> words = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--json")) {
        json = true;
      } else if (a.equals("--force")) {
        force = true;
      } else if (a.equals("--count") && i + 1 < args.length) {
        try {
          count = Integer.parseInt(args[++i]);
        } catch (NumberFormatException e) {
          return usage("--count takes a number, not " + args[i]);
        }
      } else if (a.equals("-h") || a.equals("--help")) {
        out.println(USAGE_TEXT);
        return OK;
      } else if (a.startsWith("--")) {
        return usage("unknown option " + a);
      } else {
        words.add(a);
      }
    }
    if (words.isEmpty()) {
      return usage(null);
    }
    String command = words.get(0);
    List<String> rest = words.subList(1, words.size());
    try {
      switch (command) {
        case "ls":
          return rest.size() != 1 || force || count >= 0 ? usage("ls DIR [--json]") : ls(Path.of(rest.get(0)), json);
        case "stat":
          return rest.size() != 2 || force || count >= 0 ? usage("stat DIR NAME [--json]")
              : stat(Path.of(rest.get(0)), rest.get(1), json);
        case "ps":
          return rest.size() != 1 || force || count >= 0 ? usage("ps DIR [--json]") : ps(Path.of(rest.get(0)), json);
        case "watch":
          return rest.isEmpty() || rest.size() > 2 || force || json ? usage("watch DIR [NAME] [--count N]")
              : watch(Path.of(rest.get(0)), rest.size() == 2 ? rest.get(1) : null, count);
        case "rm":
          return rest.size() != 2 || json || count >= 0 ? usage("rm DIR NAME [--force]")
              : rm(Path.of(rest.get(0)), rest.get(1), force);
        case "gc":
          return rest.size() != 1 || json || force || count >= 0 ? usage("gc DIR") : gc(Path.of(rest.get(0)));
        default:
          return usage("unknown command " + command);
      }
    } catch (IOException e) {
      err.println("ipckit: cannot read the namespace " + rest.get(0) + ": " + e);
      return UNREADABLE;
    } catch (IllegalStateException e) {
      err.println("ipckit: " + e.getMessage());
      return REFUSED;
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }
  }

  private int usage(String problem) {
    if (problem != null) {
      err.println("ipckit: " + problem);
    }
    err.println(USAGE_TEXT);
    return USAGE;
  }

  // ------------------------------------------------------------------ commands

  private int ls(Path dir, boolean json) throws IOException {
    Snapshot s = Inspector.inspect(dir);
    if (json) {
      out.println(Json.listing(s));
      return OK;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"KIND", "NAME", "SIZE", "STATE"});
    for (ObjectInfo o : s.objects()) {
      rows.add(new String[] {o.kind() == null ? "?" : o.kind(), o.name(), Long.toString(o.size()), state(o)});
    }
    table(rows);
    if (s.registryProblem() != null) {
      out.println("registry unreadable, liveness unknown: " + s.registryProblem());
    }
    return OK;
  }

  private int stat(Path dir, String name, boolean json) throws IOException {
    ObjectInfo o = Inspector.object(dir, name);
    if (o == null) {
      err.println("ipckit: no object \"" + name + "\" in " + dir);
      return UNREADABLE;
    }
    if (json) {
      out.println(Json.object(dir.toString(), o));
      return OK;
    }
    out.println("name:  " + o.name());
    out.println("kind:  " + (o.kind() == null ? "?" : o.kind()));
    out.println("size:  " + o.size());
    out.println("state: " + state(o));
    if (!o.fields().isEmpty()) {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"FIELD", "OFFSET", "VALUE", "MEANING"});
      for (Fields.Field f : o.fields()) {
        rows.add(new String[] {f.name(), Integer.toString(f.offset()),
            f.value() == null ? "(outside the file)" : f.value() + " (0x" + Long.toHexString(f.value()) + ")",
            f.meaning()});
      }
      out.println();
      table(rows);
    }
    return OK;
  }

  private int ps(Path dir, boolean json) throws IOException {
    Snapshot s = Inspector.processes(dir);
    if (json) {
      out.println(Json.processes(s));
      return OK;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"SLOT", "GENERATION", "PID", "LIFE"});
    for (ProcessSlot p : s.processes()) {
      rows.add(new String[] {Integer.toString(p.slot()), Long.toHexString(p.generation()), Long.toString(p.pid()),
          p.life().label()});
    }
    table(rows);
    if (s.registryProblem() != null) {
      out.println("registry unreadable: " + s.registryProblem());
    }
    return OK;
  }

  private int watch(Path dir, String name, int count) throws IOException {
    for (int n = 0; count < 0 || n < count; n++) {
      if (n > 0) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return OK;
        }
      }
      out.print("\033[H\033[2J");          // home, clear screen
      out.println(dir + "  " + java.time.LocalTime.now().withNano(0));
      int code = name == null ? ls(dir, false) : stat(dir, name, false);
      out.flush();
      if (code != OK) {
        return code;
      }
    }
    return OK;
  }

  private int rm(Path dir, String name, boolean force) throws IOException {
    try {
      List<Path> removed = Removal.remove(dir, name, force);
      if (removed.isEmpty()) {
        err.println("ipckit: no object \"" + name + "\" in " + dir);
        return UNREADABLE;
      }
      for (Path p : removed) {
        out.println("removed " + p);
      }
      return OK;
    } catch (Refused e) {
      err.println("ipckit: " + e.getMessage());
      return REFUSED;
    }
  }

  private int gc(Path dir) throws IOException {
    Snapshot s = Inspector.inspect(dir);      // an unreadable directory is exit 2, like every command
    int n = Leftovers.sweep(dir);
    out.println("removed " + n + " temporary " + (n == 1 ? "file" : "files") + " of creators that died");
    sweepQueues(dir, s);
    int ns = TempNamespaces.sweepDead(dir);    // DIR as the base of temporary namespaces: those whose processes died
    out.println("removed " + ns + " temporary " + (ns == 1 ? "namespace" : "namespaces") + " whose processes are"
        + " all dead");
    return OK;
  }

  /**
   * The orphan side files of every queue of {@code dir} that has side files, removed by the queue's own recovery
   * ({@link ShmQueue#sweepOrphans(NamespaceView, String, int, long)}), which keeps every file a queued message
   * names. It runs under the queue's consumer lock, so this process joins the namespace for the sweep (after the
   * inspection: the inspector refuses a namespace this process is in) and leaves it before returning.
   */
  private void sweepQueues(Path dir, Snapshot s) {
    List<ObjectInfo> queues = new ArrayList<>();
    for (ObjectInfo o : s.objects()) {
      if ("queue".equals(o.kind()) && o.problem() == null && o.state().get("spillFiles") instanceof Long
          && (Long) o.state().get("spillFiles") > 0 && o.state().get("capacity") instanceof Long) {
        queues.add(o);
      }
    }
    if (queues.isEmpty()) {
      return;                                   // nothing to sweep: DIR is not joined (it may not be a namespace)
    }
    try (Namespace joined = new ShmBackend().attach(dir)) {
      NamespaceView view = (NamespaceView) joined; // the shared-memory backend's namespaces are their own view
      for (ObjectInfo q : queues) {
        int removed;
        try {
          removed = ShmQueue.sweepOrphans(view, q.name(), ((Long) q.state().get("capacity")).intValue(),
              QUEUE_LOCK_WAIT_NANOS);
        } catch (IpcException | IllegalArgumentException e) {
          err.println("ipckit: queue " + q.name() + ": not swept: " + e.getMessage());
          continue;
        }
        if (removed < 0) {
          out.println("queue " + q.name() + ": consumer busy" + consumerOf(q) + ", spill files left");
        } else {
          out.println("removed " + removed + " orphan spill " + (removed == 1 ? "file" : "files") + " of queue "
              + q.name());
        }
      }
    } catch (IpcException | IllegalArgumentException e) {
      err.println("ipckit: cannot join the namespace " + dir + " to sweep its queues: " + e.getMessage());
    }
  }

  /** " (pid P)" for the consumer lock's holder as inspected, or "". */
  private static String consumerOf(ObjectInfo q) {
    for (Holder h : q.holders()) {
      if (h.role().equals("consumer") && h.pid() >= 0) {
        return " (pid " + h.pid() + ")";
      }
    }
    return "";
  }

  // ------------------------------------------------------------------ formatting

  /** The state column: the problem of an unreadable file, else {@code key=value} pairs then the holders. */
  static String state(ObjectInfo o) {
    if (o.problem() != null) {
      return "unreadable: " + o.problem();
    }
    StringJoiner j = new StringJoiner(" ");
    for (Map.Entry<String, Object> e : o.state().entrySet()) {
      j.add(e.getKey() + "=" + e.getValue());
    }
    for (Holder h : o.holders()) {
      j.add(h.role() + "=" + (h.count() != 0 ? h.count() + "@" : "") + "pid:" + (h.pid() < 0 ? "?" : h.pid()) + "("
          + h.life().label() + ")");
    }
    return j.toString();
  }

  /** Left-aligned columns, two spaces apart; the last column is not padded. */
  private void table(List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] r : rows) {
      for (int c = 0; c < columns - 1; c++) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        b.append(r[c]);
        if (c < columns - 1) {
          b.append(" ".repeat(width[c] - r[c].length() + 2));
        }
      }
      out.println(b.toString().stripTrailing());
    }
  }
}
