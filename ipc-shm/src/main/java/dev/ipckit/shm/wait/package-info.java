/**
 * Waiting, written once: the one wait loop ({@link dev.ipckit.shm.wait.Waiter}) behind every blocking call,
 * saturating deadlines ({@link dev.ipckit.spi.Deadline}, shared with the library), the spin-yield-park idle strategy, adaptive spinning,
 * the bell that wakes long waiters in every process through inotify, and every tuning property ({@link
 * dev.ipckit.shm.wait.Tuning}).
 *
 * <p><b>Internal.</b> This package is internal to the shared-memory backend and subject to change without notice;
 * applications use {@code dev.ipckit}.
 */
package dev.ipckit.shm.wait;

