package io.logferry.testsupport.hec;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A random but replayable series of faults for a HEC pipeline: the same seed gives the same faults in the
 * same order with the same parameters. Each fault models what a real Splunk deployment does (an indexer
 * killed and restarted, a stuck indexing pipeline, a malformed event, a busy or resetting front end, slow
 * indexing, an outage longer than the shipper's retries) or what happens to the shipper itself (kill -9).
 */
public final class HecFaultSchedule {

    /** What can go wrong; the parameters of each step are drawn with the schedule's random. */
    public enum Kind {
        /** The indexer dies and comes back after {@code millis}: its channels and ack ids are forgotten. */
        INDEXER_RESTART,
        /** Requests are indexed but no ack turns true for {@code millis}. */
        ACKS_NEVER_TRUE,
        /** The next request has an invalid event at {@code count}; {@code flag}: the prefix is kept. */
        INVALID_EVENT,
        /** The next {@code count} requests get 503 "Server is busy". */
        BUSY,
        /** The next {@code count} requests lose their connection without an answer. */
        RESETS,
        /** Acks come {@code millis} late. */
        SLOW_ACKS,
        /** The next {@code count} requests are answered 200 and then lost before indexing. */
        LOST_BEFORE_INDEXING,
        /** The collector is down for {@code millis}, longer than the redelivery budget. */
        LONG_OUTAGE,
        /** logferry is killed with SIGKILL and started again. */
        KILL_SHIPPER
    }

    /** One fault: its kind and its parameters. */
    public record Step(Kind kind, long millis, int count, boolean flag) {
        @Override
        public String toString() {
            return switch (kind) {
                case INDEXER_RESTART, ACKS_NEVER_TRUE, SLOW_ACKS, LONG_OUTAGE -> kind + " " + millis + " ms";
                case INVALID_EVENT -> kind + " at " + count + (flag ? ", prefix indexed" : ", nothing indexed");
                case BUSY, RESETS, LOST_BEFORE_INDEXING -> kind + " x" + count;
                case KILL_SHIPPER -> kind.toString();
            };
        }
    }

    private HecFaultSchedule() {
    }

    /** {@code steps} faults drawn from {@code seed}; events per request bound the invalid event's position. */
    public static List<Step> of(long seed, int steps, int eventsPerRequest) {
        Random random = new Random(seed);
        Kind[] kinds = Kind.values();
        List<Step> schedule = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            Kind kind = kinds[random.nextInt(kinds.length)];
            schedule.add(switch (kind) {
                case INDEXER_RESTART -> new Step(kind, random.nextInt(2000), 0, false);
                case ACKS_NEVER_TRUE -> new Step(kind, 6000 + random.nextInt(3000), 0, false);
                case INVALID_EVENT -> new Step(kind, 0, random.nextInt(eventsPerRequest), random.nextBoolean());
                case BUSY, RESETS, LOST_BEFORE_INDEXING -> new Step(kind, 0, 1 + random.nextInt(5), false);
                case SLOW_ACKS -> new Step(kind, 500 + random.nextInt(3000), 0, false);
                case LONG_OUTAGE -> new Step(kind, 4000 + random.nextInt(3000), 0, false);
                case KILL_SHIPPER -> new Step(kind, 0, 0, false);
            });
        }
        return schedule;
    }
}
