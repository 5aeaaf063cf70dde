package dev.ipckit;

import java.io.Serializable;

/** Work for a child process: a serializable lambda; what it captures travels with it. */
@FunctionalInterface
public interface Task extends Serializable {
  void run() throws Exception;
}
