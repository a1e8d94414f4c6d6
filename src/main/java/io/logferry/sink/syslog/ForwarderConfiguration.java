package io.logferry.sink.syslog;

import io.logferry.rfc5424.Hosts;
import io.logferry.tls.TlsSettings;

import java.util.Locale;

/**
 * The options of a syslog forwarder, set as bean properties from the {@code tail-to-syslog} template
 * ({@code configuration.<option>}). Each setter documents its option.
 */
public final class ForwarderConfiguration {

    /** Whether to speak the logferry ack protocol. */
    public enum Acks {
        /** Offer it; without it (a plain RFC 5425 receiver) confirm by the resend window. */
        AUTO,
        /** Refuse a receiver that does not speak it. */
        REQUIRED,
        /** Never offer it: confirm by the resend window. */
        OFF
    }

    private final TlsSettings tls = new TlsSettings();
    private String host = "";
    private int port = 6514;
    private boolean useTls = true;
    private boolean verifyHostname = true;
    private boolean octetCounting = true;
    private Acks acks = Acks.AUTO;
    private boolean origin = true;
    private long reconnectDelay = 1_000;
    private long maxReconnectDelay = 30_000;
    private long connectTimeout = 10_000;
    private long writeTimeout = 30_000;
    private long ackTimeout = 30_000;
    private long resendWindowBytes = 8L * 1024 * 1024;
    private long resendWindowIdle = 5_000;

    /** Host name or address of the receiver; with TLS its certificate must name it (see verifyHostname). */
    public void setHost(String host) {
        this.host = host.strip();
    }

    public String host() {
        return host;
    }

    /** TCP port of the receiver (RFC 5425: 6514). */
    public void setPort(int port) {
        this.port = port;
    }

    public int port() {
        return port;
    }

    /** PEM certificate chain of this host. */
    public void setCertFile(String certFile) {
        tls.setCertFile(certFile);
    }

    /** PEM private key of this host. */
    public void setKeyFile(String keyFile) {
        tls.setKeyFile(keyFile);
    }

    /** PEM CA certificate(s) the receiver's certificate must be signed by. */
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

    /** TLS with mutual authentication (default); false sends plaintext, allowed to a loopback host only. */
    public void setTls(boolean useTls) {
        this.useTls = useTls;
    }

    public boolean useTls() {
        return useTls;
    }

    /** Check that the receiver's certificate names {@code host} (default true). */
    public void setVerifyHostname(boolean verifyHostname) {
        this.verifyHostname = verifyHostname;
    }

    public boolean verifyHostname() {
        return verifyHostname;
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

    /**
     * {@code auto} (default: acks with a logferry listener, resend window with any other receiver),
     * {@code required} (refuse receivers without acks) or {@code off}.
     */
    public void setAcks(String acks) {
        try {
            this.acks = Acks.valueOf(acks.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("acks must be auto, required or off, was '" + acks + "'", e);
        }
    }

    public Acks acks() {
        return acks;
    }

    /** Add each line's origin (file identity, offset) as an SD-ELEMENT, so a logferry listener drops replays. */
    public void setOrigin(boolean origin) {
        this.origin = origin;
    }

    public boolean origin() {
        return origin;
    }

    /** Milliseconds before the first reconnect; doubles after each failure up to maxReconnectDelay. */
    public void setReconnectDelay(long reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    public long reconnectDelay() {
        return reconnectDelay;
    }

    /** Longest wait between reconnects, in milliseconds. */
    public void setMaxReconnectDelay(long maxReconnectDelay) {
        this.maxReconnectDelay = maxReconnectDelay;
    }

    public long maxReconnectDelay() {
        return maxReconnectDelay;
    }

    /** Milliseconds to wait for the TCP connection and, again, for the TLS handshake. */
    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long connectTimeout() {
        return connectTimeout;
    }

    /** Milliseconds a write may take before the connection is taken for dead and the frames resent. */
    public void setWriteTimeout(long writeTimeout) {
        this.writeTimeout = writeTimeout;
    }

    public long writeTimeout() {
        return writeTimeout;
    }

    /** With acks: milliseconds without an ack while frames wait before the connection is replaced. */
    public void setAckTimeout(long ackTimeout) {
        this.ackTimeout = ackTimeout;
    }

    public long ackTimeout() {
        return ackTimeout;
    }

    /**
     * Without acks: a written batch counts as delivered only once this many bytes were written after it (or
     * resendWindowIdle passed with the connection up); until then it is resent after a reconnect.
     */
    public void setResendWindowBytes(long resendWindowBytes) {
        this.resendWindowBytes = resendWindowBytes;
    }

    public long resendWindowBytes() {
        return resendWindowBytes;
    }

    /** Without acks: milliseconds after which a written batch counts as delivered if the connection stayed up. */
    public void setResendWindowIdle(long resendWindowIdle) {
        this.resendWindowIdle = resendWindowIdle;
    }

    public long resendWindowIdle() {
        return resendWindowIdle;
    }

    void validate(String route) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("Syslog forwarder " + route + " needs host: the receiver's name");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Syslog forwarder " + route + ": port must be 1-65535, was " + port);
        }
        if (!useTls && !Hosts.isLoopback(host)) {
            throw new IllegalArgumentException("Syslog forwarder " + route + ": plaintext (tls=false) is allowed to a"
                    + " loopback host only, and " + host + " is not one. Use TLS (certFile, keyFile, caFile).");
        }
        if (useTls) {
            tls.files("Syslog forwarder " + route);
        }
        positive("reconnectDelay", reconnectDelay, route);
        positive("connectTimeout", connectTimeout, route);
        positive("writeTimeout", writeTimeout, route);
        positive("ackTimeout", ackTimeout, route);
        positive("resendWindowIdle", resendWindowIdle, route);
        if (maxReconnectDelay < reconnectDelay) {
            throw new IllegalArgumentException("Syslog forwarder " + route + ": maxReconnectDelay (" + maxReconnectDelay
                    + ") must not be below reconnectDelay (" + reconnectDelay + ")");
        }
        if (resendWindowBytes < 0) {
            throw new IllegalArgumentException("Syslog forwarder " + route + ": resendWindowBytes must be >= 0");
        }
    }


    private static void positive(String name, long value, String route) {
        if (value <= 0) {
            throw new IllegalArgumentException("Syslog forwarder " + route + ": " + name + " must be positive, was "
                    + value);
        }
    }

    @Override
    public String toString() {
        return "ForwarderConfiguration[" + host + ":" + port + (useTls ? ", tls " + tls : ", plaintext")
                + ", acks=" + acks + ", origin=" + origin + "]";
    }
}
