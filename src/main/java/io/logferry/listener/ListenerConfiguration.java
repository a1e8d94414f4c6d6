package io.logferry.listener;

import java.nio.file.Path;
import io.logferry.rfc5424.Hosts;
import io.logferry.rfc5425.FrameLimits;
import io.logferry.tls.TlsSettings;

import java.util.Locale;

/**
 * The connection options of a syslog listener, set as bean properties from the {@code syslog-listener} template
 * ({@code configuration.<option>}). Each setter documents its option.
 */
public final class ListenerConfiguration {

    private final TlsSettings tls = new TlsSettings();
    private String host = "0.0.0.0";
    private boolean useTls = true;
    private boolean allowPlaintext;
    private boolean octetCounting = true;
    private int maxFrameLength = FrameLimits.DEFAULT_MAX_FRAME_LENGTH;
    private long handshakeTimeout = 10_000;
    private long idleTimeout = 300_000;
    private int maxConnections = 1_000;
    private int maxHandshakes = 64;
    private int maxHandshakesPerAddress = 8;
    private long frameTimeout = 60_000;
    private long maxLinesPerSecond;
    private long maxBytesPerSecond;
    private long maxIngestBytes;
    private String ingestDir = "ingest";
    private boolean toFiles = true;
    private int maxPendingBytes = 8 * 1024 * 1024;

    /** The address the route binds; used to check the plaintext rule. */
    public void setHost(String host) {
        this.host = host.strip();
    }

    public String host() {
        return host;
    }

    /** PEM certificate chain of this listener. */
    public void setCertFile(String certFile) {
        tls.setCertFile(certFile);
    }

    /** PEM private key of this listener. */
    public void setKeyFile(String keyFile) {
        tls.setKeyFile(keyFile);
    }

    /** PEM CA certificate(s) that every client certificate must be signed by: the only trust anchor. */
    public void setCaFile(String caFile) {
        tls.setCaFile(caFile);
    }

    /**
     * Milliseconds between looks at the certificate, key and CA files (default 5000; 0 = never): changed files
     * are used for new connections, or refused with an ERROR while the previous ones stay in use.
     */
    public void setCertReloadInterval(long interval) {
        tls.setReloadInterval(interval);
    }

    /** PKCS12 keystore instead of certFile and keyFile. */
    public void setKeyStore(String keyStore) {
        tls.setKeyStore(keyStore);
    }

    /** Password of the PKCS12 keystore. */
    public void setKeyStorePassword(String password) {
        tls.setKeyStorePassword(password);
    }

    public TlsSettings tls() {
        return tls;
    }

    /** TLS with required client certificates (default). false needs allowPlaintext and a loopback host. */
    public void setTls(boolean useTls) {
        this.useTls = useTls;
    }

    public boolean useTls() {
        return useTls;
    }

    /** Permits tls=false, and only on a loopback address: there is no source identity without a certificate. */
    public void setAllowPlaintext(boolean allowPlaintext) {
        this.allowPlaintext = allowPlaintext;
    }

    /** {@code octet-counted} (RFC 5425, default) or {@code lf} (RFC 6587 non-transparent framing). */
    public void setFraming(String framing) {
        String value = framing.strip().toLowerCase(Locale.ROOT);
        if (!value.equals("octet-counted") && !value.equals("lf")) {
            throw new IllegalArgumentException("framing must be octet-counted or lf, was '" + framing + "'");
        }
        this.octetCounting = value.equals("octet-counted");
    }

    public boolean octetCounting() {
        return octetCounting;
    }

