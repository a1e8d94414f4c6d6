package io.logferry.deadletter;

/** A replay an operator asked for: its id (kept on the records) and how many letters it queued. */
public record ReplayRequest(String id, long queued) {
}
