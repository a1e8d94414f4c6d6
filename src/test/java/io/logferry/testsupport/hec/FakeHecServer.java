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

    private final HttpServer server;
    private final ExecutorService executor;
    private final String scheme;
    private final HecFaults faults = new HecFaults();
    private final IndexedEvents index;
    private final HecTraffic traffic = new HecTraffic();

    private FakeHecServer(Builder b) throws IOException {
        this.index = new IndexedEvents(b.retainEvents);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port);
        if (b.keyStore == null) {
            server = HttpServer.create(address, 0);
            scheme = "http";
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(sslContext(b.keyStore, b.keyStorePassword)));
            server = https;
            scheme = "https";
        }
        Set<String> tokens = b.tokens.isEmpty() ? Set.of(DEFAULT_TOKEN) : b.tokens;
        server.createContext("/", new HecHandler(tokens, b.ack, b.maxContentLength, faults, index, traffic));
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(b.threads, r -> {
            Thread t = new Thread(r, "fake-hec-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base address, e.g. {@code http://127.0.0.1:41234}; endpoints are under {@code /services/collector}. */
    public URI url() {
        return URI.create(scheme + "://127.0.0.1:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
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
    public void close() {
        server.stop(0);
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
