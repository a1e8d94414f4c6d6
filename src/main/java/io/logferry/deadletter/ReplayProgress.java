package io.logferry.deadletter;

/**
 * How a replay request stands.
 *
 * @param delivered letters resent and confirmed, so removed from the store
 * @param failed    letters whose replay failed or that were refused again: they stay, with one attempt more
 * @param waiting   letters not yet resent (their route runs in the logferry that owns the store)
 */
public record ReplayProgress(long delivered, long failed, long waiting) {
}
