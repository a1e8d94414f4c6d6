package io.logferry.kafka;

import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

import javax.net.ssl.SSLException;

/**
 * Kafka client failures said so that an operator knows what to fix: the client wraps the real reason (a refused
 * certificate, a wrong password, a missing right) a few causes deep, under messages such as "Failed to process
 * post-handshake messages".
 */
public final class KafkaProblems {

    private KafkaProblems() {
    }

    /** What to fix when the cluster refused this client's TLS, login or rights; null for any other failure. */
    public static String refusal(Throwable e, KafkaClientSettings client) {
        String where = "Kafka at " + client.bootstrapServers();
        Throwable sasl = find(e, SaslAuthenticationException.class);
        if (sasl != null) {
            return where + " refused the SASL " + client.saslMechanism() + " login of user " + client.saslUsername()
                    + " (" + describe(sasl) + "): check saslUsername, saslPassword and saslMechanism";
        }
        Throwable tls = find(e, SslAuthenticationException.class);
        tls = tls != null ? tls : find(e, SSLException.class);
        if (tls != null) {
            return where + " refused this client's TLS handshake (" + describe(tls) + "): the brokers must trust"
                    + " the certificate in certFile (with its keyFile), and caFile must hold the CA of theirs";
        }
        Throwable denied = find(e, AuthorizationException.class);
        if (denied != null) {
            return where + " refused access (" + describe(denied) + "): the client's user needs Describe and Write on"
                    + " the topic, Write on its transactional id and Create or Write on the offsets topic (a loader:"
                    + " Read on the topic and its consumer group)";
        }
        return null;
    }

    /** {@link #refusal} when it is one, else the failure and its deepest cause in one line. */
    public static String explain(Throwable e, KafkaClientSettings client) {
        String refusal = refusal(e, client);
        return refusal != null ? refusal : describe(e);
    }

    /** True when the cluster did not answer in time (Kafka's or the JDK's timeout, however wrapped). */
    public static boolean timedOut(Throwable e) {
        return find(e, org.apache.kafka.common.errors.TimeoutException.class) != null
                || find(e, java.util.concurrent.TimeoutException.class) != null;
    }

    /** The failure in one line, with its deepest cause when the client wrapped it. */
    public static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getClass().getSimpleName() + ": " + e.getMessage();
        return root == e ? text : text + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    private static Throwable find(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }
}
