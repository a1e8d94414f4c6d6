package io.logferry.testsupport.hec;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Splunk HTTP Event Collector for tests, following Splunk's documented protocol: {@code /services/collector}
 * ({@code /event}), {@code /raw}, {@code /ack} and {@code /health}, token and channel checks, gzip bodies,
 * indexer acknowledgement, {@code max_content_length}, and faults a test scripts through {@link #faults()}.
 * It listens on 127.0.0.1 only.
 * <p>
 * Semantics taken from Splunk (sources named where they are implemented):
 * <ul>
 * <li>An invalid event k in a batch: Splunk indexes events 0..k-1, indexes none from k on, and answers 400 with
 * {@code "invalid-event-number":k}, 0-based. So does this server; a sink that resends the whole request
 * duplicates the prefix, and {@link #duplicateCount()} shows it. Splunk's manual does not say this in so many
 * words; the sources are a Splunk maintainer of the OpenTelemetry HEC exporter
 * (open-telemetry/opentelemetry-collector-contrib#36113: "invalid-event-number ... indicates when the payload
 * processing stopped") and a customer report against Splunk (vectordotdev/vector#11434: "splunk server says
 * ok i got 999 good entries"). On such an error no ackId is given, so the prefix cannot be acknowledged.</li>
 * <li>A channel ({@code X-Splunk-Request-Channel} header or {@code channel} query parameter, a GUID) is required
 * only when indexer acknowledgement is on, for {@code /raw} as for {@code /event}: Splunk's "About HTTP Event
 * Collector Indexer Acknowledgment", section "About channels and sending data", and Splunk Enterprise 9.2.4
 * accepting {@code /raw} without one (vectordotdev/vector#22653).</li>
 * <li>{@code max_content_length} ({@code limits.conf [http_input]}) was 1,000,000 bytes before Splunk 6.5 and is
 * 838,860,800 since; this server defaults to 1,000,000 so tests meet the limit at a realistic size. It
 * counts the bytes on the wire (compressed, for a gzip body).</li>
 * </ul>
 * The JDK server holds each response back ~40 ms (Nagle's algorithm meeting delayed ACKs) unless
 * {@code sun.net.httpserver.nodelay} is true when its configuration class initializes; this class sets it
 * in its static initializer, which is early enough as long as no JDK HTTP server was started in this JVM before.
 */
public final class FakeHecServer implements AutoCloseable {

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** The token a builder accepts when none is named. */
    public static final String DEFAULT_TOKEN = "00000000-0000-0000-0000-000000000000";

    private final Builder config;
    private final ExecutorService executor;
    private final String scheme;
    private final HecFaults faults = new HecFaults();
    private final IndexedEvents index;
    private final HecTraffic traffic = new HecTraffic();
    private final AtomicInteger restarts = new AtomicInteger();
    private HttpServer server;
    private HecHandler handler;
    private int port;

    private FakeHecServer(Builder b) throws IOException {
        this.config = b;
        this.index = new IndexedEvents(b.retainEvents);
        this.scheme = b.keyStore == null ? "http" : "https";
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(b.threads, r -> {
            Thread t = new Thread(r, "fake-hec-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        listen(b.port);
    }

    /** A new incarnation of the server on {@code port}: its own ack state, the same index, faults and counts. */
    private synchronized void listen(int onPort) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort);
        HttpServer created;
        if (config.keyStore == null) {
            created = HttpServer.create(address, 0);
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(sslContext(config.keyStore, config.keyStorePassword)));
            created = https;
        }
        Set<String> tokens = config.tokens.isEmpty() ? Set.of(DEFAULT_TOKEN) : config.tokens;
        handler = new HecHandler(tokens, config.ack, config.maxContentLength, faults, index, traffic);
        created.createContext("/", handler);
        created.setExecutor(executor);
        created.start();
        server = created;
        port = created.getAddress().getPort();
    }

    /**
     * The indexer dies as in a kill -9: connections close, requests it is handling get no answer, events it
     * accepted but had not indexed yet are lost ({@link HecFaults#indexingDelay}), and until {@link #recover()}
     * connections are refused. Returns how many accepted events were lost.
     */
    public synchronized long crash() {
        if (handler == null) {
            return 0;
        }
        handler.crash();
        server.stop(0);
        handler = null;
        return index.dropPending();
    }

    /**
     * The indexer comes back on the same port, having forgotten every channel: ack ids count from 0 again and
     * ids issued before the crash answer false, as a restarted Splunk does.
     */
    public synchronized void recover() throws IOException {
        if (handler != null) {
            return;
        }
        listen(port);
        restarts.incrementAndGet();
    }

    /** {@link #crash()} then {@link #recover()}: a restart too quick for any request to see the port closed. */
    public long restart() throws IOException {
        long lost = crash();
        recover();
        return lost;
    }

    /** How many times the server came back after a crash. */
    public int restarts() {
        return restarts.get();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base address, e.g. {@code http://127.0.0.1:41234}; endpoints are under {@code /services/collector}. */
    public URI url() {
        return URI.create(scheme + "://127.0.0.1:" + port());
    }

    public int port() {
        return port;
    }

    /** The failures scripted into this server. */
    public HecFaults faults() {
        return faults;
    }

    /** The indexed events in arrival order (only with {@code retainEvents(true)}, the default). */
    public List<HecEvent> events() {
        return index.events();
    }

    public long eventCount() {
        return index.count();
    }

    /** How many distinct {@code seq=N} numbers the indexed events carry. */
    public long distinctSeqCount() {
        return index.distinctSeqs();
    }

    /** How many indexed events carried a {@code seq=N} already indexed before. */
    public long duplicateCount() {
        return index.duplicates();
    }

    public boolean hasSeq(long seq) {
        return index.hasSeq(seq);
    }

    /** Requests of any kind received so far, counted on arrival (before a {@code responseDelay}). */
    public long arrivals() {
        return traffic.arrivals();
    }

    /** Requests to {@code /event} and {@code /raw}, whatever their outcome. */
    public long requestCount() {
        return traffic.dataRequests();
    }

    /** Requests to {@code /ack}. */
    public long ackQueryCount() {
        return traffic.ackQueries();
    }

    /** Replies by HTTP status; a connection closed without a reply counts under 0. */
    public Map<Integer, Long> responsesByStatus() {
        return traffic.byStatus();
    }

    /** Replies by HEC {@code code}. */
    public Map<Integer, Long> responsesByCode() {
        return traffic.byCode();
    }

    /** Forgets indexed events and counts; faults and acknowledgement state stay. */
    public void clear() {
        index.clear();
        traffic.clear();
    }

    @Override
    public synchronized void close() {
        if (handler != null) {
            server.stop(0);
        }
        executor.shutdownNow();
    }

    private static SSLContext sslContext(Path keyStore, char[] password) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance(keyStore.toFile(), password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use key store " + keyStore, e);
        }
    }

    public static final class Builder {
        private final Set<String> tokens = new LinkedHashSet<>();
        private boolean ack;
        private long maxContentLength = 1_000_000;
        private Path keyStore;
        private char[] keyStorePassword;
        private int port;
        private boolean retainEvents = true;
        private int threads = 4;

        private Builder() {
        }

        /** A token the server accepts; may be called for several ({@link #DEFAULT_TOKEN} when never called). */
        public Builder token(String token) {
            tokens.add(Objects.requireNonNull(token));
            return this;
        }

        /** Indexer acknowledgement, as the {@code useACK} setting of a Splunk token (off by default, as there). */
        public Builder ack(boolean ack) {
            this.ack = ack;
            return this;
        }

        /** Largest accepted body in bytes, Splunk's {@code max_content_length}; default 1,000,000. */
        public Builder maxContentLength(long bytes) {
            this.maxContentLength = bytes;
            return this;
        }

        /** Serve HTTPS with the key (and certificate chain) in this PKCS12 or JKS key store. */
        public Builder tls(Path keyStore, String password) {
            this.keyStore = Objects.requireNonNull(keyStore);
            this.keyStorePassword = password.toCharArray();
            return this;
        }

        /** Port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** False: count events and their {@code seq=N} numbers without keeping them (for benchmarks). */
        public Builder retainEvents(boolean retain) {
            this.retainEvents = retain;
            return this;
        }

        /** Request handler threads (default 4). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public FakeHecServer start() throws IOException {
            return new FakeHecServer(this);
        }
    }
}
