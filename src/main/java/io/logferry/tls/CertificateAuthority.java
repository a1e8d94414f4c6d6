package io.logferry.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private certificate authority for logferry hosts, built with BouncyCastle (no {@code openssl} shell-outs).
 *
 * <p>Keys are EC P-256 with ECDSA-SHA256 signatures: 128-bit security like RSA-3072, but generated in milliseconds
 * instead of seconds, with much cheaper handshake signatures on a listener that accepts many forwarders, and
 * supported by every TLS 1.2/1.3 stack a peer may use (JDK, OpenSSL and GnuTLS builds of rsyslog). The CA is
 * self-signed with {@code basicConstraints CA:true, pathlen:0} (it signs host certificates only) and
 * {@code keyUsage keyCertSign, cRLSign}; host certificates get {@code CA:false}, {@code digitalSignature},
 * {@code clientAuth} or {@code serverAuth}, and the CN plus extra names as SANs. Serial numbers are random.
 *
 * <p>Signing and certificate conversion use the JDK's own providers: BouncyCastle is not registered as a
 * security provider, so it cannot change how the JDK's TLS stack behaves.
 */
public final class CertificateAuthority {

    /** Default CN of a CA made by {@code pki init}. */
    public static final String DEFAULT_NAME = "logferry CA";
    /** Default validity of a CA. */
    public static final int DEFAULT_DAYS = 3650;

    private static final String KEY_ALGORITHM = "EC";
    private static final String CURVE = "secp256r1";
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    /** 159 random bits: positive, at most 20 octets (RFC 5280 4.1.2.2), far more than the 64 bits CAs must use. */
    private static final int SERIAL_BITS = 159;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /** A new CA with a fresh key, named {@code commonName} (any text). */
    public static CertificateAuthority create(String commonName, Validity validity) {
        return create(name(commonName), validity);
    }

    private static CertificateAuthority create(X500Name subject, Validity validity) {
        KeyPair keys = newKeyPair();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serialNumber(),
                    Date.from(validity.notBefore()), Date.from(validity.notAfter()), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new TlsSetupException("could not create CA '" + subject + "': " + e.getMessage(), e);
        }
    }

    /**
     * A second, independent CA with the same name as {@code genuine} but its own key: what a forged CA looks like.
     * Certificates it issues must be refused by anyone trusting {@code genuine}.
     */
    public static CertificateAuthority impostorOf(CertificateAuthority genuine) {
        X500Name sameName = X500Name.getInstance(genuine.certificate.getSubjectX500Principal().getEncoded());
        return create(sameName, Validity.days(DEFAULT_DAYS));
    }

    /** A CA from its certificate and key, checking they belong together and the certificate is a CA. */
    public static CertificateAuthority of(X509Certificate certificate, PrivateKey privateKey) {
        if (certificate.getBasicConstraints() < 0) {
            throw new TlsSetupException("certificate '" + certificate.getSubjectX500Principal().getName()
                    + "' is not a CA certificate (basicConstraints CA:false); use the ca.crt written by 'pki init'");
        }
        if (!KeyMatch.matches(privateKey, certificate.getPublicKey())) {
            throw new TlsSetupException("the CA key does not belong to CA certificate '"
                    + certificate.getSubjectX500Principal().getName() + "'; use the ca.key written with that ca.crt");
        }
        return new CertificateAuthority(certificate, privateKey);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** Issues a host certificate with a fresh key pair, signed by this CA. */
    public IssuedCertificate issue(CertificateRequest request) {
        KeyPair keys = newKeyPair();
        try {
            X509Certificate leaf = sign(hostCertificate(request, keys.getPublic()), privateKey);
            return new IssuedCertificate(keys.getPrivate(), List.of(leaf, certificate));
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new TlsSetupException("could not issue a certificate for '" + request.commonName() + "': "
                    + e.getMessage(), e);
        }
    }

    private X509v3CertificateBuilder hostCertificate(CertificateRequest request, PublicKey publicKey)
            throws GeneralSecurityException, CertIOException {
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        KeyPurposeId purpose = request.usage() == CertificateRequest.Usage.SERVER
                ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth;
        GeneralName[] names = request.subjectAltNames().stream()
                .map(name -> new GeneralName(CertificateRequest.isIpAddress(name)
                        ? GeneralName.iPAddress : GeneralName.dNSName, name))
                .toArray(GeneralName[]::new);
        return new JcaX509v3CertificateBuilder(certificate, serialNumber(),
                Date.from(request.validity().notBefore()), Date.from(request.validity().notAfter()),
                name(request.commonName()), publicKey)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey))
                .addExtension(Extension.authorityKeyIdentifier, false,
                        extensions.createAuthorityKeyIdentifier(certificate));
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signer)));
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    private static BigInteger serialNumber() {
        return new BigInteger(SERIAL_BITS, RANDOM).setBit(SERIAL_BITS - 1);
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(KEY_ALGORITHM);
            generator.initialize(new ECGenParameterSpec(CURVE), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("this JVM cannot generate " + CURVE + " keys: " + e.getMessage(), e);
        }
    }
}
