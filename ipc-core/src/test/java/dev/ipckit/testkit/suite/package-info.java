/**
 * The backend-independent suites: abstract JUnit classes, one per kind of object and kind of test ({@code *Suite}
 * in one JVM, {@code *ProcessSuite} with real child JVMs, {@code *CrashSuite} with real {@code kill -9}, and the
 * {@code java.util.concurrent} conformance suites), each asking its subclass for a fresh namespace. Every backend
 * runs every suite through subclasses of its own ({@code ipc-shm}: {@code Ipc.temp()}; {@code ipc-redis}: a real
 * {@code redis-server}), so that the same code behaves the same on one machine and on many.
 */
package dev.ipckit.testkit.suite;
