/**
 * Shared values and arrays ({@code SharedInt}, {@code SharedLong}, {@code SharedDouble} and their arrays): elements
 * in a mapped file, each read and updated atomically; the layout is drawn in {@link
 * dev.ipckit.shm.value.ValueDescriptor}.
 *
 * <p><b>Internal.</b> This package is internal to the shared-memory backend and subject to change without notice;
 * applications use {@code dev.ipckit}.
 */
package dev.ipckit.shm.value;
