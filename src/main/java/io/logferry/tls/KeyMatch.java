package io.logferry.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Whether a private key belongs to a certificate's public key: sign a challenge, verify it. This works for every
 * key type the JDK signs with, where comparing key parameters would need code per algorithm.
 */
final class KeyMatch {

    private static final byte[] CHALLENGE = "logferry key match".getBytes(StandardCharsets.US_ASCII);

    private KeyMatch() {
    }

    /** True when they match; also true for key types this check does not know, which the handshake then tests. */
    static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = signatureAlgorithm(privateKey.getAlgorithm());
        if (algorithm == null) {
            return true;
        }
        if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(CHALLENGE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(CHALLENGE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String signatureAlgorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "EdDSA", "Ed25519", "Ed448" -> keyAlgorithm;
            default -> null;
        };
    }
}
