package dev.ipckit.bench;

import dev.ipckit.Ipc;
import dev.ipckit.IpcProcess;
import dev.ipckit.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The other side of a benchmark that compares an ipckit object with its in-process peer: a child JVM working on
 * objects of a namespace, or daemon threads of this JVM working on a {@code java.util.concurrent} one. The benchmark
 * tells it to stop in its own way, then {@link #join()}s it.
 */
final class Peer {
  private final Ipc ipc;
  private final IpcProcess child;
  private final List<Thread> threads = new ArrayList<>();

  private Peer(Ipc ipc, IpcProcess child) {
    this.ipc = ipc;
    this.child = child;
  }

  /** A child JVM named {@code name} that runs {@code body} on objects of {@code ipc}, closed by {@link #join()}. */
  static Peer process(Ipc ipc, String name, Task body) {
    return new Peer(ipc, IpcProcess.builder().name(name).start(body));
  }

  /** A daemon thread named {@code name} that runs {@code body}. */
  static Peer thread(String name, Task body) {
    Peer p = new Peer(null, null);
    p.start(name, body);
    return p;
  }

  /** {@code count} daemon threads named {@code prefix} and their number, each running {@code body}. */
  static Peer threads(String prefix, int count, Task body) {
    Peer p = new Peer(null, null);
    for (int i = 0; i < count; i++) {
      p.start(prefix + i, body);
    }
    return p;
  }

  private void start(String name, Task body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        throw new IllegalStateException(name + " failed", e);
      }
    }, name);
    t.setDaemon(true);
    t.start();
    threads.add(t);
  }

  /**
   * Waits for the other side, told to stop: up to 30 s for the child (then it is killed) and its namespace is
   * closed, or up to 30 s for each thread.
   */
  void join() throws InterruptedException {
    if (child != null) {
      Children.awaitExit(child);
      ipc.close();
    }
    for (Thread t : threads) {
      t.join(30_000);
    }
  }
}
