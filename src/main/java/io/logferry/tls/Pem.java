package io.logferry.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM text for certificates and PKCS#8 private keys, read with errors that name the file and the fix.
 *
 * <p>Keys are written as unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}), protected by file mode 0600, because
 * that is what rsyslog (GnuTLS and OpenSSL) and most other peers read without a passphrase prompt. Reading also
 * accepts OpenSSL's traditional {@code BEGIN EC PRIVATE KEY} / {@code BEGIN RSA PRIVATE KEY} forms.
 */
final class Pem {

    private Pem() {
    }

    /** The certificates as consecutive {@code CERTIFICATE} blocks, in the order given. */
    static byte[] certificates(List<X509Certificate> certificates) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(new PemObject("CERTIFICATE", certificate.getEncoded()));
            }
        } catch (IOException | CertificateException e) {
            throw new TlsSetupException("could not encode a certificate as PEM: " + e.getMessage(), e);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The key as one unencrypted PKCS#8 {@code PRIVATE KEY} block. An EC key carries its public key inside
     * (RFC 5915's optional {@code publicKey} field): the JDK leaves it out, and GnuTLS (rsyslog's {@code gtls}
     * driver, certtool) refuses such a key with "ASN1 parser: Element was not found".
     */
    static byte[] privateKey(PrivateKey key, PublicKey publicKey) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject("PRIVATE KEY", pkcs8(key, publicKey)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] pkcs8(PrivateKey key, PublicKey publicKey) throws IOException {
        if (!(key instanceof java.security.interfaces.ECPrivateKey ec)) {
            return key.getEncoded();
        }
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        DERBitString point = new DERBitString(SubjectPublicKeyInfo.getInstance(publicKey.getEncoded())
                .getPublicKeyData().getBytes());
        int orderBits = ec.getParams().getOrder().bitLength();
        // parameters stay in the PKCS#8 algorithm identifier; the inner structure names only the public key
        ECPrivateKey inner = new ECPrivateKey(orderBits, ec.getS(), point, null);
        return new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), inner).getEncoded();
    }

    /**
     * Every certificate in {@code file}, in file order; other PEM blocks are skipped.
     *
     * @param what what the file should be, for the message, e.g. "certificate chain"
     */
    static List<X509Certificate> readCertificates(Path file, String what) {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        PEMParser parser = parser(file, what);
        try (parser) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                if (block instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw notPem(file, what, "-----BEGIN CERTIFICATE-----", e);
        }
        if (certificates.isEmpty()) {
            throw notPem(file, what, "-----BEGIN CERTIFICATE-----", null);
        }
        return certificates;
    }

    /** The one private key in {@code file}. */
    static PrivateKey readPrivateKey(Path file) {
        String what = "private key";
        List<PrivateKey> keys = new ArrayList<>();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        PEMParser parser = parser(file, what);
        try (parser) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                if (block instanceof PKCS8EncryptedPrivateKeyInfo || block instanceof PEMEncryptedKeyPair) {
                    throw new TlsSetupException("private key " + file + " is encrypted, which logferry does not read;"
                            + " store it unencrypted with mode 0600, or use the PKCS12 keystore with its password");
                }
                if (block instanceof PrivateKeyInfo info) {
                    keys.add(converter.getPrivateKey(info));
                } else if (block instanceof PEMKeyPair pair) {
                    keys.add(converter.getKeyPair(pair).getPrivate());
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof TlsSetupException setup) {
                throw setup;
            }
            throw notPem(file, what, "-----BEGIN PRIVATE KEY-----", e);
        }
        if (keys.size() != 1) {
            throw keys.isEmpty() ? notPem(file, what, "-----BEGIN PRIVATE KEY-----", null)
                    : new TlsSetupException("private key file " + file + " holds " + keys.size()
                            + " keys; keep only the key of this host's certificate");
        }
        return keys.get(0);
    }

    private static PEMParser parser(Path file, String what) {
        try {
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            return new PEMParser(new StringReader(text));
        } catch (NoSuchFileException e) {
            throw new TlsSetupException(what + " file " + file + " does not exist; check the path, or create it"
                    + " with 'logferry pki init' (CA) or 'logferry pki issue --cn NAME' (hosts)", e);
        } catch (IOException e) {
            throw new TlsSetupException("cannot read " + what + " file " + file + ": " + e.getMessage()
                    + "; check that it is a readable file", e);
        }
    }

    private static TlsSetupException notPem(Path file, String what, String expected, Exception cause) {
        return new TlsSetupException(what + " file " + file + " holds no PEM " + what + " (expected a block starting"
                + " with " + expected + (cause == null ? "" : "; " + cause.getMessage()) + "); if it is DER or"
                + " PKCS12, convert it to PEM or use the PKCS12 options", cause);
    }
}
