/**
 * The test kit every module's tests share, whatever the backend: {@link dev.ipckit.testkit.Await} (bounded waits,
 * never a sleep to synchronise), {@link dev.ipckit.testkit.Children} (child JVMs that are always reaped),
 * {@link dev.ipckit.testkit.Crash} (a child killed with {@code kill -9} at a chosen point),
 * {@link dev.ipckit.testkit.LockKind} and {@link dev.ipckit.testkit.TextFiles}.
 *
 * <p>Shipped as the test-jar of ipc-core; a module uses it with
 * {@code <type>test-jar</type><scope>test</scope>}. Test classes carry one JUnit tag each: {@code unit} (in this
 * JVM, no child JVM), {@code process} (starts child JVMs), {@code crash} (kills processes with {@code kill -9});
 * {@code mvn -B verify -Dgroups=unit} runs the first kind alone.
 */
package dev.ipckit.testkit;
