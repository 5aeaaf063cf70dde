package dev.ipckit.shm.lock;

import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.format.Cell;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.liveness.OwnerWord;
import dev.ipckit.shm.wait.SleepWord;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What one JVM knows about one named lock beyond the shared word: which of its threads holds it, how often, and
 * whether that acquisition took the lock from a dead process. Shared by every handle of the lock in the JVM.
 * The fields are written only by the holding thread while it holds the lock; other threads read them only to
 * learn that they are not the holder, which a stale value never contradicts.
 */
public final class LockState {
  /** The file lock's file; null for a lock or rlock. */
  final MappedFile file;
  final ByteBuffer buf;
  /** The offset of the signal counter of the lock's conditions in {@link #buf}. */
  final int signalsAt;
  /** Where the lock's words are. */
  final Cell cell;
  Thread owner;
  int holds;
  boolean ownerDied;

  /** For {@link Kind#FILE_LOCK}: the JVM's one channel on the file, its kernel lock, and the JVM-local gate. */
  FileChannel channel;
  FileLock kernelLock;
  final ReentrantLock gate = new ReentrantLock();

  /** The owner word: 0 or the holder's token (lock, rlock); unused by a file lock, which records it itself. */
  final OwnerWord word;
  /** The sleep word of the lock's waiters and of its conditions' waiters. */
  final SleepWord sleep;

  private LockState(NamespaceView ns, MappedFile file, Cell cell) {
    this.file = file;
    this.buf = cell.buf();
    this.cell = cell;
    this.signalsAt = cell.body() + LockDescriptor.SIGNALS;
    this.word = new OwnerWord(buf, cell.body() + LockDescriptor.OWNER, cell.body() + LockDescriptor.TAKEOVERS,
        ns.liveness());
    this.sleep = ns.sleepWord(buf, cell.sleep());
  }

  /**
   * The JVM's one state of the lock or rlock {@code name} of {@code kind}: its words created or opened and checked
   * (a slab slot, or a file of its own for a long name).
   */
  static LockState of(NamespaceView ns, String name, Kind kind) {
    return ns.shared(kind.name() + "/" + name, k -> new LockState(ns, null, ns.small(name, kind, null)));
  }

  /** The JVM's one state of the file lock {@code name}: its file created or opened and checked. */
  static LockState ofFile(NamespaceView ns, String name) {
    MappedFile f = ns.file(name, MappedFile.spec(Kind.FILE_LOCK, 0, 0, LockDescriptor.BODY_LENGTH, null));
    return ns.shared(Kind.FILE_LOCK.name() + "/" + name, k -> new LockState(ns, f, Cell.ofFile(f)));
  }
}
