/**
 * Semaphores, events and barriers: a state word each in a mapped file, updated by compareAndSet or under a lock word,
 * and for a semaphore and a barrier a table with an entry per registry slot ({@link dev.ipckit.shm.sync.SlotTable}).
 * The layouts are drawn in {@link dev.ipckit.shm.sync.SyncDescriptor}.
 *
 * <h2>Semaphore protocol</h2>
 *
 * <ol>
 *   <li><b>Lock.</b> Every update takes the lock word ({@link dev.ipckit.shm.liveness.OwnerWord}: compareAndSet(0,
 *   token); a waiter past spinning takes it over from a dead owner with compareAndSet(dead, me)) and gives it back
 *   with setRelease(0).</li>
 *   <li><b>Commit.</b> Under the lock, the count word's store is the update's commit point: it carries the new count
 *   and the next tag (16 bits).</li>
 *   <li><b>Acquire, release, disown</b> of this process's own permits: store the fast journal (the entry's new
 *   permits, 1 + its slot, the next tag), commit, store the entry's permits. An anonymous release: commit only.</li>
 *   <li><b>Reclaim, first use, updates of the unreported permits</b>: clear the fast journal, store the journal
 *   (permits, unreported, then 1 + slot and the next tag), commit, store the entry and the unreported word, clear the
 *   journal. The first use of a slot by a process reclaims what its dead predecessor there left, then stores the
 *   process's token in the entry.</li>
 *   <li><b>Redo.</b> Whoever takes the lock word over from a dead owner redoes the journal (or fast journal) whose tag
 *   is the count word's (the update was committed; redoing it twice is harmless, since it stores values, not
 *   changes) and clears both (a journal with another tag belongs to an update that was never committed).</li>
 *   <li><b>Reclaim scan.</b> A waiter past spinning (at its probe interval) and a {@code tryAcquire} that finds too
 *   few permits read every entry in use; for each that holds permits and whose token is not alive, they take the
 *   lock, check the entry again and reclaim it: the count rises by its permits (never past the bound), and so do the
 *   unreported permits, which the next acquisitions take first and report as {@code reclaimed()}.</li>
 * </ol>
 *
 * <h2>Crash table</h2>
 *
 * <p>A process can be killed between any two steps. What the survivors see, and which code handles it:
 *
 * <table class="striped">
 *   <caption>A process killed at each step of the semaphore and barrier protocols</caption>
 *   <thead>
 *     <tr><th>Killed</th><th>What survivors see</th><th>Handled by</th></tr>
 *   </thead>
 *   <tbody>
 *     <tr><td>semaphore: waiting for permits, or for the lock word</td>
 *       <td>nothing changed: the dead process took nothing</td>
 *       <td>-</td></tr>
 *     <tr><td>semaphore: holding the lock word, before the commit (journals half written or written)</td>
 *       <td>the lock word keeps the dead token; the next updater takes it over within milliseconds; the journals
 *       carry a tag the count word never got: the update never happened (an acquire took nothing, a release
 *       returned nothing: the permits it was returning are still the dead process's holdings, reclaimed below)</td>
 *       <td>{@code OwnerWord.acquireBriefly()}, {@code ShmSemaphore.redo()} (clears them)</td></tr>
 *     <tr><td>semaphore: after the commit, before the entry's (and the unreported word's) store</td>
 *       <td>the count is the new one, the entry the old one; the journal with the count word's tag is redone by the
 *       taker of the lock word: the update happened entirely (an acquire's permits are the dead process's holdings,
 *       a release's are back in the count, a reclaimed entry is empty)</td>
 *       <td>{@code ShmSemaphore.redo()}</td></tr>
 *     <tr><td>semaphore: after the entry's store, before releasing the lock word</td>
 *       <td>as the row above; the redo stores what is already there</td>
 *       <td>{@code ShmSemaphore.redo()}</td></tr>
 *     <tr><td>semaphore: after releasing the lock word, before the wake-up</td>
 *       <td>a parked waiter sees the permits when its park ends (at most 20 ms) instead of at once</td>
 *       <td>{@code Waiter} (parks are bounded)</td></tr>
 *     <tr><td>semaphore: holding permits, between calls (or exiting, or closing its namespace)</td>
 *       <td>its entry keeps its token and its permits; the next waiter past spinning, or {@code tryAcquire} that finds
 *       too few, reclaims them: the count rises by them, never past the bound, and the acquisition that takes them
 *       reports {@code reclaimed()}</td>
 *       <td>{@code ShmSemaphore.reclaimDead()}</td></tr>
 *     <tr><td>semaphore: first use of its slot, after reclaiming the predecessor's permits, before storing its
 *       token</td>
 *       <td>an entry with the dead predecessor's token and no permits: nothing to give back</td>
 *       <td>{@code ShmSemaphore.makeOwn()} (the next holder of the slot stores its own token)</td></tr>
 *     <tr><td>barrier: before recording its generation in its entry</td>
 *       <td>a party that never arrived: waited for like a slow one (the timed {@code await} breaks the barrier at
 *       its timeout)</td>
 *       <td>not repaired (by design)</td></tr>
 *     <tr><td>barrier: after recording its generation, before or after arriving, while waiting</td>
 *       <td>a waiter past spinning finds a dead process recorded in its generation and breaks it: every waiter throws
 *       {@code BrokenBarrierException}; if the last party arrives first, the generation trips</td>
 *       <td>{@code ShmBarrier.breakIfAPartyDied()}</td></tr>
 *     <tr><td>barrier: as the last party, while its action runs (the generation marked tripping)</td>
 *       <td>the same: the waiters, and parties arriving beyond the parties meanwhile, throw
 *       {@code BrokenBarrierException}</td>
 *       <td>{@code ShmBarrier.breakIfAPartyDied()}</td></tr>
 *     <tr><td>barrier: after its generation tripped</td>
 *       <td>nothing: its entry names a generation that is over</td>
 *       <td>-</td></tr>
 *     <tr><td>a waiter, after announcing a long park in a sleep word</td>
 *       <td>at most one needless ring of the bell</td>
 *       <td>{@code Bell} (the announcement expires)</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>A word outside its valid range (a damaged file: a journal naming no slot, an entry holding a negative number of
 * permits) is an {@link dev.ipckit.IpcException} naming the file and the word; a count of entries in use outside
 * 0 to 4096 is read as 4096.
 *
 * <p><b>Internal.</b> This package is internal to the shared-memory backend and subject to change without notice;
 * applications use {@code dev.ipckit}.
 */
package dev.ipckit.shm.sync;
