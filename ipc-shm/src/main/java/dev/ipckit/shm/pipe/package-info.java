/**
 * Pipes: one single-producer single-consumer ring of records per direction in a mapped file, and a robust claim per
 * end. The file is laid out by {@link dev.ipckit.shm.pipe.PipeDescriptor} (ends, rings, control words), a record by
 * {@link dev.ipckit.shm.pipe.RecordDescriptor}.
 *
 * <ul>
 *   <li>{@code RecordRing}: one ring, the producer's and the consumer's cursors; no waiting, no claims.</li>
 *   <li>{@code EndClaim}: the claim of one end and what it knows of the peer's (owner, closed flag, death).</li>
 *   <li>{@code PipeEnd}: what one JVM holds for one end: the claim, the ring out and the ring in, the waiting
 *   ({@code Waiter}) and the wake-ups ({@code SleepWord}).</li>
 *   <li>{@code ShmPipe}, {@code ShmConnection}: the facades.</li>
 * </ul>
 *
 * <p><b>Protocol.</b> An end is used by one process at a time: the first connection of a JVM to use it claims it
 * (compareAndSet of its owner word from 0, or from a dead owner's token, to this process's token) and clears its
 * closed flag; the last one to close it stores the closed flag 1 with setRelease, then releases the owner word.
 * A message goes out as records: one record when it fits in a quarter of the ring, else a first record (info = the
 * message's length) and continuation records, which the reader consumes while the writer writes. The producer
 * writes a record (padding first when it would cross the end of the ring) with plain stores and publishes it with
 * a setRelease of the tail; the consumer polls the tail with getOpaque, reads it with getAcquire, reads the records
 * below it with plain loads and frees them with a setRelease of the head, which the producer polls with getOpaque
 * and reads with getAcquire before reusing the space. A waiter past spinning reads the peer's closed flag with
 * getAcquire and, at most every 5 ms once parking, asks the registry whether the peer's owner lives.
 *
 * <p><b>Crash table.</b> What the survivors see when a process is killed at each step, and which code handles it:
 * <table>
 *   <caption>Crashes and recovery</caption>
 *   <tr><th>Killed</th><th>Survivors see</th><th>Handled by</th></tr>
 *   <tr><td>A sender, mid-record (padding, payload or header written, tail not yet stored)</td>
 *   <td>Nothing of the record: the tail ends before it. The receiver gets everything published, then
 *   {@code EOFException} naming the dead pid; the next owner of the end overwrites the unpublished bytes.</td>
 *   <td>{@code RecordRing.offer} (publication by the tail alone), {@code RecordRing.resumeProducer},
 *   {@code PipeEnd.awaitData}, {@code EndClaim.peerGone}, {@code EndClaim.endOfFile}</td></tr>
 *   <tr><td>A sender, mid-streamed message (some chunks published)</td>
 *   <td>The partial message is never delivered: dropped at end of file, or by the first record of the next
 *   message (a new owner's; the same holds for a sender interrupted mid-stream).</td>
 *   <td>{@code RecordRing.dropPartial} from {@code PipeEnd.recv}; {@code RecordRing.readRecord} (a first
 *   record drops the partial)</td></tr>
 *   <tr><td>A sender, after publishing the tail</td>
 *   <td>The message is complete and delivered; end of file after it.</td>
 *   <td>{@code RecordRing.readRecord}, then as above</td></tr>
 *   <tr><td>Any process, while owning an end (idle, never used, or blocked)</td>
 *   <td>Its token stays in the owner word and its closed flag at 0. The peer's waiting {@code recv} sees end of
 *   file within a few milliseconds; its {@code send} gets {@code IOException} (at once when the death was already
 *   seen). Another process may claim the end: the claim is taken over and counted, and its cursors continue from
 *   the file.</td>
 *   <td>{@code EndClaim.peerGone}, {@code EndClaim.checkPeerBeforeSend} (the dead-peer memo),
 *   {@code EndClaim.claim} ({@code OwnerWord.claim}), {@code RecordRing.resumeProducer},
 *   {@code RecordRing.resumeConsumer}</td></tr>
 *   <tr><td>A reader, while a sender waits for room</td>
 *   <td>The sender gets {@code IOException} naming the dead pid (adding that the reader discards the part already
 *   sent when it was streaming).</td>
 *   <td>{@code PipeEnd.awaitSpace}, {@code EndClaim.checkPeerAlive}</td></tr>
 *   <tr><td>A reader, mid-streamed message (its first record read)</td>
 *   <td>The next reader of the end skips the message's remaining chunks and reads on from the next message.</td>
 *   <td>{@code RecordRing.resumeConsumer} (no partial), {@code RecordRing.readRecord} (a continuation without its
 *   start is dropped)</td></tr>
 *   <tr><td>A reader, before storing the head</td>
 *   <td>The record is still there: the next reader of the end reads it.</td>
 *   <td>{@code RecordRing.resumeConsumer} (the head from the file)</td></tr>
 * </table>
 *
 * <p>A record that fails validation (a length out of range, a record crossing the end of the ring or the published
 * tail, an unknown info) is never skipped: {@code recv} throws {@link dev.ipckit.IpcException} naming the pipe, the
 * position and the header it found.
 *
 * <p><b>Internal.</b> This package is internal to the shared-memory backend and subject to change without notice;
 * applications use {@code dev.ipckit}.
 */
package dev.ipckit.shm.pipe;
