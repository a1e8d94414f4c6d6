package io.logferry.sink;

/**
 * The receiver refused the credentials (an invalid or disabled token). Retried like any passing problem,
 * because data must wait rather than be lost, but reported as unhealthy and logged once per outage.
 */
public class SinkAuthenticationException extends SinkRetryableException {

    public SinkAuthenticationException(String message) {
        super(message);
    }
}
