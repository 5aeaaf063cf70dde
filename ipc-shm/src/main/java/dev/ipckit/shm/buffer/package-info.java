/**
 * Shared memory blocks ({@code SharedBuffer}, Python's {@code shared_memory.SharedMemory}): named, sized runs of
 * raw bytes in a mapped file, laid out by {@link dev.ipckit.shm.buffer.BufferDescriptor}.
 *
 * <p><b>Internal.</b> This package is internal to the shared-memory backend and subject to change without notice;
 * applications use {@code dev.ipckit}.
 */
package dev.ipckit.shm.buffer;
