package io.logferry.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A private rsyslogd for interop tests, never the system service: its own config, work directory, pid file and
 * loopback port, in a directory of the test. Two roles: a mutual-TLS {@code imtcp} receiver that writes every
 * message's raw text to {@link #output()}, and an {@code imfile} reader that forwards a file with {@code omfwd}
 * over mutual TLS, octet-counted. Skipped when rsyslogd is not installed, unless LOGFERRY_REQUIRE_RSYSLOG=1
 * (CI), which makes that a failure.
 */
public final class Rsyslog implements AutoCloseable {

    private static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");
    private static final Path MODULES = Path.of("/usr/lib/x86_64-linux-gnu/rsyslog");

    /** rsyslog's TLS drivers: OpenSSL (rsyslog-openssl) and GnuTLS (rsyslog-gnutls, the default of many distributions). */
    public enum Driver {
        OSSL("ossl"), GTLS("gtls");

        private final String name;

        Driver(String name) {
            this.name = name;
        }
    }

    private final Path dir;
    private final String config;
    private final int port;
    private Process process;

    private Rsyslog(Path dir, String config, int port) {
        this.dir = dir;
        this.config = config;
        this.port = port;
    }

    /** Skips the test (or fails it on CI) when rsyslogd with both TLS drivers is missing. */
    public static void assumeInstalled() {
        boolean installed = Files.isExecutable(RSYSLOGD) && Files.exists(MODULES.resolve("lmnsd_ossl.so"))
                && Files.exists(MODULES.resolve("lmnsd_gtls.so"));
        if (!installed && "1".equals(System.getenv("LOGFERRY_REQUIRE_RSYSLOG"))) {
            throw new IllegalStateException("rsyslogd with rsyslog-openssl and rsyslog-gnutls is required"
                    + " (LOGFERRY_REQUIRE_RSYSLOG=1): apt-get install rsyslog rsyslog-openssl rsyslog-gnutls");
        }
        Assumptions.assumeTrue(installed,
                "rsyslog interop skipped: apt-get install rsyslog rsyslog-openssl rsyslog-gnutls");
    }

    /** A receiver on a free loopback port requiring client certificates signed by the CA (OpenSSL driver). */
    public static Rsyslog receiver(Path dir, Path ca, Path cert, Path key) throws IOException {
        return receiver(dir, Driver.OSSL, ca, cert, key);
    }

    /** A receiver on a free loopback port requiring client certificates signed by the CA. */
    public static Rsyslog receiver(Path dir, Driver driver, Path ca, Path cert, Path key) throws IOException {
        int port = FreePort.find();
        String conf = global(dir, driver, ca, cert, key)
                + "module(load=\"imtcp\" StreamDriver.Name=\"" + driver.name + "\" StreamDriver.Mode=\"1\""
                + " StreamDriver.AuthMode=\"x509/certvalid\")\n"
                + "input(type=\"imtcp\" port=\"" + port + "\" address=\"127.0.0.1\")\n"
                + "template(name=\"raw\" type=\"string\" string=\"%rawmsg%\\n\")\n"
                + internalMessages(dir)
                + "action(type=\"omfile\" file=\"" + dir.resolve("out/received.log") + "\" template=\"raw\")\n";
        Rsyslog rsyslog = new Rsyslog(dir, conf, port);
        rsyslog.start();
        return rsyslog;
    }

    /** A sender that reads {@code file} from its start and forwards it to 127.0.0.1:port, octet-counted over TLS. */
    public static Rsyslog sender(Path dir, Driver driver, Path file, int targetPort, String peerName, Path ca,
                                 Path cert, Path key) throws IOException {
        String conf = global(dir, driver, ca, cert, key)
                + "module(load=\"imfile\")\n"
                + "input(type=\"imfile\" File=\"" + file + "\" Tag=\"app\" freshStartTail=\"off\")\n"
                + internalMessages(dir)
                + "action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" + targetPort + "\" protocol=\"tcp\""
                + " StreamDriver=\"" + driver.name + "\" StreamDriverMode=\"1\" StreamDriverAuthMode=\"x509/name\""
                + " StreamDriverPermittedPeers=\"" + peerName + "\" TCP_Framing=\"octet-counted\""
                + " template=\"RSYSLOG_SyslogProtocol23Format\" action.resumeRetryCount=\"-1\")\n";
        Rsyslog rsyslog = new Rsyslog(dir, conf, -1);
        rsyslog.start();
        return rsyslog;
    }

    private static String global(Path dir, Driver driver, Path ca, Path cert, Path key) throws IOException {
        Files.createDirectories(dir.resolve("work"));
        Files.createDirectories(dir.resolve("out"));
        return "global(workDirectory=\"" + dir.resolve("work") + "\" processInternalMessages=\"on\"\n"
                + "  DefaultNetstreamDriver=\"" + driver.name + "\" DefaultNetstreamDriverCAFile=\"" + ca + "\"\n"
                + "  DefaultNetstreamDriverCertFile=\"" + cert + "\" DefaultNetstreamDriverKeyFile=\"" + key + "\")\n";
    }

    /** rsyslog's own messages (errors included) go to a file of the test, not into the data. */
    private static String internalMessages(Path dir) {
        return "if $syslogtag startswith 'rsyslogd' then {\n  action(type=\"omfile\" file=\""
                + dir.resolve("out/rsyslogd.log") + "\")\n  stop\n}\n";
    }

    /** Starts it (again, with the same config and port) and waits until it runs (and listens, as a receiver). */
    public void start() throws IOException {
        Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(conf, config);
        Path pid = dir.resolve("rsyslogd.pid");
        Files.deleteIfExists(pid);
        process = new ProcessBuilder(RSYSLOGD.toString(), "-n", "-f", conf.toString(), "-i", pid.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("out/stdout.log").toFile())).start();
        await().atMost(Duration.ofSeconds(15)).until(() -> !process.isAlive() || ready());
        if (!process.isAlive()) {
            throw new IllegalStateException("rsyslogd did not start: " + log());
        }
    }

    private boolean ready() {
        if (port < 0) {
            return Files.exists(dir.resolve("rsyslogd.pid"));
        }
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    /** Where a receiver writes what it received, one raw message per line. */
    public Path output() {
        return dir.resolve("out/received.log");
    }

    /** SIGKILL: what rsyslog holds in memory is lost. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** rsyslogd's own messages and output, for assertion messages. */
    public String log() {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("out/rsyslogd.log", "out/stdout.log")) {
            try {
                sb.append(Files.readString(dir.resolve(name)));
            } catch (IOException ignored) {
                // not written
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
