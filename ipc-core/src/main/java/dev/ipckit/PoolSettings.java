package dev.ipckit;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Pool.Builder} has been told, checked as it is set: the builder's public methods keep their
 * contracts and store here, and {@link PoolLifecycle} starts a pool from it. Mutable and not thread-safe, as the
 * builder is; a pool reads it once, when it is built.
 */
final class PoolSettings {
  int processes = Runtime.getRuntime().availableProcessors();
  /** Whether {@link #processes(int)} was called: a remote pool otherwise sizes itself by its workers. */
  boolean processesSet;
  Task initializer;
  final List<String> jvmOptions = new ArrayList<>();
  int maxTasksPerWorker;
  final List<ClassLoader> classLoaders = new ArrayList<>();
  /** The location of a remote pool's workers, and the pool's name there; null for a local pool. */
  URI remoteLocation;
  String remoteName;

  /** Settings whose class loaders start with {@code caller}'s: its classes are what the tasks will use. */
  PoolSettings(Class<?> caller) {
    if (caller.getClassLoader() != null) {
      classLoaders.add(caller.getClassLoader());
    }
  }

  void processes(int processes) {
    if (processes < 1) {
      throw new IllegalArgumentException("processes must be positive: processes=" + processes);
    }
    this.processes = processes;
    this.processesSet = true;
  }

  void maxTasksPerWorker(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("maxTasksPerWorker must not be negative: maxTasksPerWorker=" + n);
    }
    this.maxTasksPerWorker = n;
  }

  void remote(URI location, String poolName) {
    this.remoteLocation = Objects.requireNonNull(location, "location");
    this.remoteName = Ipc.checkName(Objects.requireNonNull(poolName, "poolName"));
  }

  /** Refuses what a remote pool cannot have: its workers' own initializer, JVM options and recycling. Returns this. */
  PoolSettings checked() {
    if (remoteLocation != null && (initializer != null || !jvmOptions.isEmpty() || maxTasksPerWorker != 0)) {
      throw new IllegalStateException("a remote pool's workers are started by dev.ipckit.PoolWorker with their own"
          + " JVM options: initializer, jvmOptions and maxTasksPerWorker do not apply to Pool.builder().remote()");
    }
    return this;
  }
}
