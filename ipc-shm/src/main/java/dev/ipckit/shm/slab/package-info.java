/**
 * Where small objects live, many to a mapping: a namespace's slab. {@link dev.ipckit.shm.slab.SlabLayout} states
 * the files and words and what a process killed at any instant leaves; {@link dev.ipckit.shm.slab.Slab} is the
 * code (lock-free lookups by name; creation, removal and reuse under the slab's lock), {@code SlabJournal} what
 * the lock's holder writes first and its successor completes or undoes, {@code SlabFiles} the chunks and index
 * generations as this JVM maps them, {@link dev.ipckit.shm.slab.Census} the consistency check the crash tests use;
 * {@link dev.ipckit.shm.slab.SlabCopy} reads a slab from outside, for the inspector. The design and its reasons are in {@code
 * docs/small-objects.md}.
 *
 * <p>The handles are those of files of their own: a small object's words are a {@link dev.ipckit.shm.format.Cell}
 * (a buffer, the offset of its body and of its sleep word), whichever way it is stored.
 */
package dev.ipckit.shm.slab;
