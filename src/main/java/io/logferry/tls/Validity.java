package io.logferry.tls;

import java.time.Duration;
import java.time.Instant;

/**
 * When a certificate is valid. {@link #days} starts five minutes in the past, so a peer whose clock runs a little
 * behind does not refuse a certificate issued a moment ago; {@link #between} takes any interval, including one
 * entirely in the past, which is how tests make an expired certificate.
 */
public record Validity(Instant notBefore, Instant notAfter) {

    /** Tolerance for peers whose clock is behind ours. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    public Validity {
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("validity must end after it starts: " + notBefore + " .. " + notAfter);
        }
    }

    /** Valid from now (less {@link #CLOCK_SKEW}) for {@code days} days. */
    public static Validity days(int days) {
        if (days < 1) {
            throw new IllegalArgumentException("validity must be at least 1 day, got " + days);
        }
        Instant now = Instant.now();
        return new Validity(now.minus(CLOCK_SKEW), now.plus(Duration.ofDays(days)));
    }

    public static Validity between(Instant notBefore, Instant notAfter) {
        return new Validity(notBefore, notAfter);
    }
}
