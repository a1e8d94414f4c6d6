package io.logferry.listener;

import java.util.List;

/**
 * The frames one read of a connection produced: the body of one listener exchange. Batching by read keeps the
 * exchange rate low (DESIGN invariant 9) without holding frames back for a timer.
 *
 * @param connection where they came from (source identity, ack channel)
 * @param frames     the frames' contents, without framing
 * @param bytes      the contents' total length
 * @param endFrame   how many frames the connection had delivered when the last of these arrived; the ack
 *                   for this batch carries it
 */
public record ReceivedFrames(ListenerConnection connection, List<byte[]> frames, int bytes, long endFrame) {
}
