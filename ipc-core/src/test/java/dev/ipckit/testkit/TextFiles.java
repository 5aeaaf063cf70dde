package dev.ipckit.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Small text files as signals and reports between a test and its processes: published whole, read leniently. */
public final class TextFiles {
  private TextFiles() {
  }

  /** Writes {@code text} to {@code file} and publishes it by a rename, so readers never see half. */
  public static void publish(String file, String text) throws IOException {
    Path tmp = Path.of(file + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, Path.of(file), StandardCopyOption.ATOMIC_MOVE);
  }

  /** The content of {@code file}, or "" if it does not exist (yet). */
  public static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value of the last line {@code key=value} in {@code file}, or null. */
  public static String valueIn(Path file, String key) {
    String v = null;
    for (String line : read(file).split("\n")) {
      if (line.startsWith(key + "=")) {
        v = line.substring(key.length() + 1).trim();
      }
    }
    return v;
  }
}
