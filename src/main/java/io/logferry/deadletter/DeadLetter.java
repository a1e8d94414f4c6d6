package io.logferry.deadletter;

import io.logferry.batch.LogLine;

/**
 * One line a sink could not deliver and will not retry: the line with its origin key, where it was going and
 * why it was refused. Durably written, it counts as delivered for the line's offset (DESIGN invariant 1).
 *
 * @param routeId  the route that read the line
 * @param sink     the endpoint that refused it, e.g. {@code hec:https://splunk:8088/services/collector/event}
 * @param line     the line and its origin (source, file fingerprint, byte offset)
 * @param attempts how many times delivery was tried
 * @param reason   the sink's reason, as it gave it
 */
public record DeadLetter(String routeId, String sink, LogLine line, int attempts, String reason) {
}
