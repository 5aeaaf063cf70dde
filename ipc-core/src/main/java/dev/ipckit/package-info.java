/**
 * ipckit: Python's {@code multiprocessing} for the JVM.
 *
 * <p>{@link dev.ipckit.Ipc} opens a namespace (a directory, or more generally a location URI) whose named objects -
 * values and arrays, shared memory blocks, locks, semaphores, events, barriers, bounded queues and pipes - are
 * shared by every process that opens the same location; {@link dev.ipckit.Ipc#names()} lists them and {@link
 * dev.ipckit.Ipc#remove(String)} removes one. {@link dev.ipckit.IpcProcess} runs a {@link dev.ipckit.Task} in a
 * child JVM and {@link dev.ipckit.Pool} keeps a set of worker processes; handles captured by a task reopen in the
 * child.
 *
 * <p>The backend that stores the objects is found with {@link java.util.ServiceLoader}
 * ({@link dev.ipckit.spi.Backend}) by the scheme of the location; {@code dev.ipckit:ipc-shm} provides the local
 * memory-mapped one, for {@code file:} locations. Everything in
 * {@code dev.ipckit.internal.*} and {@code dev.ipckit.spi} is for ipckit and backends, not for applications, and
 * may change.
 *
 * <h2 id="Handles">Handles</h2>
 *
 * <p>What the factory methods of {@link dev.ipckit.Ipc} return - a {@link dev.ipckit.SharedLong}, an
 * {@link dev.ipckit.IpcLock}, an {@link dev.ipckit.IpcQueue}, a {@link dev.ipckit.Connection} of a
 * {@link dev.ipckit.Pipe} and so on - is a <em>handle</em>: a view, in this JVM, of an object that lives in the
 * namespace. Every process that opens the same name in the same namespace reaches the same object.
 *
 * <p><b>Thread safety.</b> Every handle, and every {@code Ipc}, is safe for use by any number of threads at
 * once, without external synchronization; threads of one process and threads of different processes see one
 * object. Each method of a value, and each single-element method of an array, is atomic; a sequence of calls is
 * not: {@code v.set(v.get() + 1)} loses updates, where {@code v.incrementAndGet()} or a lock around the two calls
 * does not. Where a type restricts who may call what, its description says so: a lock is released by the thread
 * that holds it, a pipe end is used by one process at a time.
 *
 * <p><b>Serialization.</b> Every handle is {@link java.io.Serializable}. It serializes as where its object
 * lives - the namespace's location, the name, the kind, and what opening it needs (an array's length, a queue's
 * capacity and codec, a pipe's end and duplex flag) - never as its contents, and deserializing it reopens the same
 * object in the JVM that reads it, the way Python passes a {@code Value}, a {@code Lock} or a {@code Connection}
 * in {@code Process(args=...)}. A handle captured by a {@link dev.ipckit.Task} therefore reopens in the child, and
 * one sent in a message reopens in the receiver. Reopening never creates: a handle whose namespace directory or
 * object is gone fails to reopen with an {@link dev.ipckit.IpcException} instead of becoming a fresh, empty
 * object.
 *
 * <p><b>Closing.</b> Every handle is {@link AutoCloseable}. Closing a handle makes it unusable (its methods that
 * reach the object then throw {@link IllegalStateException} naming it) and releases what it holds in this JVM, such
 * as a pipe end; the object and its contents stay in the namespace for every other handle and process, until
 * {@link dev.ipckit.Ipc#remove(String)} removes them. Closing twice is harmless. {@link dev.ipckit.Ipc#close()}
 * closes every handle that {@code Ipc} returned.
 *
 * <h2 id="MemoryVisibility">Memory Consistency Properties</h2>
 *
 * <p>Chapter 17 of <cite>The Java Language Specification</cite> defines the <em>happens-before</em> relation
 * between the actions of threads of one JVM. ipckit extends it to the threads of every process that opens the
 * same namespace: the objects of a namespace order the actions of threads, whichever processes the threads run
 * in, as their {@code java.util.concurrent} counterparts order the threads of one JVM (with the one difference for
 * the {@code get} and {@code set} of values described below). In particular:
 *
 * <ul>
 *   <li>Actions in a thread prior to {@link dev.ipckit.IpcLock#unlock() unlock()} of an {@code IpcLock}
 *   happen-before actions subsequent to a later successful {@code lock()}, {@code lockInterruptibly()} or
 *   {@code tryLock} of the same lock in another thread of any process. A condition's {@code await} releases the
 *   lock and takes it again, and so takes part in this ordering.
 *   <li>Actions prior to {@link dev.ipckit.IpcSemaphore#release() release()} of an {@code IpcSemaphore}
 *   happen-before actions subsequent to a successful {@code acquire()} or {@code tryAcquire} of the same
 *   semaphore in another thread of any process.
 *   <li>Actions prior to the {@code set} (or any update) of a shared value or array element happen-before actions
 *   subsequent to a {@code get}, or an update, of the same value or element that sees the value stored, in another
 *   thread of any process; likewise for the {@code put} and {@code get} methods of a
 *   {@link dev.ipckit.SharedBuffer}.
 *   <li>Actions prior to {@link dev.ipckit.IpcEvent#set() set()} of an {@code IpcEvent} happen-before actions
 *   subsequent to an {@code await} that returns because it saw the event set, or an {@code isSet()} that returns
 *   {@code true} because of that {@code set()}, in another thread of any process.
 *   <li>Actions prior to placing a message into an {@code IpcQueue} ({@code put}, {@code offer}, {@code add})
 *   happen-before actions subsequent to the access ({@code peek}, iteration) or removal ({@code take},
 *   {@code poll}, {@code remove}, {@code drainTo}) of that message in another thread of any process. Actions prior
 *   to {@link dev.ipckit.IpcQueue#taskDone() taskDone()} happen-before actions subsequent to the return of a
 *   {@code join()} that counted it.
 *   <li>Actions prior to {@link dev.ipckit.Connection#send send} (or {@code sendBytes}) of a message on one end of
 *   a {@code Pipe} happen-before actions subsequent to the {@code recv} (or {@code recvBytes}) that returns that
 *   message at the other end, in another thread of any process.
 *   <li>Actions in each party prior to {@link dev.ipckit.IpcBarrier#await() await()} on an {@code IpcBarrier}
 *   happen-before actions subsequent to the successful return of the corresponding {@code await()} in every other
 *   party of that generation, in any process.
 * </ul>
 *
 * <p>A process cannot see another's heap: across processes, what these rules order is the state the processes
 * share through ipckit - values and array elements, and the contents of messages. Between threads of one process
 * they also order ordinary heap actions, exactly as the {@code java.util.concurrent} classes do. The relation is
 * transitive, so a value written with {@code set} before {@code unlock()} in one process is seen by a {@code get}
 * after the matching {@code lock()} in another.
 *
 * <p>The guarantees come from how every shared word is accessed: through {@link java.lang.invoke.VarHandle}s with
 * an explicit mode - release stores and acquire loads to publish, volatile compare-and-set and get-and-add to
 * update, opaque loads only to poll before an acquiring load. One consequence: the {@code set} and {@code get} of a
 * shared value are a release store and an acquire load, like
 * {@link java.util.concurrent.atomic.AtomicLong#setRelease AtomicLong.setRelease} and
 * {@link java.util.concurrent.atomic.AtomicLong#getAcquire getAcquire}, not volatile accesses like
 * {@code AtomicLong.set} and {@code get}. Two processes that each {@code set} one value and then {@code get} the
 * other may both read the old values; where that matters, use a lock or the read-modify-write methods
 * ({@code getAndSet}, {@code compareAndSet}, {@code getAndAdd}), which are volatile.
 *
 * <h2 id="PeerDeath">Peer death</h2>
 *
 * <p>A <em>peer</em> is another process that has opened the same namespace. A peer <em>dies</em> when it ends
 * without having released what it holds: it is killed at any instant - even by {@code SIGKILL}, in the middle of a
 * call - or it crashes, or it exits (returns from {@code main}, calls {@code System.exit}) while it still holds a
 * lock or a pipe end. Every object is built so that such a death never corrupts it, and so that nothing the dead
 * process held blocks the survivors for longer than it takes to notice the death. What the dead process never did
 * - set an event, arrive at a barrier, return a permit, call {@code taskDone()} - is waited for as it would be
 * from a live process that never does it.
 *
 * <p>Liveness comes from the kernel, not from timeouts. Each process that opens a namespace holds a kernel lock on
 * its own slot of the namespace's registry for as long as it runs, and the kernel drops that lock when the process
 * ends, however it ends. Whatever a process owns (a lock, a queue's internal lock words, a pipe end) records its
 * slot and the slot's generation, so a slot reused by a newer process is never mistaken for its dead predecessor.
 * A waiter that has waited for a while asks the registry whether the owner is alive and recovers if it is not:
 * typically a few milliseconds after the death, most of them the kernel tearing the dead JVM down. No timeout is
 * involved: a process that is merely slow, stopped, or paused by a long garbage collection still holds its registry
 * lock, and is waited for like any live one.
 *
 * <p>What a survivor sees depends on the kind of object; each interface describes it under <b>Peer death</b>. In
 * short:
 *
 * <ul>
 *   <li>{@link dev.ipckit.IpcLock}: a waiter takes the dead holder's lock over, and
 *   {@link dev.ipckit.IpcLock#ownerDied() ownerDied()} is {@code true} for that acquisition.
 *   <li>{@link dev.ipckit.IpcQueue}: a message is either entirely in the queue or not at all; the messages a
 *   killed consumer had taken are gone with it, and {@code join()} counts those it had not marked done as done
 *   ({@link dev.ipckit.IpcQueue#abandonedTasks()} says how many).
 *   <li>{@link dev.ipckit.Connection}: the reader gets {@link java.io.EOFException} once it has received what the
 *   dead peer sent; a sender gets {@link java.io.IOException} instead of waiting for room from a dead reader.
 *   <li>{@link dev.ipckit.IpcSemaphore}: the permits a process acquired and had not released come back when it is
 *   gone (killed, or exited without releasing), to a waiter, and {@link dev.ipckit.IpcSemaphore#reclaimed()
 *   reclaimed()} is {@code true} for that acquisition; {@link dev.ipckit.IpcSemaphore#disown(int) disown} hands
 *   permits over for good.
 *   <li>{@link dev.ipckit.IpcBarrier}: a party that dies while waiting breaks the barrier for the others; one that
 *   dies before it arrives is waited for like one that never comes.
 *   <li>{@link dev.ipckit.IpcEvent}: nothing is held; a process that dies before it sets the event is waited for
 *   like one that never comes. Use the timed forms of {@code await} when that may happen.
 *   <li>Values and arrays: nothing is held; a process that dies leaves the last value it stored.
 * </ul>
 */
package dev.ipckit;
