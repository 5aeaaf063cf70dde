/**
 * Child JVMs: the command a child starts with ({@link dev.ipckit.internal.process.ChildMain}), the frame that
 * hands it its task ({@link dev.ipckit.internal.process.TaskFrame}) and the booted spares that take one
 * ({@link dev.ipckit.internal.process.SparePool}).
 *
 * <p><b>This package is internal and subject to change without notice; applications use {@code dev.ipckit}.</b>
 */
package dev.ipckit.internal.process;
