package io.logferry.batch;

/**
 * What a batch answers to once its sink is done with it: a file range whose offset may move, or dead letters
 * being replayed that may be removed. Completed once, from any thread, by the completion of the exchange that
 * reached the sink (DESIGN invariant 1).
 */
public interface Confirmation {

    /** The sink confirmed every line this stands for, or the dead-letter store durably kept them. */
    void delivered();

    /** Delivery failed: the lines are neither confirmed nor lost, and are sent again later. */
    void failed();
}
