package io.logferry.testsupport.datadog;

import java.util.ArrayList;
import java.util.List;

/**
 * The logs the fake accepted, in arrival order, a request's logs together. Besides (or, for benchmarks,
 * instead of) keeping them, it counts them and their distinct and repeated messages.
 */
final class ReceivedLogs {

    private final boolean retain;
    private final List<DatadogLog> logs = new ArrayList<>();
    private final MessageTally tally;
    private long count;
    private long outsideWindow;
    private long truncated;

    ReceivedLogs(boolean retain) {
        this.retain = retain;
        this.tally = new MessageTally(retain);
    }

    synchronized void add(List<DatadogLog> batch) {
        for (DatadogLog log : batch) {
            tally.count(log.message());
            outsideWindow += log.withinSubmissionWindow() ? 0 : 1;
            truncated += log.truncated() ? 1 : 0;
        }
        count += batch.size();
        if (retain) {
            logs.addAll(batch);
        }
    }

    synchronized List<DatadogLog> logs() {
        requireRetained();
        return List.copyOf(logs);
    }

    synchronized List<String> messages() {
        requireRetained();
        return logs.stream().map(DatadogLog::message).toList();
    }

    synchronized long count() {
        return count;
    }

    synchronized long distinct() {
        return tally.distinct();
    }

    synchronized long duplicates() {
        return tally.duplicates();
    }

    synchronized long outsideWindow() {
        return outsideWindow;
    }

    synchronized long truncated() {
        return truncated;
    }

    synchronized void clear() {
        logs.clear();
        tally.clear();
        count = 0;
        outsideWindow = 0;
        truncated = 0;
    }

    private void requireRetained() {
        if (!retain) {
            throw new IllegalStateException("this server counts logs without keeping them (retainLogs(false))");
        }
    }
}
