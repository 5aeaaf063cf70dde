package dev.ipckit.internal.pool;

import dev.ipckit.Ipc;
import dev.ipckit.Task;
import java.util.List;

/**
 * What every worker of one pool is started with, and where their pipes live.
 *
 * @param poolName          the pool's name, the prefix of its workers' and threads' names
 * @param ipc               the pool's private namespace, holding a pipe per worker
 * @param initializer       run once in each worker before its first task; null for none
 * @param jvmOptions        extra JVM options for the workers
 * @param maxTasksPerWorker a worker is replaced after this many tasks; 0 for never
 * @param classLoaders      loaders whose class paths the workers' joins (see {@code IpcProcess.Builder.classLoader})
 */
public record WorkerSpec(String poolName, Ipc ipc, Task initializer, String[] jvmOptions, int maxTasksPerWorker,
                         List<ClassLoader> classLoaders) {
}
