package dev.ipckit.shm;

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
final class LockState {
  final MappedFile file;
  final ByteBuffer buf;
  Thread owner;
  int holds;
  boolean ownerDied;

  /** For {@link Kind#FILE_LOCK}: the JVM's one channel on the file, its kernel lock, and the JVM-local gate. */
  FileChannel channel;
  FileLock kernelLock;
  final ReentrantLock gate = new ReentrantLock();

  LockState(MappedFile file) {
    this.file = file;
    this.buf = file.buffer;
  }
}