    /** Largest frame in bytes (default 65536); a longer one closes the connection. */
    public void setMaxFrameLength(int maxFrameLength) {
        this.maxFrameLength = FrameLimits.checkMaxFrameLength(maxFrameLength);
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    /** Milliseconds a client has to finish the TLS handshake. */
    public void setHandshakeTimeout(long handshakeTimeout) {
        this.handshakeTimeout = handshakeTimeout;
    }

    public long handshakeTimeout() {
        return handshakeTimeout;
    }

    /** Milliseconds without a byte from a client before its connection is closed (slowloris guard). */
    public void setIdleTimeout(long idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public long idleTimeout() {
        return idleTimeout;
    }

    /**
     * Most connections in the TLS handshake at once (default 64); more are closed at once and counted. Kept
     * apart from maxConnections so clients without a certificate cannot take the places of those with one.
     */
    public void setMaxHandshakes(int maxHandshakes) {
        this.maxHandshakes = maxHandshakes;
    }

    public int maxHandshakes() {
        return maxHandshakes;
    }

    /** Most connections in the TLS handshake at once from one source address (default 8). */
    public void setMaxHandshakesPerAddress(int maxHandshakesPerAddress) {
        this.maxHandshakesPerAddress = maxHandshakesPerAddress;
    }

    public int maxHandshakesPerAddress() {
        return maxHandshakesPerAddress;
    }

    /**
     * Milliseconds a frame may take from its first byte to its last (default 60000): a client that drips a
     * frame byte by byte, below the idle timeout, is closed and counted ({@code frame_timeout}).
     */
    public void setFrameTimeout(long frameTimeout) {
        this.frameTimeout = frameTimeout;
    }

    public long frameTimeout() {
        return frameTimeout;
    }

    /** Lines per second one source (CN) may send, over all its connections; 0 (default) = no limit. */
    public void setMaxLinesPerSecond(long maxLinesPerSecond) {
        this.maxLinesPerSecond = maxLinesPerSecond;
    }

    /** Bytes per second one source (CN) may send, over all its connections; 0 (default) = no limit. */
    public void setMaxBytesPerSecond(long maxBytesPerSecond) {
        this.maxBytesPerSecond = maxBytesPerSecond;
    }

    /** Disk space one source's ingest directory may take before its connections stop being read; 0 = no limit. */
    public void setMaxIngestBytes(long maxIngestBytes) {
        this.maxIngestBytes = maxIngestBytes;
    }

    /** The ingest directory (the same as the listener sink's), where the disk quota is measured. */
    public void setIngestDir(String ingestDir) {
        this.ingestDir = ingestDir.strip();
    }

    /** {@code file} or {@code store}, as on the listener sink: the disk quota applies to ingest files only. */
    public void setOutput(String output) {
        this.toFiles = !"store".equalsIgnoreCase(output.strip());
    }

    /** The per-source limits these options describe. */
    SourceLimits sourceLimits() {
        return new SourceLimits(maxLinesPerSecond, maxBytesPerSecond, maxIngestBytes,
                toFiles ? Path.of(ingestDir) : null);
    }

    /** Most authenticated connections open at once (default 1000); more are closed at once and counted. */
    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public int maxConnections() {
        return maxConnections;
    }

    /** Bytes of one connection received but not yet stored before the listener stops reading it. */
    public void setMaxPendingBytes(int maxPendingBytes) {
        this.maxPendingBytes = maxPendingBytes;
    }

    public int maxPendingBytes() {
        return maxPendingBytes;
    }

    void validate(String route) {
        if (!useTls) {
            if (!allowPlaintext) {
                throw new IllegalArgumentException("Syslog listener " + route + ": tls=false needs allowPlaintext=true"
                        + " (plaintext has no certificate, so no source identity); keep TLS for anything but tests");
            }
            if (!Hosts.isLoopback(host)) {
                throw new IllegalArgumentException("Syslog listener " + route + ": plaintext is allowed on a loopback"
                        + " address only, and host " + host + " is not one. Bind 127.0.0.1 or use TLS.");
            }
        } else {
            tls.files("Syslog listener " + route);
        }
        if (maxLinesPerSecond < 0 || maxBytesPerSecond < 0 || maxIngestBytes < 0) {
            throw new IllegalArgumentException("Syslog listener " + route + ": maxLinesPerSecond, maxBytesPerSecond"
                    + " and maxIngestBytes must be 0 (no limit) or positive");
        }
        if (handshakeTimeout <= 0 || idleTimeout <= 0 || frameTimeout <= 0 || maxConnections <= 0
                || maxPendingBytes <= 0 || maxHandshakes <= 0 || maxHandshakesPerAddress <= 0) {
            throw new IllegalArgumentException("Syslog listener " + route + ": handshakeTimeout, idleTimeout,"
                    + " frameTimeout, maxConnections, maxHandshakes, maxHandshakesPerAddress and maxPendingBytes"
                    + " must be positive");
        }
    }

}
