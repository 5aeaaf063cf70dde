/**
 * What every handle shares ({@link dev.ipckit.shm.core.ShmHandle}: name, kind, closing, the serialized form that
 * reopens it elsewhere), the narrow view of a namespace a handle needs ({@link dev.ipckit.shm.core.NamespaceView}),
 * and namespace directories: checked ones and private temporary ones.
 *
 * <p><b>Internal.</b> This package is internal to the shared-memory backend and subject to change without notice;
 * applications use {@code dev.ipckit}.
 */
package dev.ipckit.shm.core;
