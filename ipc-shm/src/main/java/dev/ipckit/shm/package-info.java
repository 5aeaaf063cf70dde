/**
 * The local backend: each named object is one memory-mapped file in the namespace directory, starting with a
 * checked {@link dev.ipckit.shm.FileHeader}; each kind's body layout is drawn in its descriptor class
 * ({@code ValueDescriptor}, {@code LockDescriptor}, {@code SyncDescriptor}, {@code QueueDescriptor},
 * {@code PipeDescriptor}). Implementation only: applications use {@code dev.ipckit}.
 *
 * <p><b>Conventions.</b> Every shared word is read and written through the VarHandles of {@code Mem}
 * ({@code byteBufferViewVarHandle}, native order, naturally aligned), and the access mode is in the call:
 * {@code getAcquire}/{@code setRelease} to consume/publish, {@code getOpaque} to poll, {@code getAndAdd},
 * {@code getAndSet} and {@code compareAndSet} (volatile) to update. Plain {@code ByteBuffer} access is used only
 * for message bytes, which are published by the release store of the index that covers them.
 *
 * <p><b>Liveness.</b> Whatever a process owns (a lock, a queue side, a pipe end) records the owner's registry
 * token ({@code generation << 16 | slot + 1}). Whether that process is alive is asked of the kernel through
 * {@code Registry} (a file lock per process, dropped by the kernel when it dies), never guessed from a timeout.
 *
 * <p><b>Waiting.</b> Every blocking call waits with {@code Backoff}: spin, yield, then park with growing sleeps.
 */
package dev.ipckit.shm;
