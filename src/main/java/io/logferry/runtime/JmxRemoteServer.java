package io.logferry.runtime;

import io.logferry.tls.SslContextParametersFactory;
import io.logferry.tls.TlsFiles;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.MBeanServer;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.management.remote.rmi.RMIJRMPServerImpl;
import javax.net.ssl.SSLContext;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Remote JMX from logferry's own properties ({@code logferry.jmx.remote.*}), off by default. The JDK's agent
 * ({@code -Dcom.sun.management.jmxremote.*}) can only be configured with JVM flags; this connector server is
 * created when Camel starts, from {@code config/application.properties}: an RMI registry and the connector on
 * one port, bound to one address (127.0.0.1 unless {@code host} says otherwise), password authentication on
 * by default, TLS with client certificates optional. It serves the platform MBean server, where Camel
 * registers its MBeans (routes, consumers, services) next to the JVM's own.
 */
final class JmxRemoteServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(JmxRemoteServer.class);
    private static final String PREFIX = "logferry.jmx.remote.";

    private final String host;
    private final int port;
    private final Path passwordFile;
    private final SSLContext ssl;
    private Registry registry;
    private JMXConnectorServer server;

    /** @param passwordFile null for no authentication; @param ssl null for plain sockets */
    JmxRemoteServer(String host, int port, Path passwordFile, SSLContext ssl) {
        this.host = host;
        this.port = port;
        this.passwordFile = passwordFile;
        this.ssl = ssl;
    }

    /** The server the properties ask for, or null when {@code logferry.jmx.remote.enabled} is not true. */
    static JmxRemoteServer fromProperties(CamelContext context) {
        if (!Boolean.parseBoolean(property(context, "enabled", "false"))) {
            return null;
        }
        String host = property(context, "host", "127.0.0.1");
        int port = Integer.parseInt(property(context, "port", "9010"));
        Path passwordFile = null;
        if (Boolean.parseBoolean(property(context, "authenticate", "true"))) {
            passwordFile = Path.of(property(context, "password-file", "config/jmxremote.password"));
            if (!Files.isRegularFile(passwordFile)) {
                throw new IllegalStateException("Remote JMX needs the password file " + passwordFile + " ("
                        + PREFIX + "password-file): write one 'user password' line per user and chmod 600 it,"
                        + " or set " + PREFIX + "authenticate=false to let anyone who reaches " + host + ":" + port
                        + " in");
            }
        }
        SSLContext ssl = null;
        if (Boolean.parseBoolean(property(context, "ssl", "false"))) {
            for (String key : new String[] {"ssl-certificate", "ssl-key", "ssl-ca"}) {
                if (property(context, key, "").isEmpty()) {
                    throw new IllegalStateException(PREFIX + "ssl=true needs " + PREFIX + "ssl-certificate, "
                            + PREFIX + "ssl-key and " + PREFIX + "ssl-ca (PEM files, e.g. from logferry pki issue"
                            + " --server); " + PREFIX + key + " is not set");
                }
            }
            TlsFiles files = new TlsFiles.Pem(Path.of(property(context, "ssl-certificate", "")),
                    Path.of(property(context, "ssl-key", "")), Path.of(property(context, "ssl-ca", "")));
            try {
                ssl = SslContextParametersFactory.server(files).createSSLContext(context);
            } catch (Exception e) {
                throw new IllegalStateException("Cannot set up TLS for remote JMX from " + files + ": "
                        + StartupFailure.describe(e), e);
            }
        }
        return new JmxRemoteServer(host, port, passwordFile, ssl);
    }

    private static String property(CamelContext context, String key, String defaultValue) {
        return context.getPropertiesComponent().resolveProperty(PREFIX + key).map(String::strip)
                .filter(v -> !v.isEmpty()).orElse(defaultValue);
    }

    /** The address clients connect to. */
    JMXServiceURL url() throws IOException {
        return new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + host + ":" + port + "/jmxrmi");
    }

    @Override
    protected void doStart() throws Exception {
        InetAddress address = InetAddress.getByName(host);
        if (!address.isAnyLocalAddress() && System.getProperty("java.rmi.server.hostname") == null) {
            // the connector's stub carries this host name; without it, clients would be sent to whatever the
            // machine's name resolves to, where nothing listens when the port is bound to loopback
            System.setProperty("java.rmi.server.hostname", host);
        }
        BoundServerSocketFactory serverSockets = new BoundServerSocketFactory(address, ssl, ssl != null);
        RMIClientSocketFactory clientSockets = ssl == null ? null : new SslRMIClientSocketFactory();
        Map<String, Object> env = new HashMap<>();
        env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, serverSockets);
        if (clientSockets != null) {
            env.put(RMIConnectorServer.RMI_CLIENT_SOCKET_FACTORY_ATTRIBUTE, clientSockets);
            env.put("com.sun.jndi.rmi.factory.socket", clientSockets);
        }
        if (passwordFile != null) {
            env.put(JMXConnectorServer.AUTHENTICATOR, new JmxPasswordAuthenticator(passwordFile));
        }
        // clients may send nothing but a user name and password as credentials (as the JDK's agent allows)
        env.put(RMIConnectorServer.CREDENTIALS_FILTER_PATTERN, String[].class.getName() + ";java.lang.String;!*");
        try {
            registry = LocateRegistry.createRegistry(port, clientSockets, serverSockets);
            RMIJRMPServerImpl connector = new RMIJRMPServerImpl(port, clientSockets, serverSockets, env);
            server = new RMIConnectorServer(new JMXServiceURL("rmi", host, port), env, connector, mbeanServer());
            server.start();
            // bound in-process, not through JNDI: that would connect to the registry as a TLS client with the
            // JVM's default trust store
            registry.rebind("jmxrmi", connector.toStub());
        } catch (IOException e) {
            doStop();
            throw new IOException("Cannot start remote JMX on " + host + ":" + port + " (" + e.getMessage()
                    + "). Choose a free port with " + PREFIX + "port, or set " + PREFIX + "enabled=false.", e);
        }
        LOG.info("Remote JMX listening on {} ({}, {})", url(),
                passwordFile == null ? "no authentication" : "users of " + passwordFile,
                ssl == null ? "no TLS" : "TLS with client certificates");
        if (passwordFile == null && !address.isLoopbackAddress()) {
            LOG.warn("Remote JMX on {} has no authentication: anyone who reaches it can stop routes", host);
        }
    }

    @Override
    protected void doStop() throws IOException {
        if (server != null) {
            server.stop();
            server = null;
        }
        if (registry != null) {
            try {
                UnicastRemoteObject.unexportObject(registry, true);
            } catch (NoSuchObjectException ignored) {
                // already gone
            }
            registry = null;
        }
    }

    private static MBeanServer mbeanServer() {
        return ManagementFactory.getPlatformMBeanServer();
    }
}
