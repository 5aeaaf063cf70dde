/**
 * The {@code ipckit} command ({@link dev.ipckit.cli.Ipckit}): formats what {@code dev.ipckit.shm.inspect} reads
 * from a shared-memory namespace directory, as text or as JSON with {@code "schema": 1}.
 */
package dev.ipckit.cli;
