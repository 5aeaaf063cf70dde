package dev.ipckit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.shm.format.FileHeader;
import dev.ipckit.shm.format.Kind;
import dev.ipckit.shm.format.MappedFile;
import dev.ipckit.shm.format.SafeFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command's arguments, exit codes and formats over a directory made by hand that no process has open (so the
 * command may run in the test's JVM): damaged and foreign files listed with their reason, JSON escaping.
 */
@Tag("unit")
class IpckitTest {
  @TempDir
  Path tmp;
  Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void makeDir() throws IOException {
    dir = Files.createDirectory(tmp.resolve("ns"), PosixFilePermissions.asFileAttribute(SafeFiles.DIR_MODE));
  }

  private int run(String... args) {
    out.reset();
    err.reset();
    return new Ipckit(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private void longFile(String name, long value) {
    MappedFile.openOrCreate(dir, name, MappedFile.spec(Kind.LONG, 1, 8, FileHeader.CACHE_LINE,
        b -> b.putLong(FileHeader.LENGTH, value)));
  }

  @Test
  void damagedFilesAreListedWithTheirReasonInTextAndJson() throws IOException {
    longFile("good", -5);
    longFile("cut", 1);
    try (FileChannel ch = FileChannel.open(dir.resolve("cut"), StandardOpenOption.WRITE)) {
      ch.truncate(150);
    }
    Files.writeString(dir.resolve("say \"hi\"\n"), "x");
    Files.setPosixFilePermissions(dir.resolve("say \"hi\"\n"), SafeFiles.FILE_MODE);

    assertEquals(0, run("ls", dir.toString()), err.toString());
    String text = out();
    assertTrue(text.contains("SharedLong  good"), text);
    assertTrue(text.contains("value=-5"), text);
    assertTrue(text.matches("(?s).*\\?\\s+cut\\s+150\\s+unreadable: damaged: the header says 192 bytes, the file has"
        + " 150.*"), text);
    assertTrue(text.contains("unreadable: not an ipckit file: 1 bytes"), text);

    assertEquals(0, run("ls", dir.toString(), "--json"), err.toString());
    String json = out();
    assertTrue(json.startsWith("{\"schema\":1,\"dir\":"), json);
    assertTrue(json.contains("{\"name\":\"good\",\"kind\":\"SharedLong\",\"size\":192,\"problem\":null,"
        + "\"state\":{\"value\":-5},\"holders\":[]}"), json);
    assertTrue(json.contains("{\"name\":\"cut\",\"kind\":null,\"size\":150,\"problem\":\"damaged: the header says"
        + " 192 bytes, the file has 150 (truncated?)\""), json);
    assertTrue(json.contains("{\"name\":\"say \\\"hi\\\"\\n\","), "names escaped: " + json);
    assertTrue(json.trim().endsWith("]}") && !json.trim().contains("\n"), "one line: " + json);
  }

  @Test
  void statShowsTheHeaderWordsOfADamagedFileToo() throws IOException {
    longFile("cut", 1);
    try (FileChannel ch = FileChannel.open(dir.resolve("cut"), StandardOpenOption.WRITE)) {
      ch.truncate(150);
    }
    assertEquals(0, run("stat", dir.toString(), "cut", "--json"), err.toString());
    assertTrue(out().contains("\"problem\":\"damaged:"), out());
    assertTrue(out().contains("{\"name\":\"fileLength\",\"offset\":32,\"value\":192,"), out());
    assertEquals(0, run("stat", dir.toString(), "cut"), err.toString());
    assertTrue(out().contains("fileLength") && out().contains("unreadable: damaged"), out());
  }

  @Test
  void exitCodes() {
    assertEquals(Ipckit.USAGE, run());
    assertEquals(Ipckit.USAGE, run("frobnicate", dir.toString()));
    assertEquals(Ipckit.USAGE, run("ls"));
    assertEquals(Ipckit.USAGE, run("ls", dir.toString(), "--bogus"));
    assertEquals(Ipckit.USAGE, run("stat", dir.toString()));
    assertEquals(Ipckit.USAGE, run("rm", dir.toString(), "x", "--json"));
    assertEquals(Ipckit.USAGE, run("watch", dir.toString(), "--count", "many"));
    assertTrue(err.toString().contains("usage: ipckit ls DIR"), err.toString());
    assertEquals(Ipckit.OK, run("--help"));

    String missing = dir.resolve("missing").toString();
    for (String command : new String[] {"ls", "ps", "gc"}) {
      assertEquals(Ipckit.UNREADABLE, run(command, missing), command);
      assertTrue(err.toString().contains("cannot read the namespace"), err.toString());
    }
    assertEquals(Ipckit.UNREADABLE, run("stat", dir.toString(), "nothing"));
    assertEquals(Ipckit.UNREADABLE, run("rm", dir.toString(), "nothing"));
    assertEquals(Ipckit.OK, run("ls", dir.toString()));
    assertEquals(Ipckit.OK, run("ps", dir.toString(), "--json"));
    assertEquals("{\"schema\":1,\"dir\":\"" + dir + "\",\"registryProblem\":null,\"processes\":[]}", out().trim());
    assertEquals(Ipckit.OK, run("watch", dir.toString(), "--count", "1"));
  }

  @Test
  void rmRefusesAForeignFileEvenForced() throws IOException {
    Files.writeString(dir.resolve("notes"), "mine, not ipckit's: keep it");
    Files.setPosixFilePermissions(dir.resolve("notes"), SafeFiles.FILE_MODE);
    assertEquals(Ipckit.REFUSED, run("rm", dir.toString(), "notes", "--force"));
    assertTrue(err.toString().contains("not an ipckit object"), err.toString());
    assertTrue(Files.exists(dir.resolve("notes")));
    assertEquals(Ipckit.USAGE, run("rm", dir.toString(), ".registry"), "internal files are not objects");
  }

  @Test
  void rmRemovesAnObjectAndItsSideFilesWhenNobodyIsAlive() throws IOException {
    longFile("v", 3);
    longFile("v@lock", 0);
    longFile("vv", 4);
    assertEquals(Ipckit.OK, run("rm", dir.toString(), "v"), err.toString());
    assertTrue(!Files.exists(dir.resolve("v")) && !Files.exists(dir.resolve("v@lock")));
    assertTrue(Files.exists(dir.resolve("vv")), "another object stays");
  }
}
