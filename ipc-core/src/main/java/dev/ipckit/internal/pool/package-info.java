/**
 * The machinery of {@link dev.ipckit.Pool}: a dispatcher thread per worker process
 * ({@link dev.ipckit.internal.pool.Dispatcher}), the loop a worker runs in its child JVM, and the messages they
 * exchange over the worker's pipe ({@link dev.ipckit.internal.pool.PoolMessages}).
 *
 * <p><b>This package is internal and subject to change without notice; applications use {@code dev.ipckit}.</b>
 */
package dev.ipckit.internal.pool;
