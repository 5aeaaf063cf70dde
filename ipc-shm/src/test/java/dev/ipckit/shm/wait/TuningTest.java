package dev.ipckit.shm.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every property is checked at its first use and named in the error; the README's table is generated. */
@Tag("unit")
class TuningTest {
  private static final String NAME = "ipckit.test.tuningProbe";

  private static long read(String value) {
    Tuning.Property p = new Tuning.Property(NAME, 16, 1, 1024, "steps", "a test property");
    if (value == null) {
      System.clearProperty(NAME);
    } else {
      System.setProperty(NAME, value);
    }
    try {
      return p.get();
    } finally {
      System.clearProperty(NAME);
    }
  }

  @Test
  void aMissingPropertyIsItsDefaultAndAValidOneIsRead() {
    assertEquals(16, read(null));
    assertEquals(7, read(" 7 "));
  }

  @Test
  void aBadValueIsAnIllegalArgumentExceptionNamingIt() {
    for (String bad : new String[] {"0", "-3", "1025", "abc", "", "1e3", "99999999999999999999"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(bad), bad);
      assertTrue(e.getMessage().contains(NAME) && e.getMessage().contains("1 to 1024"), e.getMessage());
    }
  }

  @Test
  void aFlagIsTrueOrFalseAndNothingElse() {
    Tuning.Flag f = new Tuning.Flag(NAME, true, "a test flag");
    System.setProperty(NAME, "nope");
    try {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, f::get);
      assertTrue(e.getMessage().contains(NAME), e.getMessage());
      System.setProperty(NAME, "FALSE");
      f.reset();
      assertEquals(false, f.get());
    } finally {
      System.clearProperty(NAME);
    }
  }

  @Test
  void theReadmeListsEveryPropertyAsTuningDescribesIt() throws IOException {
    Path readme = Path.of("..", "README.md");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    assertTrue(text.contains(Tuning.markdown()), "README.md must contain Tuning.markdown() verbatim:\n"
        + Tuning.markdown());
  }
}
