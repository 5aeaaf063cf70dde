/**
 * The direct form of a lambda task, which a fresh child JVM runs without Java serialization
 * ({@link dev.ipckit.internal.task.DirectTask}): whether a task takes it and its encoding, how the lambda's target
 * is found again, and the values it captured.
 *
 * <p><b>This package is internal and subject to change without notice; applications use {@code dev.ipckit}.</b>
 */
package dev.ipckit.internal.task;
