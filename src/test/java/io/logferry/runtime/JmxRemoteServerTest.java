package io.logferry.runtime;

import io.logferry.testsupport.TestPki;
import io.logferry.tls.SslContextParametersFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import java.io.EOFException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Remote JMX from logferry's properties: a password file decides who gets in; with TLS, a client certificate too. */
class JmxRemoteServerTest {

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Path passwordFile(String permissions) throws IOException {
        Path file = dir.resolve("jmxremote.password");
        Files.writeString(file, "# user password\noperator s3cret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    private static JMXConnector connect(JmxRemoteServer server, Object credentials, boolean ssl) throws IOException {
        Map<String, Object> env = new HashMap<>();
        if (credentials != null) {
            env.put(JMXConnector.CREDENTIALS, credentials);
        }
        if (ssl) {
            env.put("com.sun.jndi.rmi.factory.socket", new SslRMIClientSocketFactory());
        }
        return JMXConnectorFactory.connect(server.url(), env);
    }

    @Test
    void onlyUsersOfThePasswordFileGetIn() throws Exception {
        JmxRemoteServer server = new JmxRemoteServer("127.0.0.1", freePort(), passwordFile("rw-------"), null);
        server.start();
        try {
            try (JMXConnector connector = connect(server, new String[] {"operator", "s3cret"}, false)) {
                assertThat(connector.getMBeanServerConnection().getMBeanCount()).isPositive();
            }
            assertThatThrownBy(() -> connect(server, new String[] {"operator", "wrong"}, false))
                    .isInstanceOf(SecurityException.class).hasMessageContaining("Authentication failed");
            assertThatThrownBy(() -> connect(server, null, false)).isInstanceOf(SecurityException.class);
        } finally {
            server.stop();
        }
    }

    @Test
    void passwordFileOthersCanReadIsRefused() throws Exception {
        Path file = passwordFile("rw-r--r--");
        assertThatThrownBy(() -> new JmxPasswordAuthenticator(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("may be read by other users").hasMessageContaining("chmod 600");
    }

    @Test
    void withTlsOnlyClientsWithACertificateOfTheCaGetIn() throws Exception {
        TestPki pki = new TestPki(dir.resolve("pki"));
        SSLContext serverTls = SslContextParametersFactory.server(pki.directory().pemFiles(TestPki.SERVER))
                .createSSLContext(null);
        int port = freePort();
        JmxRemoteServer server = new JmxRemoteServer("127.0.0.1", port, passwordFile("rw-------"), serverTls);
        server.start();
        SSLContext original = SSLContext.getDefault();
        try {
            // a JMX client (jconsole) takes its certificate and trust from the JVM's default SSL context
            // (-Djavax.net.ssl.keyStore / trustStore); SslRMIClientSocketFactory keeps the first one it sees
            SSLContext.setDefault(SslContextParametersFactory.client(pki.directory().pemFiles(TestPki.CLIENT))
                    .createSSLContext(null));
            try (JMXConnector connector = connect(server, new String[] {"operator", "s3cret"}, true)) {
                assertThat(connector.getMBeanServerConnection().getMBeanCount()).isPositive();
            }
            SSLContext anonymous = TestPki.jdkContext(null, pki.authority().certificate());
            try (SSLSocket socket = (SSLSocket) anonymous.getSocketFactory().createSocket("127.0.0.1", port)) {
                Throwable refused = catchThrowable(() -> {
                    socket.startHandshake();
                    socket.getOutputStream().write("JRMI".getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    if (socket.getInputStream().read() < 0) {
                        throw new EOFException("closed by the server");
                    }
                });
                assertThat(refused).isInstanceOf(IOException.class);
            }
        } finally {
            SSLContext.setDefault(original);
            server.stop();
        }
    }
}
