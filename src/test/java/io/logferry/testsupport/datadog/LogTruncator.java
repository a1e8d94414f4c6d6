package io.logferry.testsupport.datadog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/**
 * Datadog's single-log limit: "Any log exceeding 1MB is accepted and truncated by Datadog" (Send logs,
 * https://docs.datadoghq.com/api/latest/logs/send-logs/). The page does not say which part is cut; this fake
 * cuts the end of the {@code message} until the log's compact JSON fits, which is what a test can check.
 */
final class LogTruncator {

    private final ObjectMapper json;
    private final int maxLogBytes;

    LogTruncator(ObjectMapper json, int maxLogBytes) {
        this.json = json;
        this.maxLogBytes = maxLogBytes;
    }

    /** Shortens the message of {@code log} until it fits; returns whether it had to. */
    boolean fit(ObjectNode log) throws JsonProcessingException {
        int size = size(log);
        if (size <= maxLogBytes) {
            return false;
        }
        String message = DatadogLog.messageOf(log);
        while (size > maxLogBytes && !message.isEmpty()) {
            byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
            int keep = Math.max(0, utf8.length - (size - maxLogBytes));
            message = prefix(message, keep);
            log.put("message", message);
            size = size(log); // escaping can make the JSON longer than the text: check again
        }
        return true;
    }

    private int size(ObjectNode log) throws JsonProcessingException {
        return json.writeValueAsBytes(log).length;
    }

    /** The longest prefix of {@code s} whose UTF-8 form has at most {@code bytes} bytes. */
    private static String prefix(String s, int bytes) {
        int used = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (used + len > bytes) {
                break;
            }
            used += len;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }
}
