/**
 * The on-disk format: the header every namespace file starts with ({@link dev.ipckit.shm.format.FileHeader}), the
 * kinds of object, mapped files that are checked before use and never mapped past their end, and the typed VarHandle
 * accessors every shared word goes through ({@link dev.ipckit.shm.format.Mem}).
 *
 * <p><b>Internal.</b> This package is internal to the shared-memory backend and subject to change without notice;
 * applications use {@code dev.ipckit}.
 */
package dev.ipckit.shm.format;
