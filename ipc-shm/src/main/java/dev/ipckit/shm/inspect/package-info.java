/**
 * A look inside a shared-memory namespace directory from outside it: every object with its kind, size and state
 * and who holds what ({@link dev.ipckit.shm.inspect.Inspector}), the registry's processes, and the one command that
 * writes, removing an object ({@link dev.ipckit.shm.inspect.Removal}). What the {@code ipckit} command shows.
 *
 * <p><b>What reading guarantees.</b> {@link dev.ipckit.shm.inspect.Inspector} never opens the namespace (no
 * {@code Ipc.open} or {@code attach}: it creates no file and claims no registry slot), opens every file read-only
 * and reads it, never maps it, takes no lock of any object and writes, renames or removes nothing. A file is opened
 * only when it is a regular file of this user (never through a symbolic link, never a FIFO), so a foreign or damaged
 * file is reported with the reason, not read further. Whether a process is alive is asked of the kernel by one
 * attempt to lock its liveness file, released at once and never followed by removing the file: a process whose
 * file is locked is alive; one whose registry slot was claimed again, whose file is gone, or whose file the attempt
 * could lock is dead; anything else (an I/O error, a file not this user's) is {@linkplain
 * dev.ipckit.shm.inspect.Life#UNKNOWN unknown}, never dead. The attempt runs in the inspecting process, which holds
 * no lock on any of these files, so it cannot make a live process look dead; the inspector therefore refuses to run
 * in a process that is itself in the namespace's registry.
 *
 * <p>Small objects (values, locks, rlocks, events with names of up to 48 characters) are slots of the namespace's
 * slab, not files: they are read the same way, with plain reads of the slab's chunk and index files ({@link
 * dev.ipckit.shm.slab.SlabCopy}), found by name through the index as a handle finds them. Their size is the bytes a
 * slot takes. Removing one ({@code ipckit rm}) goes through the namespace, joined for the purpose, since a slot is
 * removed under the slab's lock.
 *
 * <p>A snapshot is read word by word while the namespace may be in use: each word is one atomic read, the whole is
 * not one instant.
 *
 * <p><b>Thread safety.</b> The static methods are safe for any number of threads; the results are immutable.
 */
package dev.ipckit.shm.inspect;
