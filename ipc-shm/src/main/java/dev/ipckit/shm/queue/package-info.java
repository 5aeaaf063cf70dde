/**
 * The bounded multi-producer multi-consumer queue: a ring of slots in a mapped file, a data area for larger messages
 * and side files for the largest; the layout is drawn in {@link dev.ipckit.shm.queue.QueueDescriptor}.
 *
 * <p><b>Internal.</b> This package is internal to the shared-memory backend and subject to change without notice;
 * applications use {@code dev.ipckit}.
 */
package dev.ipckit.shm.queue;
