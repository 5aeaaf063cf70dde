package dev.ipckit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Ipc#checkName}: 1 to 200 letters, digits, '-', '_', '.', not starting with '.'; the message names it. */
@Tag("unit")
class NameValidationTest {
  @ParameterizedTest
  @ValueSource(strings = {"v", "counter", "a-b_c.d", "A9", "x..y", "trailing.", "0", "-dash-first", "_"})
  void acceptsLettersDigitsDashUnderscoreDot(String name) {
    assertEquals(name, Ipc.checkName(name));
  }

  @Test
  void acceptsExactlyTheMaximumLength() {
    String name = "n".repeat(Ipc.MAX_NAME_LENGTH);
    assertEquals(name, Ipc.checkName(name));
  }

  @Test
  void refusesEmpty() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipc.checkName(""));
    assertEquals("name must be 1 to 200 characters: length=0", e.getMessage());
  }

  @Test
  void refusesTooLongAndShowsAnAbbreviation() {
    String name = "x".repeat(Ipc.MAX_NAME_LENGTH + 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipc.checkName(name));
    assertTrue(e.getMessage().startsWith("name must be 1 to 200 characters: length=201, name=\"xxx"), e.getMessage());
    assertTrue(e.getMessage().endsWith("...\""), e.getMessage());
    assertTrue(e.getMessage().length() < 140, "abbreviated: " + e.getMessage());
  }

  @Test
  void refusesNull() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> Ipc.checkName(null));
    assertEquals("name", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "..", ".hidden", ".registry"})
  void refusesALeadingDot(String name) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipc.checkName(name));
    assertEquals("name must not start with '.': name=\"" + name + "\"", e.getMessage());
  }

  @Test
  void refusesASlash() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipc.checkName("a/b"));
    assertEquals("name may hold only letters, digits, '-', '_' and '.': name=\"a/b\" has '/' at index 1",
        e.getMessage());
  }

  @Test
  void refusesAParentReferenceThroughASlash() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipc.checkName("x/../y"));
    assertTrue(e.getMessage().contains("has '/' at index 1"), e.getMessage());
  }

  @Test
  void refusesABackslash() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipc.checkName("a\\b"));
    assertTrue(e.getMessage().endsWith("has '\\' at index 1"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\u0000b", "a\nb", "a\tb", "a\u007fb", "a\u001bb"})
  void refusesControlCharactersAndShowsThemEscaped(String name) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipc.checkName(name));
    String escaped = String.format("\\u%04x", (int) name.charAt(1));
    assertTrue(e.getMessage().endsWith("has '" + escaped + "' at index 1"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a b", "a:b", "a@lock", "caf\u00e9", "a*", "x\u2028y"})
  void refusesEverythingElse(String name) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipc.checkName(name));
    assertTrue(e.getMessage().startsWith("name may hold only letters, digits, '-', '_' and '.'"), e.getMessage());
    assertTrue(e.getMessage().contains("at index"), e.getMessage());
  }
}
