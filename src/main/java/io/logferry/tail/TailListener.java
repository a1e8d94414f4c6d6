package io.logferry.tail;

/**
 * What the tail reports as it reads, for metrics. Called on the consumer's polling thread; must be quick.
 * Counts live with the listener, not the consumer, because Camel creates a new consumer when a route restarts.
 */
public interface TailListener {

    /** Does nothing: the default of a component nobody listens to. */
    TailListener NONE = (routeId, lines) -> { };

    /** {@code lines} lines longer than maxLineLength were cut to it ({@code longLines=truncate}). */
    void linesTruncated(String routeId, long lines);
}
