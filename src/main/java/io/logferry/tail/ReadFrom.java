package io.logferry.tail;

/** Where the tail starts in a file it has no offset for and that existed when the route started. */
public enum ReadFrom {
    /** From the first byte. */
    head,
    /** From the current end: only lines written after start-up are shipped. */
    tail
}
