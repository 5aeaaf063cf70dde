package dev.ipckit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.spi.Backend;
import dev.ipckit.spi.Namespace;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A backend named by {@value Ipc#BACKEND_PROPERTY} that cannot serve is an error naming the property and the
 * class. (ipc-core's tests have no backend, so nothing gets cached between these.)
 */
@Tag("unit")
class BackendPropertyTest {
  @AfterEach
  void clear() {
    System.clearProperty(Ipc.BACKEND_PROPERTY);
  }

  private static String failureFor(String className) {
    System.setProperty(Ipc.BACKEND_PROPERTY, className);
    return assertThrows(IllegalStateException.class, Ipc::temp).getMessage();
  }

  @Test
  void aMissingClassIsNamed() {
    String m = failureFor("no.such.Backend");
    assertTrue(m.contains("ipckit.backend=no.such.Backend") && m.contains("no such class"), m);
  }

  @Test
  void aClassThatIsNotABackendIsNamed() {
    String m = failureFor("java.lang.String");
    assertTrue(m.contains("ipckit.backend=java.lang.String") && m.contains("not a dev.ipckit.spi.Backend"), m);
  }

  @Test
  void aBackendWithoutAPublicConstructorIsNamed() {
    String m = failureFor(Hidden.class.getName());
    assertTrue(m.contains(Hidden.class.getName()) && m.contains("public no-argument constructor"), m);
  }

  @Test
  void withoutThePropertyTheClassPathIsSearched() {
    String m = assertThrows(IllegalStateException.class, Ipc::temp).getMessage();
    assertTrue(m.contains("no ipckit backend on the class path"), m);
  }

  /** A backend only reflection could create. */
  public static final class Hidden implements Backend {
    private Hidden() {
    }

    @Override
    public String name() {
      return "hidden";
    }

    @Override
    public int priority() {
      return 0;
    }

    @Override
    public Namespace open(Path dir) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Namespace createTemp() {
      throw new UnsupportedOperationException();
    }
  }
}
