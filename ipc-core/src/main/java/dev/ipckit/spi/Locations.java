package dev.ipckit.spi;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Namespace locations: the URI that says where a namespace lives and so which backend serves it, by its scheme
 * ({@code file:///dev/shm/ns} for a directory of the shared-memory backend, {@code redis://host:6379/ns} for a
 * later one).
 *
 * <p>A location never carries credentials: one with user info ({@code redis://user:pw@host/ns}) is refused, and
 * every message and {@code toString} shows a location through {@link #display(URI)}, which leaves user info out.
 * A backend that needs credentials takes them from its own configuration.
 */
public final class Locations {
  /** The scheme of a namespace that is a local directory. */
  public static final String FILE = "file";

  private Locations() {
  }

  /** The {@code file:} location of directory {@code dir}, made absolute: {@code file:///dev/shm/ns}. */
  public static URI of(Path dir) {
    try {
      return new URI(FILE, "", dir.toAbsolutePath().normalize().toString(), null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("no file: location for the directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The location a string names, checked by {@link #check(URI)}; the message of a bad one does not echo it. */
  public static URI parse(String location) {
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      // not echoed: a string that is no URI may still hold a password
      throw new IllegalArgumentException("not a location URI: " + e.getReason() + " at index " + e.getIndex());
    }
    return check(uri);
  }

  /**
   * Returns {@code location} if it can name a namespace: absolute (it has a scheme) and without user info.
   *
   * @throws IllegalArgumentException otherwise; the message shows the location without its user info
   */
  public static URI check(URI location) {
    if (hasUserInfo(location)) {
      throw new IllegalArgumentException("a location must not carry credentials (user info): " + display(location)
          + "; a backend takes credentials from its own configuration");
    }
    if (location.getScheme() == null) {
      throw new IllegalArgumentException("a location needs a scheme (file:, redis:, ...): " + display(location));
    }
    return location;
  }

  /** The scheme of {@code location}, lower case (schemes are case-insensitive). */
  public static String scheme(URI location) {
    String s = location.getScheme();
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }

  /** Whether {@code location} is a {@code file:} location (a directory). */
  public static boolean isFile(URI location) {
    return FILE.equalsIgnoreCase(location.getScheme());
  }

  /**
   * The directory a {@code file:} location names.
   *
   * @throws UnsupportedOperationException if {@code location} is not a {@code file:} location
   * @throws IllegalArgumentException      if it is a {@code file:} URI that names no local path
   */
  public static Path dir(URI location) {
    if (!isFile(location)) {
      throw new UnsupportedOperationException("the namespace at " + display(location)
          + " is not a directory: use its location()");
    }
    return Path.of(location);
  }

  /** {@code location} as text for messages and {@code toString}: without user info, whatever it held. */
  public static String display(URI location) {
    if (!hasUserInfo(location)) {
      return location.toString();
    }
    String s = location.toString();
    if (location.isOpaque()) {
      return location.getScheme() + ":" + s.substring(s.indexOf('@') + 1);
    }
    String auth = location.getRawAuthority();
    int start = s.indexOf(auth);
    return s.substring(0, start) + auth.substring(auth.lastIndexOf('@') + 1) + s.substring(start + auth.length());
  }

  /**
   * Whether {@code location} holds user info: an {@code '@'} in its authority (also one Java cannot parse as
   * user@host, which {@link URI#getUserInfo()} would miss) or, for an opaque URI, in its scheme-specific part.
   */
  private static boolean hasUserInfo(URI location) {
    String part = location.isOpaque() ? location.getRawSchemeSpecificPart() : location.getRawAuthority();
    return part != null && part.indexOf('@') >= 0;
  }
}
