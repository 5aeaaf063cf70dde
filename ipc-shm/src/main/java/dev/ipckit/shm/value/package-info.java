/**
 * Shared values and arrays ({@code SharedInt}, {@code SharedLong}, {@code SharedDouble} and the arrays of int,
 * long, double, byte, float and boolean): elements in a mapped file, each read and updated atomically; the layout is
 * drawn in {@link dev.ipckit.shm.value.ValueDescriptor}. Every array type is one implementation, the
 * cells of {@code ShmArray}, which {@link dev.ipckit.spi.CellType#view} makes typed.
 *
 * <p><b>Internal.</b> This package is internal to the shared-memory backend and subject to change without notice;
 * applications use {@code dev.ipckit}.
 */
package dev.ipckit.shm.value;
