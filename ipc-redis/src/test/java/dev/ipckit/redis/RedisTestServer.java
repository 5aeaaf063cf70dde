package dev.ipckit.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@code redis-server} for tests, started on a free loopback port without persistence ({@code --save ''
 * --appendonly no}) and stopped when the test JVM exits: the system's {@code redis-server} when it is on the PATH
 * (Debian's package), else the Linux x86-64 binary inside the test-scoped {@code embedded-redis} artifact. Where
 * neither exists, {@link #shared()} fails saying what to install: never a silent skip.
 */
public final class RedisTestServer implements AutoCloseable {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static RedisTestServer shared;

  private final Process process;
  private final int port;
  private final Path dir;
  private final String binary;
  private final List<String> command;

  private RedisTestServer(Process process, int port, Path dir, String binary, List<String> command) {
    this.process = process;
    this.port = port;
    this.dir = dir;
    this.binary = binary;
    this.command = command;
  }

  /** The server every test of this JVM shares, started on first use. */
  public static synchronized RedisTestServer shared() {
    if (shared == null || !shared.process.isAlive()) {
      shared = start();
      RedisTestServer s = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(s::close));
    }
    return shared;
  }

  /** A new server of its own (a test that stops or restarts it), extra arguments appended. */
  public static RedisTestServer start(String... extra) {
    return start(false, extra);
  }

  private static RedisTestServer start(boolean tls, String... extra) {
    String binary = binary();
    try {
      Path dir = Files.createTempDirectory("ipckit-redis-");
      for (int attempt = 0; ; attempt++) {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(binary, "--port", tls ? "0" : String.valueOf(port), "--bind",
            "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString(),
            "--protected-mode", "no"));
        if (tls) {
          cmd.addAll(List.of("--tls-port", String.valueOf(port)));
        }
        cmd.addAll(List.of(extra));
        Path log = dir.resolve("redis-" + port + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (tls ? awaitListening(port, p, 10_000) : awaitPing(port, p, 10_000)) {
          return new RedisTestServer(p, port, dir, binary, cmd);
        }
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        if (attempt == 2) {
          throw new IllegalStateException("redis-server (" + binary + ") did not answer on port " + port + ":\n"
              + Files.readString(log));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start redis-server " + binary, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting redis-server", e);
    }
  }

  /**
   * A server that speaks only TLS on its port, with {@code cert} and {@code key} (PEM) and no client certificates.
   *
   * @throws IllegalStateException if this redis-server was built without TLS
   */
  public static RedisTestServer startTls(Path cert, Path key) {
    return start(true, "--tls-cert-file", cert.toString(), "--tls-key-file", key.toString(), "--tls-auth-clients",
        "no");
  }

  /**
   * Kills this server ({@code SIGKILL}: its data is gone, as after a crash without persistence) and starts a new one
   * on the same port with the same arguments; returns it once it answers.
   */
  public RedisTestServer crashAndRestart() throws IOException, InterruptedException {
    kill();
    Path log = dir.resolve("redis-" + port + "-restarted.log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {                                    // the port may take a moment to be free again
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (awaitPing(port, p, 5_000)) {
        return new RedisTestServer(p, port, dir, binary, command);
      }
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("redis-server did not restart on port " + port + ":\n" + Files.readString(log));
      }
    }
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** {@code redis://127.0.0.1:PORT}: a server location (for {@code Ipc.temp(URI)} and the sweep). */
  public URI base() {
    return URI.create("redis://127.0.0.1:" + port);
  }

  /** A location of a namespace no test has used yet. */
  public URI newNamespace(String hint) {
    return URI.create("redis://127.0.0.1:" + port + "/t-" + hint + "-" + ProcessHandle.current().pid() + "-"
        + NAMESPACES.incrementAndGet());
  }

  /** Sends one command in RESP and returns the raw reply text (for set-up: CONFIG SET, CLIENT KILL, ...). */
  public String command(String... args) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(5000);
      StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
      }
      OutputStream out = s.getOutputStream();
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[65536];
      int n = in.read(buf);
      return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("command " + String.join(" ", args) + " to redis on port " + port, e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the server at once ({@code SIGKILL}), as a crashed machine would. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "redis-server " + binary + " on port " + port;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean awaitPing(int port, Process p, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() - deadline < 0) {
      if (!p.isAlive()) {
        return false;
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        s.setSoTimeout(1000);
        s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] buf = new byte[16];
        int n = s.getInputStream().read(buf);
        String reply = n > 0 ? new String(buf, 0, n, StandardCharsets.US_ASCII) : "";
        if (reply.startsWith("+PONG") || reply.startsWith("-NOAUTH")) {      // answering (with a password set)
          return true;
        }
      } catch (IOException e) {
        // not listening yet
      }
      p.waitFor(20, TimeUnit.MILLISECONDS);     // bounded: returns at once if the server exits
    }
    return false;
  }

  /** Waits until something accepts connections on {@code port} (a TLS port answers no plain PING). */
  private static boolean awaitListening(int port, Process p, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() - deadline < 0) {
      if (!p.isAlive()) {
        return false;
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException e) {
        // not listening yet
      }
      p.waitFor(20, TimeUnit.MILLISECONDS);
    }
    return false;
  }

  /** The system's redis-server, else the one in the embedded-redis artifact, else a failure saying what to do. */
  private static String binary() {
    String path = System.getenv("PATH");
    List<String> dirs = new ArrayList<>(List.of("/usr/bin", "/usr/local/bin", "/usr/sbin"));
    if (path != null) {
      dirs.addAll(0, List.of(path.split(java.io.File.pathSeparator)));
    }
    for (String d : dirs) {
      Path p = Path.of(d, "redis-server");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    if (os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
      try (InputStream in = RedisTestServer.class.getResourceAsStream("/redis-server-6.2.6-v5-linux-amd64")) {
        if (in != null) {
          Path dir = Files.createTempDirectory("ipckit-redis-bin-");
          Path bin = dir.resolve("redis-server");
          Files.copy(in, bin, StandardCopyOption.REPLACE_EXISTING);
          bin.toFile().setExecutable(true, true);
          bin.toFile().deleteOnExit();
          dir.toFile().deleteOnExit();
          return bin.toString();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot unpack the embedded redis-server", e);
      }
    }
    throw new IllegalStateException("the ipc-redis tests need a redis-server: none is on the PATH and the"
        + " embedded-redis artifact has no binary for " + os + "/" + arch + ". Install one (Debian/Ubuntu: apt-get"
        + " install -y redis-server; macOS: brew install redis) and run the tests again");
  }
}
