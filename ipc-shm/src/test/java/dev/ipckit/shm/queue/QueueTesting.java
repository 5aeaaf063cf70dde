package dev.ipckit.shm.queue;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What only the queue tests need on top of the shared test kit ({@code dev.ipckit.testkit}): the side files a
 * queue leaves in its directory.
 */
final class QueueTesting {
  private QueueTesting() {
  }

  /** Side files of queue {@code name} left in {@code dir}. */
  static List<String> sideFiles(Path dir, String name) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(f -> f.startsWith(name + "@")).collect(Collectors.toList());
    }
  }

  static void assertNoSideFiles(Path dir, String name) throws IOException {
    List<String> left = sideFiles(dir, name);
    assertTrue(left.isEmpty(), "side files left behind: " + left);
  }
}
