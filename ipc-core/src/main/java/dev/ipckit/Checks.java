package dev.ipckit;

import java.util.Objects;

/**
 * The argument checks of {@link Ipc}'s factory methods, in one place: object names (the rules in {@link Ipc}'s
 * class comment), lengths, sizes and counts. Each returns what it checked, so a factory passes it on in one
 * expression, and throws the {@link IllegalArgumentException} the public contracts promise, with the value in the
 * message.
 */
final class Checks {
  private Checks() {
  }

  /** As {@link Ipc#checkName(String)}. */
  static String name(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.length() > Ipc.MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("name must be 1 to " + Ipc.MAX_NAME_LENGTH + " characters: length="
          + name.length() + (name.isEmpty() ? "" : ", name=\"" + abbreviate(name) + "\""));
    }
    if (name.charAt(0) == '.') {
      throw new IllegalArgumentException("name must not start with '.': name=\"" + abbreviate(name) + "\"");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.';
      if (!ok) {
        throw new IllegalArgumentException("name may hold only letters, digits, '-', '_' and '.': name=\""
            + abbreviate(name) + "\" has '" + (Character.isISOControl(c) ? String.format("\\u%04x", (int) c)
            : String.valueOf(c)) + "' at index " + i);
      }
    }
    return name;
  }

  /** An array length: not negative. */
  static int length(int length) {
    return notNegative("length", length);
  }

  /** A semaphore's initial permits: not negative. */
  static int permits(int permits) {
    return notNegative("permits", permits);
  }

  /** {@code value}, the argument {@code what}, if it is at least 1. */
  static int positive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be positive: " + what + "=" + value);
    }
    return value;
  }

  private static int notNegative(String what, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must not be negative: " + what + "=" + value);
    }
    return value;
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
