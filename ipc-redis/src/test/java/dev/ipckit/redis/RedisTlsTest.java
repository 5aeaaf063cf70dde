package dev.ipckit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ipckit.Ipc;
import dev.ipckit.IpcException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code rediss://}: a TLS connection to a real redis-server with a certificate made for the test (by the JDK's
 * keytool) and trusted through the JDK's own trust store settings ({@code javax.net.ssl.trustStore}).
 */
@Tag("unit")
class RedisTlsTest {

  @Test
  void aRedissLocationTalksTlsToTheServer() throws Exception {
    Path dir = Files.createTempDirectory("ipckit-tls-");
    Path keystore = dir.resolve("server.p12");
    keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    Path cert = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    Files.writeString(cert, pem("CERTIFICATE", ks.getCertificate("server").getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", ks.getKey("server", "changeit".toCharArray()).getEncoded()));
    Path trust = dir.resolve("trust.p12");
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("server", ks.getCertificate("server"));
    try (var out = Files.newOutputStream(trust)) {
      ts.store(out, "changeit".toCharArray());
    }
    System.setProperty("javax.net.ssl.trustStore", trust.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");

    try (RedisTestServer server = RedisTestServer.startTls(cert, key)) {
      URI where = URI.create("rediss://127.0.0.1:" + server.port() + "/tls-ns");
      try (Ipc ipc = Ipc.open(where)) {
        assertEquals(where, ipc.location());
        assertTrue(ipc.names().isEmpty());
      }
      // the same port without TLS is not a Redis server that answers: a clear error, not a hang
      IpcException plain = assertThrows(IpcException.class,
          () -> Ipc.open(URI.create("redis://127.0.0.1:" + server.port() + "/tls-ns")));
      assertTrue(plain.getMessage().contains("127.0.0.1:" + server.port()), plain.getMessage());
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + out);
    }
  }
}
