/**
 * ipckit: Python's {@code multiprocessing} for the JVM.
 *
 * <p>{@link dev.ipckit.Ipc} opens a namespace (a directory) whose named objects - values and arrays, locks,
 * semaphores, events, barriers, bounded queues and pipes - are shared by every process on the machine that opens
 * the same directory. {@link dev.ipckit.IpcProcess} runs a {@link dev.ipckit.Task} in a child JVM and
 * {@link dev.ipckit.Pool} keeps a set of worker processes; handles captured by a task reopen in the child.
 *
 * <p>The backend that stores the objects is found with {@link java.util.ServiceLoader}
 * ({@link dev.ipckit.spi.Backend}); {@code dev.ipckit:ipc-shm} provides the local memory-mapped one. Everything in
 * {@code dev.ipckit.internal.*} and {@code dev.ipckit.spi} is for ipckit and backends, not for applications, and
 * may change.
 */
package dev.ipckit;
