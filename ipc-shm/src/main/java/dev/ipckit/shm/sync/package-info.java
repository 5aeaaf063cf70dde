/**
 * Semaphores, events and barriers: one state word each in a mapped file, updated by compareAndSet; the layout is
 * drawn in {@link dev.ipckit.shm.sync.SyncDescriptor}.
 *
 * <p><b>Internal.</b> This package is internal to the shared-memory backend and subject to change without notice;
 * applications use {@code dev.ipckit}.
 */
package dev.ipckit.shm.sync;
