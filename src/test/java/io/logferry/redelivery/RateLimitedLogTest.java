package io.logferry.redelivery;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** One warning per key and interval, and the next one says how many were held back. */
class RateLimitedLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("rate-limited-log-test");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final AtomicLong now = new AtomicLong();

    @BeforeEach
    void attach() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
    }

    @Test
    void holdsBackRepeatsWithinTheIntervalAndCountsThemInTheNextReport() {
        RateLimitedLog log = new RateLimitedLog(logger, 10_000, now::get);
        for (int i = 0; i < 5; i++) {
            log.warn("route-a", () -> "failed");
        }
        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("failed");

        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        log.warn("route-a", () -> "failed again");

        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("failed", "failed again (4 more like this since the last report)");
    }

    @Test
    void eachKeyHasItsOwnInterval() {
        RateLimitedLog log = new RateLimitedLog(logger, 10_000, now::get);
        log.warn("route-a", () -> "a");
        log.warn("route-b", () -> "b");
        log.warn("route-a", () -> "a2");

        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("a", "b");
    }
}
