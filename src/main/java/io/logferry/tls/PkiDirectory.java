package io.logferry.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * The files of a logferry PKI in one directory (default {@code config/pki}):
 *
 * <pre>
 * ca.crt            CA certificate (PEM): every host trusts it
 * ca.key            CA private key (PEM PKCS#8, 0600): stays on the host that issues certificates
 * NAME.crt          host certificate chain (PEM): the host's certificate, then the CA
 * NAME.key          host private key (PEM PKCS#8, 0600)
 * NAME.p12          the same key and chain as a PKCS12 keystore, alias NAME (0600)
 * NAME.p12.pass     the keystore password, when it was generated (0600)
 * </pre>
 *
 * The PEM pair suits rsyslog and other peers, the PKCS12 keystore suits Java tools; {@link TlsFiles} loads either.
 */
public final class PkiDirectory {

    public static final Path DEFAULT = Path.of("config", "pki");
    private static final int GENERATED_PASSWORD_BYTES = 24;

    private final Path directory;

    public PkiDirectory(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    public Path caCertificate() {
        return directory.resolve("ca.crt");
    }

    public Path caKey() {
        return directory.resolve("ca.key");
    }

    public Path certificate(String commonName) {
        return directory.resolve(commonName + ".crt");
    }

    public Path key(String commonName) {
        return directory.resolve(commonName + ".key");
    }

    public Path keyStore(String commonName) {
        return directory.resolve(commonName + ".p12");
    }

    public Path keyStorePassword(String commonName) {
        return directory.resolve(commonName + ".p12.pass");
    }

    /** The PEM files of host {@code commonName}, trusting this directory's CA. */
    public TlsFiles pemFiles(String commonName) {
        return new TlsFiles.Pem(certificate(commonName), key(commonName), caCertificate());
    }

    /** Writes {@code ca.crt} and {@code ca.key}; refuses to replace them unless {@code force}. */
    public void writeAuthority(CertificateAuthority authority, boolean force) {
        PkiFiles.refuseOverwrite(List.of(caCertificate(), caKey()), force,
                "certificates issued by the old CA will no longer be trusted");
        PkiFiles.createDirectory(directory);
        PkiFiles.write(caKey(), Pem.privateKey(authority.privateKey(), authority.certificate().getPublicKey()), true);
        PkiFiles.write(caCertificate(), Pem.certificates(List.of(authority.certificate())), false);
    }

    /** Reads the CA written by {@link #writeAuthority}, to issue host certificates with it. */
    public CertificateAuthority readAuthority() {
        if (!Files.exists(caCertificate()) || !Files.exists(caKey())) {
            throw new TlsSetupException("no CA in " + directory + " (" + caCertificate().getFileName() + " and "
                    + caKey().getFileName() + " are needed); run 'logferry pki init --dir " + directory
                    + "' first, or pass the --dir that holds them");
        }
        List<X509Certificate> certificates = Pem.readCertificates(caCertificate(), "CA certificate");
        return CertificateAuthority.of(certificates.get(0), Pem.readPrivateKey(caKey()));
    }

    /**
     * Writes the PEM chain, PEM key and PKCS12 keystore of {@code issued} under {@code commonName} (its CN). With a null
     * {@code keyStorePassword} a random one is generated and written to {@code NAME.p12.pass}.
     *
     * @return the password of the keystore
     */
    public String writeHost(IssuedCertificate issued, String commonName, String keyStorePassword, boolean force) {
        boolean generate = keyStorePassword == null;
        List<Path> targets = generate
                ? List.of(certificate(commonName), key(commonName), keyStore(commonName), keyStorePassword(commonName))
                : List.of(certificate(commonName), key(commonName), keyStore(commonName));
        PkiFiles.refuseOverwrite(targets, force, "");
        if (!generate && keyStorePassword.isEmpty()) {
            throw new TlsSetupException("the PKCS12 password must not be empty; omit --p12-password to have one"
                    + " generated into " + keyStorePassword(commonName));
        }
        String password = generate ? generatePassword() : keyStorePassword;
        byte[] pkcs12 = pkcs12(issued, commonName, password);
        PkiFiles.createDirectory(directory);
        PkiFiles.write(key(commonName), Pem.privateKey(issued.privateKey(), issued.chain().get(0).getPublicKey()), true);
        PkiFiles.write(keyStore(commonName), pkcs12, true);
        if (generate) {
            PkiFiles.write(keyStorePassword(commonName), (password + "\n").getBytes(StandardCharsets.US_ASCII), true);
        } else {
            PkiFiles.delete(keyStorePassword(commonName)); // a stale generated password would now be wrong
        }
        PkiFiles.write(certificate(commonName), Pem.certificates(issued.chain()), false);
        return password;
    }

    private static byte[] pkcs12(IssuedCertificate issued, String alias, String password) {
        try {
            // The JDK's PKCS12 (AES-256 and HMAC-SHA256 since JDK 12) is read by OpenSSL 1.1.1 and later too.
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry(alias, issued.privateKey(), password.toCharArray(),
                    issued.chain().toArray(new X509Certificate[0]));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            keyStore.store(bytes, password.toCharArray());
            return bytes.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsSetupException("could not build the PKCS12 keystore for '" + alias + "': " + e.getMessage(), e);
        }
    }

    private static String generatePassword() {
        byte[] random = new byte[GENERATED_PASSWORD_BYTES];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
