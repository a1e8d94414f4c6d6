package io.logferry.deadletter;

import java.time.Instant;

/** A dead letter as read back from the store, with its id and the time it was written. */
public record StoredDeadLetter(long id, Instant createdAt, DeadLetter letter) {
}
