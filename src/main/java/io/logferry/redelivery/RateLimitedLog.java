package io.logferry.redelivery;

import org.slf4j.Logger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Writes a warning at most once per interval and key (a route id), and says how many were held back since the
 * last one: an outage that fails thousands of batches gives a readable log, not a flood, and still shows that
 * it goes on. The counts stay exact in the meters. Thread-safe.
 */
public final class RateLimitedLog {

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public RateLimitedLog(Logger log, long intervalMillis) {
        this(log, intervalMillis, System::nanoTime);
    }

    /* visible for testing */ RateLimitedLog(Logger log, long intervalMillis, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.nanoClock = nanoClock;
    }

    /** Logs the message at WARN unless one for this key was logged within the interval; then only counts it. */
    public void warn(String key, Supplier<String> message) {
        long held = windows.computeIfAbsent(key, k -> new Window()).pass(nanoClock.getAsLong(), intervalNanos);
        if (held >= 0) {
            String text = message.get();
            log.warn(held == 0 ? text : text + " (" + held + " more like this since the last report)");
        }
    }

    private static final class Window {
        private long lastNanos;
        private boolean logged;
        private long held;

        /** -1 when this one is held back, else how many were held back before it. */
        synchronized long pass(long now, long interval) {
            if (logged && now - lastNanos < interval) {
                held++;
                return -1;
            }
            long before = held;
            logged = true;
            lastNanos = now;
            held = 0;
            return before;
        }
    }
}
