package io.logferry.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * Loads {@link TlsFiles} into in-memory key stores and checks them now, at start-up, so a mistake is reported with
 * the file and the fix instead of surfacing as a failed handshake (or, with Camel's own loader, as an empty
 * keystore: {@code KeyStoreParameters} only logs a warning when its resource is missing).
 */
public final class TlsIdentityLoader {

    /** A host's key and chain in a key store, with the password that unlocks the key. */
    record Identity(KeyStore keyStore, String password) {
    }

    private TlsIdentityLoader() {
    }

    /** Loads the identity and the trusted CA as a start would, throwing {@link TlsSetupException} naming the fix. */
    public static void check(TlsFiles files) {
        identity(files);
        trust(files.trustedCa());
    }

    static Identity identity(TlsFiles files) {
        // Java 17 has no pattern matching in switch yet; the interface is sealed to these two.
        return files instanceof TlsFiles.Pem pem ? fromPem(pem) : fromPkcs12((TlsFiles.Pkcs12) files);
    }

    /** A key store holding only the CA certificates of {@code caFile}, each checked to be a CA. */
    static KeyStore trust(Path caFile) {
        List<X509Certificate> authorities = Pem.readCertificates(caFile, "CA certificate");
        try {
            KeyStore trust = emptyKeyStore();
            for (int i = 0; i < authorities.size(); i++) {
                X509Certificate authority = authorities.get(i);
                if (authority.getBasicConstraints() < 0) {
                    throw new TlsSetupException("CA file " + caFile + " holds '"
                            + authority.getSubjectX500Principal().getName() + "', which is not a CA certificate;"
                            + " point the CA option at the ca.crt written by 'logferry pki init'");
                }
                trust.setCertificateEntry("ca-" + i, authority);
            }
            return trust;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsSetupException("cannot use CA file " + caFile + ": " + e.getMessage(), e);
        }
    }

    private static Identity fromPem(TlsFiles.Pem pem) {
        List<X509Certificate> chain = Pem.readCertificates(pem.certificateChain(), "certificate chain");
        PrivateKey key = Pem.readPrivateKey(pem.privateKey());
        check(chain, key, pem.certificateChain(), pem.privateKey());
        // The key only lives in memory; a random password satisfies the KeyStore API.
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getEncoder().encodeToString(random);
        try {
            KeyStore keyStore = emptyKeyStore();
            keyStore.setKeyEntry("host", key, password.toCharArray(), chain.toArray(new Certificate[0]));
            return new Identity(keyStore, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsSetupException("cannot use key " + pem.privateKey() + " with certificate "
                    + pem.certificateChain() + ": " + e.getMessage(), e);
        }
    }

    private static Identity fromPkcs12(TlsFiles.Pkcs12 files) {
        Path file = files.keyStore();
        String password = files.password() == null ? "" : files.password();
        KeyStore keyStore;
        try (InputStream in = Files.newInputStream(file)) {
            keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password.toCharArray());
        } catch (NoSuchFileException e) {
            throw new TlsSetupException("PKCS12 keystore " + file + " does not exist; check the path, or create it"
                    + " with 'logferry pki issue --cn NAME'", e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new TlsSetupException("wrong password for PKCS12 keystore " + file + "; use the password it"
                        + " was written with (for 'logferry pki issue' without --p12-password: NAME.p12.pass)", e);
            }
            throw new TlsSetupException("PKCS12 keystore " + file + " cannot be read (" + e.getMessage() + "); it"
                    + " must be a PKCS12 (.p12) file, use the PEM options for .crt/.key files", e);
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("PKCS12 keystore " + file + " cannot be read: " + e.getMessage(), e);
        }
        try {
            List<String> keys = Collections.list(keyStore.aliases()).stream()
                    .filter(alias -> isKeyEntry(keyStore, alias)).toList();
            if (keys.size() != 1) {
                throw new TlsSetupException("PKCS12 keystore " + file + " holds " + keys.size() + " private keys;"
                        + " it must hold exactly one, the key of this host's certificate");
            }
            PrivateKey key = (PrivateKey) keyStore.getKey(keys.get(0), password.toCharArray());
            List<X509Certificate> chain = Arrays.stream(keyStore.getCertificateChain(keys.get(0)))
                    .map(X509Certificate.class::cast).toList();
            check(chain, key, file, file);
            return new Identity(keyStore, password);
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("the key in PKCS12 keystore " + file + " cannot be read with the keystore"
                    + " password (" + e.getMessage() + "); write the key with the same password as the keystore", e);
        }
    }

    /** The key must belong to the first certificate, which must be valid now. */
    private static void check(List<X509Certificate> chain, PrivateKey key, Path chainFile, Path keyFile) {
        X509Certificate leaf = chain.get(0);
        String subject = leaf.getSubjectX500Principal().getName();
        if (!KeyMatch.matches(key, leaf.getPublicKey())) {
            throw new TlsSetupException("private key " + keyFile + " does not belong to certificate '" + subject
                    + "' in " + chainFile + "; use the .key file written together with that .crt");
        }
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new TlsSetupException("certificate '" + subject + "' in " + chainFile + " expired on "
                    + leaf.getNotAfter().toInstant() + "; issue a new one with 'logferry pki issue --cn NAME --force'",
                    e);
        } catch (CertificateNotYetValidException e) {
            throw new TlsSetupException("certificate '" + subject + "' in " + chainFile + " is not valid before "
                    + leaf.getNotBefore().toInstant() + "; check this host's clock", e);
        }
    }

    private static boolean isKeyEntry(KeyStore keyStore, String alias) {
        try {
            return keyStore.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static KeyStore emptyKeyStore() throws GeneralSecurityException, IOException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        return keyStore;
    }
}
