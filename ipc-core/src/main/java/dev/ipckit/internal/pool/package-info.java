/**
 * The machinery of {@link dev.ipckit.Pool}: a dispatcher thread per worker process
 * ({@link dev.ipckit.internal.pool.Dispatcher}), the loop a worker runs in its child JVM, the messages they
 * exchange over the worker's pipe ({@link dev.ipckit.internal.pool.PoolMessages}), the lazy iterator of
 * {@code imap} ({@link dev.ipckit.internal.pool.LazyMap}) and the functions that make {@code starmap} a map over
 * tuples ({@link dev.ipckit.internal.pool.Spread}).
 *
 * <p><b>This package is internal and subject to change without notice; applications use {@code dev.ipckit}.</b>
 */
package dev.ipckit.internal.pool;
