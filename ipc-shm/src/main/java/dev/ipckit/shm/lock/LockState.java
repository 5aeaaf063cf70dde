package dev.ipckit.shm.lock;

import dev.ipckit.shm.core.NamespaceView;
import dev.ipckit.shm.format.FileHeader;
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
  final MappedFile file;
  final ByteBuffer buf;
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

  private LockState(NamespaceView ns, MappedFile file) {
    this.file = file;
    this.buf = file.buffer;
    this.word = new OwnerWord(buf, LockDescriptor.OWNER_OFFSET, LockDescriptor.TAKEOVERS_OFFSET, ns.liveness());
    this.sleep = ns.sleepWord(buf, FileHeader.SLEEP_OFFSET);
  }

  /** The JVM's one state of the lock {@code name} of {@code kind}: its file created or opened and checked. */
  static LockState of(NamespaceView ns, String name, Kind kind) {
    MappedFile f = ns.file(name, MappedFile.spec(kind, 0, 0, LockDescriptor.BODY_LENGTH, null));
    return ns.shared(kind.name() + "/" + name, k -> new LockState(ns, f));
  }
}
