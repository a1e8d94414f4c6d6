package io.logferry.testsupport.kafka;

import io.logferry.testsupport.FreePort;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real Apache Kafka broker for the tests (KRaft, one node that is both broker and controller), from the Maven
 * artifact {@code org.apache.kafka:kafka_2.13}, run as its own OS process on free ports of 127.0.0.1, with its
 * {@code data/}, {@code server.properties} and {@code broker.log} (WARN and above) in the caller's directory. Its own
 * process because the broker's jars would clash with the test classpath (log4j-core, its own jackson and
 * kafka-clients): they are resolved apart by {@code mvn} from {@code src/test/kafka-broker/pom.xml}, once, into
 * {@code target/kafka-broker/classpath.txt} (resolved again when a jar listed there is gone or the POM is newer).
 * {@code MAVEN_CMD} names the mvn to run. {@code -Dlogferry.test.kafka-log-level=INFO} makes {@code broker.log} say
 * more when a start fails.
 *
 * <p>A separate process can also be killed for real: {@link #kill()} is a SIGKILL, and {@link #restart()} starts
 * the broker again on the same ports and data, so tests can check what survives a broker crash. {@link #close()}
 * and a shutdown hook kill the broker; a broker left behind by a test JVM that was itself killed is killed by the
 * next {@link #start(Path)} (pid files in {@code target/kafka-broker/pids/}). Nothing is synced to disk on a
 * commit (Kafka's default): a SIGKILL of the broker keeps what it wrote, a power cut would not.
 *
 * <p>{@link #start(Path, Security)} adds two listeners for the TLS and SASL options of the clients, beside the
 * PLAINTEXT one (which stays for the broker's own traffic and the tests' helpers): SSL, which requires a client
 * certificate ({@code ssl.client.auth=required}), and SASL_SSL with SASL/PLAIN and the users of the
 * {@link Security} (TLS without a client certificate). Both present the given server certificate and trust the
 * given CA, read from PEM files and written into {@code server.properties} as PEM values
 * ({@code ssl.keystore.type=PEM}); the certificate must name 127.0.0.1 (an {@code iPAddress} SAN), as the clients
 * check the broker's host name.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration START_DEADLINE = Duration.ofSeconds(60);
    private static KafkaBroker shared;
    private static final Path WORK = Path.of("target", "kafka-broker").toAbsolutePath();
    private static final Path POM = Path.of("src", "test", "kafka-broker", "pom.xml").toAbsolutePath();
    private static final int NODE_ID = 1;
    private static final int START_ATTEMPTS = 3;
    private static final String MARKER = "-Dlogferry.test.kafka-broker=true";
    private static final String LOG_LEVEL_PROPERTY = "logferry.test.kafka-log-level";
    /**
     * Small heap and serial GC: the broker shares two cores with the test JVM. C1 only (TieredStopAtLevel=1):
     * C2 would compete with the start-up for the cores, and tests never run long enough for its code to pay off.
     * Measured on two cores, format and start to serving: 3.5 s, against 4.4 s with C2 and 5.2 s with G1 and C2.
     */
    private static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Djava.awt.headless=true");

    private static String classpath;

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final Security security;
    private final int sslPort;
    private final int saslSslPort;
    private final Thread killOnExit;
    private volatile Process process;

    /**
     * The TLS material and SASL/PLAIN users of the SSL and SASL_SSL listeners of {@link #start(Path, Security)}.
     *
     * @param serverCertificate PEM certificate chain of the broker, the server certificate first; it must name
     *                          127.0.0.1 as an IP address SAN
     * @param serverKey         its PKCS#8 PEM private key, unencrypted
     * @param caCertificate     PEM certificate(s) of the CA the SSL listener checks client certificates against
     * @param plainUsers        SASL/PLAIN user name to password, for the SASL_SSL listener
     */
    public record Security(Path serverCertificate, Path serverKey, Path caCertificate,
                           Map<String, String> plainUsers) {

        public Security {
            Objects.requireNonNull(serverCertificate, "serverCertificate");
            Objects.requireNonNull(serverKey, "serverKey");
            Objects.requireNonNull(caCertificate, "caCertificate");
            plainUsers = Map.copyOf(plainUsers);
        }
    }

    private KafkaBroker(Path dir, int port, int controllerPort, Security security, int sslPort, int saslSslPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.security = security;
        this.sslPort = sslPort;
        this.saslSslPort = saslSslPort;
        // Not destroy(), which takes the lock: a restart() still waiting for the broker would hold up the exit.
        this.killOnExit = new Thread(() -> {
            Process p = process;
            if (p != null) {
                p.destroyForcibly();
            }
        }, "kafka-broker-kill");
    }

    /**
     * One plain broker for the test classes of this JVM that need only topics of their own, started on first use
     * in {@code target/kafka-broker/shared-<pid>/} and killed at exit (the directories of earlier JVMs go then).
     */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            long pid = ProcessHandle.current().pid();
            try (Stream<Path> dirs = Files.exists(WORK) ? Files.list(WORK) : Stream.empty()) {
                for (Path old : dirs.filter(KafkaBroker::sharedByAnEndedJvm).toList()) {
                    deleteTree(old);
                }
                Path dir = Files.createDirectories(WORK.resolve("shared-" + pid));
                shared = start(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not prepare the shared Kafka broker's directory", e);
            }
        }
        return shared;
    }

    private static boolean sharedByAnEndedJvm(Path dir) {
        String name = dir.getFileName().toString();
        try {
            return name.startsWith("shared-") && ProcessHandle.of(Long.parseLong(name.substring(7))).isEmpty();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** Formats a new broker's storage under {@code dir} and starts it; returns once it serves clients. */
    public static KafkaBroker start(Path dir) {
        return launchNew(dir, null);
    }

    /**
     * As {@link #start(Path)}, with an SSL listener that requires a client certificate and a SASL_SSL listener
     * (SASL/PLAIN) besides the PLAINTEXT one: see {@link #sslBootstrapServers()} and
     * {@link #saslSslBootstrapServers()}. The PEM files are read now; they may change or go afterwards.
     */
    public static KafkaBroker start(Path dir, Security security) {
        return launchNew(dir, Objects.requireNonNull(security, "security"));
    }

    private static KafkaBroker launchNew(Path dir, Security security) {
        String cp = classpath();
        killLeftovers();
        Path home = dir.toAbsolutePath();
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            KafkaBroker broker = security == null
                    ? new KafkaBroker(home, FreePort.find(), FreePort.find(), null, 0, 0)
                    : new KafkaBroker(home, FreePort.find(), FreePort.find(), security, FreePort.find(),
                    FreePort.find());
            Runtime.getRuntime().addShutdownHook(broker.killOnExit);
            try {
                broker.writeConfig();
                if (attempt == 1) {
                    broker.format(cp);
                }
                broker.launch(cp, started);
                return broker;
            } catch (PortTaken e) {
                broker.close(); // a FreePort port was taken before the broker bound it: try others
                if (attempt == START_ATTEMPTS) {
                    throw new IllegalStateException(e.getMessage());
                }
            } catch (IOException e) {
                broker.close();
                throw new UncheckedIOException("Could not start a Kafka broker in " + home, e);
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
        }
    }

    /** The broker's PLAINTEXT listener, {@code 127.0.0.1:port}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /**
     * The broker's SSL listener, {@code 127.0.0.1:port}: TLS with the {@link Security}'s server certificate; a
     * client must present a certificate the {@link Security}'s CA signed.
     */
    public String sslBootstrapServers() {
        return "127.0.0.1:" + securePort(sslPort, "SSL");
    }

    /** The broker's SASL_SSL listener, {@code 127.0.0.1:port}: TLS (no client certificate), then SASL/PLAIN. */
    public String saslSslBootstrapServers() {
        return "127.0.0.1:" + securePort(saslSslPort, "SASL_SSL");
    }

    private int securePort(int listenerPort, String listener) {
        if (security == null) {
            throw new IllegalStateException("This broker has no " + listener + " listener: start it with"
                    + " KafkaBroker.start(dir, security)");
        }
        return listenerPort;
    }

    /** SIGKILLs the broker (no clean shutdown) and waits until it is gone. */
    public synchronized void kill() {
        destroy();
    }

    /** Starts the broker again on the same ports and data (killing it first if it runs); waits until it serves. */
    public synchronized void restart() {
        destroy();
        try {
            launch(classpath(), System.nanoTime());
        } catch (PortTaken e) {
            throw new IllegalStateException(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not restart the Kafka broker in " + dir, e);
        }
    }

    /** Creates a topic (replication factor 1) and waits until the broker knows a leader for each partition. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all()
                    .get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    TopicDescription topic = admin.describeTopics(List.of(name)).allTopicNames()
                            .get(10, TimeUnit.SECONDS).get(name);
                    if (topic.partitions().size() == partitions && topic.partitions().stream()
                            .map(TopicPartitionInfo::leader).allMatch(l -> l != null && !l.isEmpty())) {
                        return;
                    }
                } catch (ExecutionException e) {
                    // the broker's metadata may trail the controller's by a moment: UnknownTopicOrPartition
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Topic " + name + " has no leader yet on " + bootstrapServers());
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create topic " + name + " on " + bootstrapServers() + ": " + e,
                    e);
        }
    }

    /** The last 60 lines of {@code broker.log}, for a failure message. */
    public String logTail() {
        Path log = dir.resolve("broker.log");
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Kills the broker; its directory stays (it belongs to the caller). */
    @Override
    public synchronized void close() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway
        }
    }

    private void writeConfig() throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        String advertised = "PLAINTEXT://127.0.0.1:" + port;
        String protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
        if (security != null) {
            advertised += ",SSL://127.0.0.1:" + sslPort + ",SASL_SSL://127.0.0.1:" + saslSslPort;
            protocols += ",SSL:SSL,SASL_SSL:SASL_SSL";
        }
        String listeners = advertised + ",CONTROLLER://127.0.0.1:" + controllerPort;
        String props = String.join("\n",
                "process.roles=broker,controller",
                "node.id=" + NODE_ID,
                "controller.quorum.voters=" + NODE_ID + "@127.0.0.1:" + controllerPort,
                "listeners=" + listeners,
                "advertised.listeners=" + advertised,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=" + protocols,
                "log.dirs=" + data,
                "num.partitions=1",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // After a SIGKILL the restarted controller keeps the dead broker's session until it times out, and
                // refuses the new broker's registration until then (DUPLICATE_BROKER_REGISTRATION): 9 s by default.
                // 2.5 s is still ten missed heartbeats.
                "broker.session.timeout.ms=2500",
                "broker.heartbeat.interval.ms=250",
                // One partition instead of 50 for the internal topics: created on first use, while a test waits.
                "offsets.topic.num.partitions=1",
                "transaction.state.log.num.partitions=1",
                // Fewer threads than a production broker on two cores; the cleaner's 128 MB buffer would be
                // allocated at start-up, in a 512 MB heap.
                "num.network.threads=2",
                "num.io.threads=2",
                "background.threads=2",
                "num.recovery.threads.per.data.dir=1",
                "log.cleaner.dedupe.buffer.size=4194304",
                "");
        if (security != null) {
            props += securityConfig();
        }
        Files.writeString(dir.resolve("server.properties"), props);
        // log4j2's properties format needs nothing beyond log4j-core; the broker's stdout is broker.log.
        Files.writeString(dir.resolve("log4j2.properties"), String.join("\n",
                "status = error",
                "appender.out.type = Console",
                "appender.out.name = out",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = " + System.getProperty(LOG_LEVEL_PROPERTY, "WARN"),
                "rootLogger.appenderRef.out.ref = out",
                ""));
    }

    /**
     * The SSL and SASL_SSL listeners' settings. The PEMs go in as values (ssl.keystore.key and friends, as
     * logferry's clients give theirs), so the key and chain need not be joined into one file for
     * ssl.keystore.location; the key is unencrypted, so there is no ssl.key.password.
     */
    private String securityConfig() throws IOException {
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
        new TreeMap<>(security.plainUsers()).forEach((name, password) -> jaas.append(" user_").append(name)
                .append("=\"").append(password.replace("\\", "\\\\").replace("\"", "\\\"")).append('"'));
        jaas.append(';');
        return String.join("\n",
                property("ssl.keystore.type", "PEM"),
                property("ssl.keystore.certificate.chain", pem(security.serverCertificate())),
                property("ssl.keystore.key", pem(security.serverKey())),
                property("ssl.truststore.type", "PEM"),
                property("ssl.truststore.certificates", pem(security.caCertificate())),
                // Client certificates on the SSL listener only; SASL_SSL clients authenticate with SASL.
                property("listener.name.ssl.ssl.client.auth", "required"),
                property("listener.name.sasl_ssl.ssl.client.auth", "none"),
                property("listener.name.sasl_ssl.sasl.enabled.mechanisms", "PLAIN"),
                property("listener.name.sasl_ssl.plain.sasl.jaas.config", jaas.toString()),
                "");
    }

    private static String pem(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII).strip().replace("\r", "");
    }

    /** One line of a properties file: Properties.load turns the escapes back into backslashes and line breaks. */
    private static String property(String name, String value) {
        return name + "=" + value.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private void format(String cp) throws IOException {
        Process format = java(cp, "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", dir.resolve("server.properties").toString()).start();
        try {
            if (!format.waitFor(START_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                format.destroyForcibly().waitFor();
                throw new IllegalStateException("Kafka's StorageTool format did not finish within "
                        + START_DEADLINE.toSeconds() + " s:\n" + logTail());
            }
        } catch (InterruptedException e) {
            format.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (format.exitValue() != 0) {
            throw new IllegalStateException("Kafka's StorageTool format failed with exit code " + format.exitValue()
                    + ":\n" + logTail());
        }
    }

    private void launch(String cp, long started) throws IOException {
        process = java(cp, "kafka.Kafka", dir.resolve("server.properties").toString()).start();
        writePidFile();
        try {
            awaitServing(started + START_DEADLINE.toNanos());
        } catch (RuntimeException | IOException e) {
            destroy();
            throw e;
        }
        String secure = security == null ? "" : ", SSL on " + sslBootstrapServers() + ", SASL_SSL on "
                + saslSslBootstrapServers();
        System.out.printf("KafkaBroker: serving on %s%s (controller 127.0.0.1:%d) after %d ms, in %s%n",
                bootstrapServers(), secure, controllerPort, (System.nanoTime() - started) / 1_000_000, dir);
    }

    private ProcessBuilder java(String cp, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        // First, as the JDK reads only 4 KB of a command line: how killLeftovers() knows a broker of ours.
        command.add(MARKER);
        command.addAll(JVM_OPTIONS);
        command.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties").toUri());
        command.add("-cp");
        command.add(cp);
        command.add(mainClass);
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()));
    }

    /** Waits until the listener accepts, then until the controller has unfenced the broker (it then has a leader). */
    private void awaitServing(long deadline) throws IOException {
        try {
            // A plain connect first: an Admin polling a port that is not yet bound logs a warning per attempt.
            for (int listenerPort : listenerPorts()) {
                while (!accepts(listenerPort)) {
                    checkRunning(deadline);
                    Thread.sleep(100);
                }
            }
            try (Admin admin = admin()) {
                while (true) {
                    try {
                        Collection<Node> nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                        if (nodes.stream().anyMatch(n -> n.id() == NODE_ID)) {
                            return;
                        }
                    } catch (ExecutionException | TimeoutException e) {
                        // not serving yet
                    }
                    checkRunning(deadline);
                    Thread.sleep(100);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void checkRunning(long deadline) throws IOException {
        if (!process.isAlive()) {
            String log = logTail();
            if (log.contains("Address already in use")) {
                throw new PortTaken("One of the ports " + allPorts() + " was taken:\n" + log);
            }
            throw new IllegalStateException("The Kafka broker exited with code " + process.exitValue() + ":\n" + log);
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("The Kafka broker in " + dir + " did not serve on " + bootstrapServers()
                    + " within " + START_DEADLINE.toSeconds() + " s:\n" + logTail());
        }
    }

    /** The client listeners' ports: PLAINTEXT, then SSL and SASL_SSL when the broker has them. */
    private List<Integer> listenerPorts() {
        return security == null ? List.of(port) : List.of(port, sslPort, saslSslPort);
    }

    private List<Integer> allPorts() {
        List<Integer> ports = new ArrayList<>(listenerPorts());
        ports.add(controllerPort);
        return ports;
    }

    private static boolean accepts(int listenerPort) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", listenerPort), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "kafka-broker-test-support",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50,
                AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 100,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200));
    }

    private synchronized void destroy() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            // a stale pid file only makes the next start check a dead process
        }
        process = null;
    }


    private Path pidFile() {
        return WORK.resolve("pids").resolve(ProcessHandle.current().pid() + "-" + process.pid());
    }

    private void writePidFile() throws IOException {
        Files.createDirectories(pidFile().getParent());
        Files.writeString(pidFile(), dir.toString());
    }

    /** Kills brokers whose test JVM died without running its shutdown hooks (a SIGKILL, say). */
    private static void killLeftovers() {
        Path pids = WORK.resolve("pids");
        if (!Files.isDirectory(pids)) {
            return;
        }
        try (Stream<Path> files = Files.list(pids)) {
            for (Path file : files.toList()) {
                String[] owner = file.getFileName().toString().split("-");
                if (owner.length != 2 || ProcessHandle.of(Long.parseLong(owner[0])).isPresent()) {
                    continue;
                }
                ProcessHandle.of(Long.parseLong(owner[1]))
                        .filter(p -> p.info().commandLine().orElse("").contains(MARKER))
                        .ifPresent(ProcessHandle::destroyForcibly);
                Files.deleteIfExists(file);
            }
        } catch (IOException | NumberFormatException e) {
            System.err.println("KafkaBroker: could not check for leftover brokers in " + pids + ": " + e);
        }
    }

    /** The java of this JVM: the broker needs no other. */
    private static String javaBinary() {
        Path home = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(home)) {
            return home.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** The broker's classpath: from the cache file while every jar in it exists, else resolved by mvn. */
    static synchronized String classpath() {
        if (classpath != null) {
            return classpath;
        }
        Path cache = WORK.resolve("classpath.txt");
        try {
            if (Files.isRegularFile(cache)
                    && Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(POM)) >= 0) {
                String cached = Files.readString(cache).trim();
                if (!cached.isEmpty()
                        && Stream.of(cached.split(File.pathSeparator)).allMatch(j -> Files.exists(Path.of(j)))) {
                    return classpath = cached;
                }
            }
            Files.createDirectories(WORK);
            // Each JVM writes its own file and moves it into place: parallel forks may resolve at the same time.
            Path tmp = WORK.resolve("classpath.txt." + ProcessHandle.current().pid() + ".tmp");
            List<String> command = List.of(mavenCommand(), "-B", "-q", "-f", POM.toString(),
                    "dependency:build-classpath", "-Dmdep.outputFile=" + tmp);
            Path log = WORK.resolve("mvn." + ProcessHandle.current().pid() + ".log");
            Process mvn = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = mvn.waitFor(10, TimeUnit.MINUTES); // the first run downloads 44 MB of jars
            if (!done) {
                mvn.destroyForcibly().waitFor();
            }
            String output = Files.readString(log);
            Files.deleteIfExists(log);
            if (!done || mvn.exitValue() != 0 || !Files.isRegularFile(tmp) || Files.readString(tmp).isBlank()) {
                Files.deleteIfExists(tmp);
                throw new IllegalStateException("Could not resolve the Kafka broker's classpath (" + String.join(" ",
                        command) + (done ? ", exit code " + mvn.exitValue() : ", no end in 10 minutes") + "):\n"
                        + output);
            }
            Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return classpath = Files.readString(cache).trim();
        } catch (IOException e) {
            throw new IllegalStateException("Could not resolve the Kafka broker's classpath with mvn: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String mavenCommand() {
        String configured = System.getenv("MAVEN_CMD");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Optional<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(d -> !d.isEmpty()).map(d -> Path.of(d, "mvn")).filter(Files::isExecutable).findFirst();
        return onPath.map(Path::toString).orElseThrow(() -> new IllegalStateException(
                "No mvn on the PATH (or MAVEN_CMD) to resolve the Kafka broker's classpath from " + POM));
    }

    /** The broker exited because one of its ports was taken. */
    private static final class PortTaken extends IOException {
        PortTaken(String message) {
            super(message);
        }
    }
}
