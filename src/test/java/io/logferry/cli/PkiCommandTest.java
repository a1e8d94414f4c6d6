package io.logferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.logferry.Main;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PkiCommandTest {

    @TempDir
    Path dir;

    /** Exit code and output of one command line. */
    private record Run(int exitCode, String out, String err) {
    }

    @Test
    void initAndIssueWriteTheCaAndHostFilesWithPrivateKeysReadableOnlyByTheOwner() throws Exception {
        Path pki = dir.resolve("pki");

        Run init = run("pki", "init", "--dir", pki.toString());
        Run issue = run("pki", "issue", "--dir", pki.toString(), "--cn", "web-01");

        assertThat(init.exitCode()).isZero();
        assertThat(issue.exitCode()).isZero();
        assertThat(init.out()).contains("wrote " + pki.resolve("ca.crt"), "wrote " + pki.resolve("ca.key"));
        assertThat(issue.out()).contains("wrote " + pki.resolve("web-01.crt"), "wrote " + pki.resolve("web-01.key"),
                "wrote " + pki.resolve("web-01.p12"), "wrote " + pki.resolve("web-01.p12.pass"), "clientAuth");
        for (String secret : new String[] {"ca.key", "web-01.key", "web-01.p12", "web-01.p12.pass"}) {
            assertThat(mode(pki.resolve(secret))).as(secret).isEqualTo("rw-------");
        }
        assertThat(mode(pki.resolve("ca.crt"))).isEqualTo("rw-r--r--");
        assertThat(mode(pki.resolve("web-01.crt"))).isEqualTo("rw-r--r--");
        assertThat(mode(pki)).isEqualTo("rwx------");
        String chain = Files.readString(pki.resolve("web-01.crt"));
        assertThat(chain.split("-----BEGIN CERTIFICATE-----", -1)).as("leaf, then the CA").hasSize(3);
        assertThat(chain.substring(chain.lastIndexOf("-----BEGIN"))).isEqualTo(Files.readString(pki.resolve("ca.crt")));
        assertThat(Files.readString(pki.resolve("web-01.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        try (Stream<Path> leftovers = Files.list(pki)) {
            assertThat(leftovers.map(path -> path.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void issuedKeysLoadInGnuTlsAndOpenSsl() throws Exception {
        Path pki = dir.resolve("pki");
        assertThat(run("pki", "init", "--dir", pki.toString()).exitCode()).isZero();
        assertThat(run("pki", "issue", "--dir", pki.toString(), "--cn", "web-01").exitCode()).isZero();
        for (String key : new String[] {"ca.key", "web-01.key"}) {
            Path file = pki.resolve(key);
            // GnuTLS (rsyslog's gtls driver) refused the JDK's PKCS#8 EC encoding, which leaves the public key out
            assertThat(tool("certtool", "--key-info", "--infile", file.toString())).as("certtool " + key).isZero();
            assertThat(tool("openssl", "pkey", "-in", file.toString(), "-noout")).as("openssl " + key).isZero();
        }
    }

    /** Exit code of an external tool (its output goes to the test log). */
    private static int tool(String... command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        return process.waitFor();
    }

    @Test
    void keystoreLoadsWithTheGeneratedPasswordAndHoldsKeyAndChain() throws Exception {
        Path pki = dir.resolve("pki");
        run("pki", "init", "--dir", pki.toString(), "--cn", "Example CA");
        run("pki", "issue", "--dir", pki.toString(), "--cn", "collector.example", "--server",
                "--san", "127.0.0.1,localhost", "--days", "30");
        char[] password = Files.readString(pki.resolve("collector.example.p12.pass")).strip().toCharArray();

        KeyStore keyStore = load(pki.resolve("collector.example.p12"), password);

        assertThat(keyStore.getKey("collector.example", password)).isInstanceOf(PrivateKey.class);
        assertThat(keyStore.getCertificateChain("collector.example")).hasSize(2);
        X509Certificate leaf = (X509Certificate) keyStore.getCertificate("collector.example");
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=collector.example");
        assertThat(leaf.getIssuerX500Principal().getName()).isEqualTo("CN=Example CA");
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(leaf.getSubjectAlternativeNames()).hasSize(3);
    }

    @Test
    void keystoreTakesAGivenPasswordAndWritesNoPasswordFile() throws Exception {
        Path pki = dir.resolve("pki");
        run("pki", "init", "--dir", pki.toString());

        Run issue = run("pki", "issue", "--dir", pki.toString(), "--cn", "web-02", "--p12-password", "changeit");

        assertThat(issue.exitCode()).isZero();
        assertThat(load(pki.resolve("web-02.p12"), "changeit".toCharArray()).isKeyEntry("web-02")).isTrue();
        assertThat(pki.resolve("web-02.p12.pass")).doesNotExist();
    }

    @Test
    void refusesToOverwriteWithoutForceAndSaysHow() throws Exception {
        Path pki = dir.resolve("pki");
        run("pki", "init", "--dir", pki.toString());
        run("pki", "issue", "--dir", pki.toString(), "--cn", "web-01");
        byte[] caKey = Files.readAllBytes(pki.resolve("ca.key"));
        byte[] hostKey = Files.readAllBytes(pki.resolve("web-01.key"));

        Run init = run("pki", "init", "--dir", pki.toString());
        Run issue = run("pki", "issue", "--dir", pki.toString(), "--cn", "web-01");

        assertThat(init.exitCode()).isEqualTo(1);
        assertThat(init.err().lines()).singleElement().asString()
                .startsWith("error: " + pki.resolve("ca.crt") + ", " + pki.resolve("ca.key") + " already exist")
                .contains("pass --force");
        assertThat(issue.exitCode()).isEqualTo(1);
        assertThat(issue.err()).contains("web-01.key").contains("pass --force");
        assertThat(Files.readAllBytes(pki.resolve("ca.key"))).isEqualTo(caKey);
        assertThat(Files.readAllBytes(pki.resolve("web-01.key"))).isEqualTo(hostKey);

        Run forced = run("pki", "issue", "--dir", pki.toString(), "--cn", "web-01", "--force");

        assertThat(forced.exitCode()).isZero();
        assertThat(Files.readAllBytes(pki.resolve("web-01.key"))).isNotEqualTo(hostKey);
        assertThat(mode(pki.resolve("web-01.key"))).isEqualTo("rw-------");
    }

    @Test
    void issueWithoutACaSaysToRunInitFirst() {
        Run issue = run("pki", "issue", "--dir", dir.resolve("empty").toString(), "--cn", "web-01");

        assertThat(issue.exitCode()).isEqualTo(1);
        assertThat(issue.err().lines()).singleElement().asString().contains("logferry pki init --dir");
        assertThat(issue.out()).isEmpty();
    }

    @Test
    void hostNameThatIsNotAHostNameIsOneErrorLine() throws Exception {
        run("pki", "init", "--dir", dir.toString());

        Run issue = run("pki", "issue", "--dir", dir.toString(), "--cn", "../../etc/passwd");

        assertThat(issue.exitCode()).isEqualTo(1);
        assertThat(issue.err().lines()).singleElement().asString().startsWith("error: CN '../../etc/passwd'");
        try (Stream<Path> written = Files.list(dir)) {
            assertThat(written.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("ca.crt", "ca.key");
        }
    }

    @Test
    void missingCnIsAUsageError() {
        Run issue = run("pki", "issue", "--dir", dir.toString());

        assertThat(issue.exitCode()).isEqualTo(2);
        assertThat(issue.err()).contains("Missing required option: '--cn=NAME'");
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = new CommandLine(new Main())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static KeyStore load(Path file, char[] password) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(file.toFile())) {
            keyStore.load(in, password);
        }
        return keyStore;
    }
}
