/**
 * The local backend: each named object is one memory-mapped file in the namespace directory, or, for a small
 * object (a value, lock, rlock or event with a name of up to 48 characters), a slot of the namespace's slab, where a
 * million of them share a few mappings ({@code slab}; {@code docs/small-objects.md}). This package holds
 * the backend's entry point ({@link dev.ipckit.shm.ShmBackend}, found by {@link java.util.ServiceLoader}) and its
 * composition root ({@code ShmNamespace}, with what it holds per directory, {@code NamespaceCore}, listing and
 * removing objects, {@code NamespaceObjects}, and reopening a received handle, {@code Reopen}); everything else
 * lives in one package per concern, with dependencies
 * pointing one way:
 *
 * <pre>
 * format  &lt;- wait &lt;- liveness &lt;- core &lt;- {value, lock, sync, queue, pipe} &lt;- shm
 *                                            {value, lock, sync, queue, pipe} &lt;- inspect
 * format  &lt;- liveness &lt;- slab &lt;- {shm, inspect}
 * </pre>
 *
 * <ul>
 *   <li>{@code format}: the file header, kinds, mapped files and the typed VarHandle accessors ({@code Mem}).</li>
 *   <li>{@code wait}: the one wait loop ({@code Waiter}), deadlines, the idle strategy, adaptive spinning, the
 *   bell and sleep words, and every tuning property ({@code Tuning}).</li>
 *   <li>{@code liveness}: who is alive ({@code Liveness}, implemented by the registry) and the robust owner word
 *   used by every kind that owns something.</li>
 *   <li>{@code core}: what every handle shares, the narrow view of a namespace a handle needs, directories.</li>
 *   <li>{@code value}, {@code lock}, {@code sync}, {@code queue}, {@code pipe}: one package per kind, each with
 *   its layout descriptor(s), algorithm and facade.</li>
 *   <li>{@code slab}: where small objects live, many to a mapping: chunks of slots, the name index, the journal
 *   that a process killed at any instant leaves for the next to complete or undo.</li>
 * </ul>
 *
 * <p><b>Conventions.</b> Every shared word is read and written through the VarHandles of {@code Mem}
 * ({@code byteBufferViewVarHandle}, native order, naturally aligned), and the access mode is in the call:
 * {@code getAcquire}/{@code setRelease} to consume/publish, {@code getOpaque} to poll, {@code getAndAdd},
 * {@code getAndSet} and {@code compareAndSet} (volatile) to update. Plain {@code ByteBuffer} access is used only
 * for message bytes, which are published by the release store of the index that covers them.
 *
 * <p><b>Liveness.</b> Whatever a process owns (a lock, a queue side, a pipe end) records the owner's registry
 * token ({@code generation << 16 | slot + 1}). Whether that process is alive is asked of the kernel through
 * {@code Liveness} (a file lock per process, dropped by the kernel when it dies), never guessed from a timeout.
 *
 * <p><b>Paths.</b> Every file the backend opens in a namespace goes through {@code format.SafeFiles.openOwnFile}:
 * never through a symbolic link, and only a regular file of this user with mode 0600. Namespace directories are
 * checked by {@code core.Dirs} (ours, 0700, no parent writable by others without the sticky bit); temporary ones
 * live in a base no other user can block or redirect, and are swept only when provably ours
 * ({@code core.TempNamespaces}).
 *
 * <p><b>Waiting.</b> Every blocking call waits in {@code Waiter}: spin, yield, then park with growing sleeps.
 *
 * <p><b>Internal.</b> This package is internal to the shared-memory backend and subject to change without notice;
 * applications use {@code dev.ipckit}.
 */
package dev.ipckit.shm;
