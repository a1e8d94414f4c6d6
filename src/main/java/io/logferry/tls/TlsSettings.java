package io.logferry.tls;

import java.nio.file.Path;

/**
 * The TLS files of one listener or forwarder as a user writes them in a route template: PEM certificate, key
 * and CA ({@code certFile}, {@code keyFile}, {@code caFile}, as {@code pki issue} writes them) or a PKCS12
 * keystore with its password plus the CA. Blank values mean "not set" (templates default them to a space).
 */
public final class TlsSettings {

    private String certFile = "";
    private String keyFile = "";
    private String caFile = "";
    private String keyStore = "";
    private String keyStorePassword = "";
    private long reloadInterval = 5_000;

    public void setCertFile(String certFile) {
        this.certFile = certFile.strip();
    }

    public void setKeyFile(String keyFile) {
        this.keyFile = keyFile.strip();
    }

    public void setCaFile(String caFile) {
        this.caFile = caFile.strip();
    }

    public void setKeyStore(String keyStore) {
        this.keyStore = keyStore.strip();
    }

    public void setKeyStorePassword(String keyStorePassword) {
        this.keyStorePassword = keyStorePassword;
    }

    /** Milliseconds between looks at the certificate files for a renewal; 0 = never reload. */
    public void setReloadInterval(long reloadInterval) {
        this.reloadInterval = reloadInterval;
    }

    public long reloadInterval() {
        return reloadInterval;
    }

    /** The files, checked for completeness; {@code who} names the route in the error ("listener syslog-in"). */
    public TlsFiles files(String who) {
        if (caFile.isEmpty()) {
            throw new IllegalArgumentException(who + " needs caFile: the PEM CA certificate its peers must be"
                    + " signed by (pki init writes ca.crt)");
        }
        if (!keyStore.isEmpty()) {
            return new TlsFiles.Pkcs12(Path.of(keyStore), keyStorePassword, Path.of(caFile));
        }
        if (certFile.isEmpty() || keyFile.isEmpty()) {
            throw new IllegalArgumentException(who + " needs certFile and keyFile (PEM, as pki issue writes them)"
                    + " or keyStore and keyStorePassword (PKCS12)");
        }
        return new TlsFiles.Pem(Path.of(certFile), Path.of(keyFile), Path.of(caFile));
    }

    /** The file holding this side's certificate, for messages ("config/pki/web-1.crt"). */
    public String describeIdentity() {
        return keyStore.isEmpty() ? certFile : keyStore;
    }

    @Override
    public String toString() {
        return keyStore.isEmpty() ? "cert=" + certFile + ", key=" + keyFile + ", ca=" + caFile
                : "keyStore=" + keyStore + ", ca=" + caFile;
    }
}
