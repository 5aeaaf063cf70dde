/**
 * Who is alive, answered by the kernel ({@link dev.ipckit.shm.liveness.Liveness}, implemented by the per-namespace
 * {@link dev.ipckit.shm.liveness.Registry}), and the robust owner word ({@link dev.ipckit.shm.liveness.OwnerWord})
 * that locks, queue lock words and pipe end claims share: acquire, take over from the dead, claim, release, checked
 * release.
 *
 * <p><b>Internal.</b> This package is internal to the shared-memory backend and subject to change without notice;
 * applications use {@code dev.ipckit}.
 */
package dev.ipckit.shm.liveness;
