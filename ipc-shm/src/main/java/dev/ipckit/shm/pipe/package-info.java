/**
 * Pipes: one single-producer single-consumer ring of records per direction in a mapped file, and a robust claim per
 * end; the layout is drawn in {@link dev.ipckit.shm.pipe.PipeDescriptor}.
 *
 * <p><b>Internal.</b> This package is internal to the shared-memory backend and subject to change without notice;
 * applications use {@code dev.ipckit}.
 */
package dev.ipckit.shm.pipe;
