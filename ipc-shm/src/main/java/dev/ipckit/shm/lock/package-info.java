/**
 * Locks: the robust compare-and-set lock and its reentrant form ({@link dev.ipckit.shm.lock.ShmLock}), the kernel
 * file lock baseline ({@link dev.ipckit.shm.lock.ShmFileLock}), and conditions shared across processes; the layout
 * is drawn in {@link dev.ipckit.shm.lock.LockDescriptor}.
 *
 * <p><b>Internal.</b> This package is internal to the shared-memory backend and subject to change without notice;
 * applications use {@code dev.ipckit}.
 */
package dev.ipckit.shm.lock;
