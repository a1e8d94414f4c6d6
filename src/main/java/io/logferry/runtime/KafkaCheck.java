package io.logferry.runtime;

import io.logferry.kafka.KafkaClientSettings;
import io.logferry.kafka.KafkaProblems;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** For {@code logferry check}: a pipeline's Kafka cluster answers, with its security options, and has its topic. */
final class KafkaCheck {

    private static final long TIMEOUT_MILLIS = 10_000;

    private KafkaCheck() {
    }

    static void check(Map<String, String> p, String where, List<String> problems, List<String> warnings) {
        String servers = p.get("bootstrapServers");
        if (servers == null || servers.isBlank()) {
            return;
        }
        KafkaClientSettings client = settings(p);
        Properties props;
        try {
            props = client.toProperties(p.get("routeId"));
        } catch (IllegalArgumentException e) {
            problems.add(where + e.getMessage());
            return;
        }
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT_MILLIS));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT_MILLIS / 2));
        Admin admin = Admin.create(props);
        try {
            Set<String> topics = admin.listTopics().names().get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            String topic = p.getOrDefault("topic", "logs").strip();
            if (!topics.contains(topic)) {
                warnings.add(where + "topic " + topic + " does not exist at " + servers + " (create it, unless the"
                        + " cluster creates topics on first use)");
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                warnings.add(where + unanswered(servers));
                return;
            }
            String refusal = KafkaProblems.refusal(e.getCause(), client);
            problems.add(where + (refusal != null ? refusal : "Kafka at " + servers + " refused the check ("
                    + KafkaProblems.describe(e.getCause()) + "): check bootstrapServers and securityProtocol"));
        } catch (Exception e) {
            warnings.add(where + unanswered(servers));
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    private static String unanswered(String servers) {
        return "Kafka at " + servers + " does not answer within " + TIMEOUT_MILLIS / 1000 + " s (logferry would start"
                + " and wait for it): check bootstrapServers and securityProtocol, and that the cluster is up";
    }

    private static KafkaClientSettings settings(Map<String, String> p) {
        KafkaClientSettings client = new KafkaClientSettings();
        client.setBootstrapServers(p.get("bootstrapServers"));
        client.setSecurityProtocol(p.get("securityProtocol"));
        client.setCaFile(p.get("caFile"));
        client.setCertFile(p.get("certFile"));
        client.setKeyFile(p.get("keyFile"));
        client.setSaslMechanism(p.get("saslMechanism"));
        client.setSaslUsername(p.get("saslUsername"));
        client.setSaslPassword(p.get("saslPassword"));
        client.setProperties(p.get("kafkaProperties"));
        return client;
    }
}
