package dev.ipckit.shm.core;

import dev.ipckit.IpcLock;
import dev.ipckit.shm.format.Cell;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.liveness.Liveness;
import dev.ipckit.shm.wait.SleepWord;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * What a handle needs of its namespace, and nothing more: where it lives, who is alive, its mapped file (one
 * mapping per file per JVM), JVM-wide state shared by every handle of one object, its sleep words, and the
 * namespace's bookkeeping of open handles. The composition root ({@code ShmNamespace}) implements it; the kind
 * packages see only this.
 *
 * <p><b>Thread safety.</b> Implementations are safe for any number of threads.
 */
public interface NamespaceView {
  /** The namespace directory (real path). */
  Path dir();

  /** This process's liveness in the namespace: its token, and whether others are alive. */
  Liveness liveness();

  /** The mapped file of {@code name}, created per {@code spec} or opened and checked against it. */
  MappedFile file(String name, MappedFile.Spec spec);

  /**
   * The words of the small object {@code name} of {@code kind} ({@code INT}, {@code LONG}, {@code DOUBLE}, {@code
   * LOCK}, {@code RLOCK}, {@code EVENT}), created (its body zero, then {@code init} run on it, when not null) or
   * opened and checked: IllegalArgumentException when the name holds another kind.
   */
  Cell small(String name, Kind kind, java.util.function.Consumer<Cell> init);

  /** True while the slab slot behind {@code c} still holds the object it held when {@code c} was made. */
  boolean current(Cell c);

  /** A JVM-wide object attached to {@code key} (lock states and the like), made once by {@code make}. */
  <T> T shared(String key, Function<String, T> make);

  /** The sleep word at {@code at} of the mapped file {@code buf}: waking its waiters rings this namespace's bell. */
  SleepWord sleepWord(ByteBuffer buf, int at);

  /** The reentrant lock of the value {@code valueName} (its {@code getLock()}). */
  IpcLock valueLock(String valueName);

  /** Closes {@code c} when the namespace's last instance in this JVM closes (a file lock's channel). */
  void closeWithNamespace(Closeable c);

  /** Registers an open handle, to be closed with the namespace; IllegalStateException if it is closed. */
  void track(ShmHandle h);

  /** Forgets a closed handle. */
  void untrack(ShmHandle h);
}
