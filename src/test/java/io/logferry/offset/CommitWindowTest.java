package io.logferry.offset;

import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommitWindowTest {

    private MemoryStateRepository repository;
    private InflightBudget budget;
    private CommitWindow window;

    @BeforeEach
    void setUp() {
        repository = new MemoryStateRepository();
        budget = new InflightBudget(1000);
        window = new CommitWindow("route/abc", 0, repository, budget);
    }

    @Test
    void commitsOnlyContiguousPrefixWhenAcksArriveOutOfOrder() {
        PendingRange r1 = window.open(0, 10);
        PendingRange r2 = window.open(10, 20);
        PendingRange r3 = window.open(20, 30);
        PendingRange r4 = window.open(30, 45);

        // r3 first: r1 and r2 are still in flight, nothing moves
        r3.delivered();
        assertThat(window.committed()).isZero();
        assertThat(repository.getState("route/abc")).isNull();

        // r1: the prefix is r1 only
        r1.delivered();
        assertThat(window.committed()).isEqualTo(10);
        assertThat(repository.getState("route/abc")).isEqualTo("10");

        // r2 closes the gap: r2 and r3 commit together
        r2.delivered();
        assertThat(window.committed()).isEqualTo(30);
        assertThat(window.pendingRanges()).isEqualTo(1);

        r4.delivered();
        assertThat(window.committed()).isEqualTo(45);
        assertThat(repository.getState("route/abc")).isEqualTo("45");
        assertThat(window.pendingRanges()).isZero();
        assertThat(budget.used()).isZero();
    }

    @Test
    void failedRangeKeepsOffsetAndAsksForRewindToCommittedOffset() {
        PendingRange r1 = window.open(0, 10);
        PendingRange r2 = window.open(10, 20);
        PendingRange r3 = window.open(20, 30);
        r1.delivered();

        r2.failed();
        assertThat(window.rewindRequested()).isTrue();
        // a later success from before the rewind must not move the offset past the failed range
        r3.delivered();
        assertThat(window.committed()).isEqualTo(10);
        assertThat(repository.getState("route/abc")).isEqualTo("10");

        // while the rewind is pending, no new range can be opened
        assertThat(window.open(30, 40)).isNull();

        assertThat(window.rewind()).isEqualTo(10);
        assertThat(window.rewindRequested()).isFalse();
        PendingRange again = window.open(10, 30);
        again.delivered();
        assertThat(window.committed()).isEqualTo(30);
        assertThat(budget.used()).isZero();
    }

    @Test
    void rewindWaitsUntilEveryRangeSentBeforeTheFailureHasEnded() {
        PendingRange r1 = window.open(0, 10);
        PendingRange r2 = window.open(10, 20);
        PendingRange r3 = window.open(20, 30);
        r2.delivered(); // ended before the failure: nothing to wait for

        r1.failed();
        assertThat(window.rewindRequested()).isTrue();
        // r3 is still being retried by its own redelivery: reading it again now would send a second copy
        assertThat(window.rewindReady()).isFalse();
        assertThat(window.staleInFlight()).isEqualTo(1);

        r3.failed();
        assertThat(window.rewindReady()).isTrue();
        assertThat(window.rewind()).isZero();
        assertThat(budget.used()).isZero();
    }

    @Test
    void staleRangesOfTwoRewindsAreEachAwaitedOnce() {
        PendingRange r1 = window.open(0, 10);
        PendingRange r2 = window.open(10, 20);
        r1.failed();
        r2.delivered();
        window.rewind();
        PendingRange a = window.open(0, 10);
        PendingRange b = window.open(10, 20);
        a.failed();
        assertThat(window.rewindReady()).isFalse();
        b.delivered();
        assertThat(window.rewindReady()).isTrue();
        assertThat(window.staleInFlight()).isZero();
    }

    @Test
    void rangesConfirmedAfterAFailedOneAreRememberedUntilCommitted() {
        PendingRange r1 = window.open(0, 10);
        PendingRange r2 = window.open(10, 20);
        PendingRange r3 = window.open(20, 30);
        PendingRange r4 = window.open(30, 40);
        r2.delivered();
        r1.failed();
        r4.delivered(); // ended after the failure, still delivered
        r3.failed();

        assertThat(window.deliveredAhead()).containsExactly(new long[] {10, 20}, new long[] {30, 40});
        window.rewind();
        window.open(0, 40).delivered();
        assertThat(window.committed()).isEqualTo(40);
        assertThat(window.deliveredAhead()).isEmpty();
    }

    @Test
    void oldestUnconfirmedByteKeepsItsAgeAcrossARewind() {
        assertThat(window.unconfirmedSinceNanos()).isZero();
        long before = System.nanoTime();
        PendingRange r1 = window.open(0, 10);
        long since = window.unconfirmedSinceNanos();
        assertThat(since - before).isGreaterThanOrEqualTo(0);
        PendingRange r2 = window.open(10, 20);
        assertThat(window.unconfirmedSinceNanos()).isEqualTo(since);

        r1.failed();
        r2.failed();
        window.rewind();
        // the same bytes read again have waited since they were first read
        PendingRange again = window.open(0, 20);
        assertThat(window.unconfirmedSinceNanos()).isEqualTo(since);
        PendingRange later = window.open(20, 30);

        again.delivered();
        assertThat(window.unconfirmedSinceNanos()).isNotZero();
        assertThat(window.unconfirmedSinceNanos() - since).isGreaterThanOrEqualTo(0);
        later.delivered();
        assertThat(window.unconfirmedSinceNanos()).isZero();
    }

    @Test
    void completingARangeTwiceCountsOnce() {
        PendingRange r1 = window.open(0, 10);
        r1.delivered();
        r1.failed();
        r1.delivered();
        assertThat(window.committed()).isEqualTo(10);
        assertThat(window.rewindRequested()).isFalse();
        assertThat(budget.used()).isZero();
    }

    @Test
    void budgetCountsBytesInFlightUntilTheyComplete() {
        InflightBudget small = new InflightBudget(25);
        CommitWindow w = new CommitWindow("k", 0, repository, small);
        PendingRange r1 = w.open(0, 20);
        assertThat(small.hasRoom()).isTrue();
        PendingRange r2 = w.open(20, 30);
        assertThat(small.hasRoom()).isFalse();
        r2.failed();
        r1.delivered(); // stale after the rewind, but its bytes are no longer in flight
        assertThat(small.used()).isZero();
        assertThat(small.hasRoom()).isTrue();
    }

    @Test
    void readerWaitingForRoomWakesWhenTheSinkConfirms() throws Exception {
        InflightBudget small = new InflightBudget(10);
        CommitWindow w = new CommitWindow("k", 0, repository, small);
        PendingRange r1 = w.open(0, 10);
        assertThat(small.awaitRoom(1)).isFalse();
        java.util.concurrent.CompletableFuture<Boolean> waiting =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return small.awaitRoom(10_000);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
        r1.delivered();
        assertThat(waiting.get(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void rangesMustBeContiguous() {
        window.open(0, 10);
        assertThatThrownBy(() -> window.open(11, 20))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not follow");
    }

    @Test
    void startsFromASavedOffset() {
        CommitWindow resumed = new CommitWindow("k", 500, repository, budget);
        assertThat(resumed.nextStart()).isEqualTo(500);
        resumed.open(500, 600).delivered();
        assertThat(repository.getState("k")).isEqualTo("600");
    }
}
