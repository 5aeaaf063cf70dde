/**
 * The bounded multi-producer multi-consumer queue: a ring of slots in a mapped file, a data area for larger messages
 * and side files for the largest. The file is drawn in {@link dev.ipckit.shm.queue.QueueDescriptor}, a slot in
 * {@link dev.ipckit.shm.queue.SlotDescriptor}.
 *
 * <ul>
 *   <li>{@link dev.ipckit.shm.queue.SlotRing}: the slots, head, tail and done words, under the two lock words.</li>
 *   <li>{@link dev.ipckit.shm.queue.DoneWord}: the done word against tail: taskDone's count, join's looks.</li>
 *   <li>{@link dev.ipckit.shm.queue.DataArea}: the byte ring for messages of 249 B to 64 KiB.</li>
 *   <li>{@link dev.ipckit.shm.queue.SpillFiles}: side files for longer messages, and their sweep.</li>
 *   <li>{@link dev.ipckit.shm.queue.TaskTable}: per process, the messages taken and not yet marked done.</li>
 *   <li>{@link dev.ipckit.shm.queue.ShmQueue}: the {@code BlockingQueue} facade: codec, waiting, wake-ups.</li>
 * </ul>
 *
 * <h2>Protocol</h2>
 *
 * <p>Producers are serialised by the producer lock word, consumers by the consumer lock word (robust words,
 * {@link dev.ipckit.shm.liveness.OwnerWord}: compareAndSet(0, token) to acquire, setRelease(0) to release). Head,
 * tail, data head and data tail only grow; message {@code n} lives in slot {@code n % capacity}.
 *
 * <ol>
 *   <li><b>Put</b> (under the producer lock). Read tail {@code t} and, when the cached head says full, head with
 *   getAcquire; {@code t - head >= capacity} is full. Write slot {@code t} with plain stores: length, payload,
 *   type last. Publish with setRelease(tail = t + 1).</li>
 *   <li><b>Data area</b> (a message of {@code INLINE_MAX + 1} to {@code DATA_MAX} bytes, inside the put). Read
 *   data tail {@code dt}; room is {@code dt + length - dataHead <= dataLength}, where a ring found empty
 *   ({@code head == t}) means no data byte is in use, whatever data head says. Copy the bytes at {@code dt}
 *   (wrapping), write the slot (type DATA, position {@code dt}), store setRelease(data tail = dt + length),
 *   <em>then</em> publish the slot.</li>
 *   <li><b>Spill</b> (a longer message). Before the lock: write the bytes to a new file
 *   {@code name@spill-<producer>-<number>} (0600). The slot (type SPILLED) holds the producer's token and the
 *   number. A put that fails (full, timed out, interrupted) deletes its file.</li>
 *   <li><b>Take</b> (under the consumer lock). Read head {@code h} and, when the cached tail says empty, tail with
 *   getAcquire. Compute the slot's data end (the {@code dataEnd} rule: {@code position + length} for a well-formed
 *   DATA slot that ends at or before data tail, else none), read the slot (copy inline bytes, copy out of the data
 *   area, or claim the side file by renaming it to {@code name@taken-<producer>-<number>-<consumer>}), free it with
 *   setRelease(head = h + 1), <em>then</em> free its bytes with setRelease(data head = data end). A batch take,
 *   {@code drainTo} and {@code clear()} do the same for several slots with one release of each word. A snapshot
 *   ({@code peek}, {@code iterator}) reads under the consumer lock and frees nothing. The side file of a claimed
 *   message is read and deleted after the lock.</li>
 *   <li><b>Task count</b> (inside a take or batch take of {@code n} messages from head {@code h}, before head's
 *   release). Each process counts in the entry of the task table for its registry slot ({@link
 *   dev.ipckit.shm.queue.TaskTable}). Its first take stores its token in the entry's owner word, then moves what the
 *   entry holds (a dead predecessor's counts) to inherited with one compareAndSet: {@code (g, c, i) -> (mine, 0, i +
 *   c)}. Then: write the take record on the consumer lock's line ({@code h}, {@code n}, the entry's toggle bit
 *   {@code T}; its token last, with setRelease), compareAndSet(entry, own + n and {@code T} flipped), free the slots
 *   (setRelease(head)), clear the record (setRelease(token = 0)). A consumer that takes the consumer lock over from a
 *   dead holder first repairs a record it finds: the take happened iff head is no longer {@code h}; the count
 *   happened iff {@code T} was flipped; if the two disagree, one compareAndSet adds or removes {@code n} and flips
 *   {@code T}; then it counts the repair and clears the record.</li>
 *   <li><b>Done</b>. {@code taskDone()} first lowers its process's own count by one (compareAndSet, when it is above
 *   0 and not saturated; else the call is on behalf of another process and changes no entry), <em>then</em> is one
 *   compareAndSet(done, done + 1), refused once done reaches tail (the own count is then raised back).
 *   {@code join()} waits until done (getAcquire) reaches tail (getAcquire); at its liveness-probe interval it also
 *   returns when {@code abandoned + done >= tail}, abandoned (read first, then done, then tail) being the sum over
 *   entries of inherited plus own where the entry's process is dead (its counts are of another generation than the
 *   owner word, or the owner word's process is dead). A saturated count (2<sup>20</sup> - 1: a process that takes a
 *   million messages without taskDone) stays so and is never counted. While a dead taker's record is present, or a
 *   repair ran during the sum, abandoned is not known and join does not count it (it takes the lock over from a dead
 *   holder to repair the record). Join moves no count.</li>
 *   <li><b>Wake-ups</b>. After a put, a producer reads the consumers' sleep word and rings the bell if a consumer
 *   announced a long park; after a take, a consumer does the same with the producers' word.</li>
 * </ol>
 *
 * <p><b>Memory consistency.</b> The plain stores of a slot and of its data bytes happen-before a consumer's
 * getAcquire of a tail past it; a consumer's reads of a slot and its bytes happen-before a producer's getAcquire
 * of a head (a data head) past them, so nothing is overwritten while it is read.
 *
 * <h2>Crash table</h2>
 *
 * <p>A process can be killed between any two steps. What the survivors see, and which code handles it:
 *
 * <table class="striped">
 *   <caption>A process killed at each step of the protocol</caption>
 *   <thead>
 *     <tr><th>Killed</th><th>What survivors see</th><th>Handled by</th></tr>
 *   </thead>
 *   <tbody>
 *     <tr><td>holding the producer or consumer lock word (at any step below that holds it)</td>
 *       <td>the word keeps the dead token; the next producer (consumer) waits at most a few milliseconds, then
 *       takes the word over</td>
 *       <td>{@code OwnerWord.acquireBriefly()} (liveness probe, compareAndSet(dead, me))</td></tr>
 *     <tr><td>put: writing the slot, before setRelease(tail)</td>
 *       <td>tail unchanged: nothing; the half-written slot is overwritten by the next put</td>
 *       <td>{@code SlotRing.tryPut} (always writes slot {@code tail})</td></tr>
 *     <tr><td>put: after setRelease(tail), before releasing the lock</td>
 *       <td>the message is in the queue (the killed put did not return)</td>
 *       <td>the lock word row</td></tr>
 *     <tr><td>put: after releasing the lock, before the wake-up</td>
 *       <td>a parked consumer sees the message when its park ends (at most 20 ms) instead of at once</td>
 *       <td>{@code Waiter} (parks are bounded)</td></tr>
 *     <tr><td>data area: copying the bytes or writing the slot, before setRelease(data tail)</td>
 *       <td>data tail and tail unchanged: nothing; the bytes are overwritten by the next data-area put</td>
 *       <td>{@code DataArea.tryReserve} (always reserves at data tail)</td></tr>
 *     <tr><td>data area: after setRelease(data tail), before setRelease(tail)</td>
 *       <td>a gap in the data area, no message; it is freed when a later message's bytes are freed, or when the
 *       ring is found empty</td>
 *       <td>{@code DataArea.free} (data head jumps past the gap), the empty-ring rule of
 *       {@code DataArea.tryReserve}</td></tr>
 *     <tr><td>spill: writing the side file, or after it before the publish</td>
 *       <td>a {@code name@spill-<dead>-<n>} file that no slot names</td>
 *       <td>{@code SpillFiles.sweepOrphans} (at the first open of the queue in a JVM, and by
 *       {@code ipckit gc})</td></tr>
 *     <tr><td>take: reading the slot or copying the data bytes out, before setRelease(head)</td>
 *       <td>head unchanged: the message is still there; the next consumer takes it</td>
 *       <td>{@code SlotRing.tryTake} (always reads slot {@code head})</td></tr>
 *     <tr><td>spill claim: after renaming the side file, before setRelease(head)</td>
 *       <td>the slot still names the message, whose file is now {@code name@taken-<p>-<n>-<dead>}; the next
 *       consumer finds it and claims it again</td>
 *       <td>{@code SpillFiles.open} / {@code locate}</td></tr>
 *     <tr><td>take: after setRelease(head), before setRelease(data head)</td>
 *       <td>the message is taken; its data bytes count as used until the next data-area message is taken or the
 *       ring is found empty (a put may fail for want of room meanwhile)</td>
 *       <td>{@code SlotRing.takeBatch}/{@code tryTake} (data head = the largest data end), the empty-ring rule of
 *       {@code DataArea.tryReserve}</td></tr>
 *     <tr><td>spill: after setRelease(head), before reading and deleting the claimed file</td>
 *       <td>the message is gone with the killed consumer, as with any queue; a {@code name@taken-...-<dead>} file
 *       that no slot names</td>
 *       <td>{@code SpillFiles.sweepOrphans}</td></tr>
 *     <tr><td>take: after releasing the lock, before the wake-up</td>
 *       <td>a producer parked on a full queue sees the room when its park ends</td>
 *       <td>{@code Waiter} (parks are bounded)</td></tr>
 *     <tr><td>sweep: deleting orphans, holding the consumer lock</td>
 *       <td>some orphans left; the consumer lock word is taken over</td>
 *       <td>the next {@code SpillFiles.sweepOrphans}; the lock word row</td></tr>
 *     <tr><td>first take of a process: after storing its token in the entry's owner word, before the fold</td>
 *       <td>the owner word names the killed process, the counts are its dead predecessor's (another generation):
 *       counted as abandoned either way</td>
 *       <td>{@code TaskTable.abandoned} (generation check); the slot's next process folds them
 *       ({@code TaskTable.claim}: one compareAndSet, nothing between)</td></tr>
 *     <tr><td>take: after writing the take record, before the count's compareAndSet</td>
 *       <td>a record naming the dead taker; head and the count unchanged, the message still there</td>
 *       <td>{@code TaskTable.recover}, run by the next holder of the consumer lock after the takeover
 *       ({@code SlotRing.lockConsumers}, or join's probe and {@code abandonedTasks()}): head is {@code h},
 *       {@code T} not flipped, nothing to repair; the record is cleared</td></tr>
 *     <tr><td>take: after the count, before setRelease(head)</td>
 *       <td>the count includes {@code n} messages still in the queue; until repaired {@code join()} counts no
 *       abandoned task (it would count these)</td>
 *       <td>{@code TaskTable.recover}: head is {@code h}, {@code T} flipped: own - n, {@code T} flipped back</td></tr>
 *     <tr><td>take: after setRelease(head), before clearing the record</td>
 *       <td>the messages are taken and counted</td>
 *       <td>{@code TaskTable.recover}: head moved, {@code T} flipped: nothing to repair (head moved with {@code T}
 *       not flipped, impossible in this order, would add {@code n})</td></tr>
 *     <tr><td>repairing a take record, before clearing it</td>
 *       <td>the record stays, the consumer lock word holds the killed repairer's token</td>
 *       <td>the next takeover repairs again: idempotent, {@code T} says whether the repair is in</td></tr>
 *     <tr><td>between taking a message and {@code taskDone()} (its own count is above 0)</td>
 *       <td>the task is abandoned: {@code join()} counts it as done once the death is seen (at its liveness-probe
 *       interval), {@code abandonedTasks()} reports it; unlike Python, whose join() waits</td>
 *       <td>{@code SlotRing.allDoneOrAbandoned}, {@code TaskTable.abandoned} (read only)</td></tr>
 *     <tr><td>a process killed between the two compareAndSets of one {@code taskDone()}</td>
 *       <td>one task counted neither as owed nor as done: {@code join()} waits for it (the one window left; never
 *       an early return)</td>
 *       <td>not repaired: {@code join(timeout)}, or a {@code taskDone()} by a process that knows of the loss</td></tr>
 *     <tr><td>a refused {@code taskDone()}: after lowering its own count, before raising it back</td>
 *       <td>its own count one too low; done already equals tail, so {@code join()} returns anyway</td>
 *       <td>nothing needed</td></tr>
 *     <tr><td>a waiter, after announcing a long park in a sleep word</td>
 *       <td>at most one needless ring of the bell</td>
 *       <td>{@code Bell} (the announcement expires)</td></tr>
 *   </tbody>
 * </table>
 *
 * <p><b>Limits of the task count.</b> A {@code taskDone()} called in one process for a message another process
 * took counts that task twice if the taker then dies (as done, and as its abandoned task): {@code join()} may then
 * return while one other task is unfinished. A saturated count leaves the abandoned tasks of its registry slot
 * uncounted (join waits for them) for the rest of the file's life. A process whose registry slot has no entry
 * (past {@code TASK_ENTRIES}) is not counted: join waits for its unfinished tasks, as in Python.
 *
 * <p>A slot whose type or length is not one the protocol writes (a damaged file) is taken and reported as an
 * {@link dev.ipckit.IpcException} by the take that meets it; the other messages are intact.
 *
 * <p><b>Internal.</b> This package is internal to the shared-memory backend and subject to change without notice;
 * applications use {@code dev.ipckit}.
 */
package dev.ipckit.shm.queue;
