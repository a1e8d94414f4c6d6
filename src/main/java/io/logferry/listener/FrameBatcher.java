package io.logferry.listener;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the frames the decoder produced during one read of the socket and passes them on as one
 * {@link ReceivedFrames}, when the read is complete. One per channel.
 */
final class FrameBatcher extends ChannelInboundHandlerAdapter {

    private List<byte[]> frames = new ArrayList<>();
    private int bytes;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof byte[] frame) {
            frames.add(frame);
            bytes += frame.length;
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!frames.isEmpty()) {
            ListenerConnection connection = ctx.channel().attr(ListenerConnection.KEY).get();
            if (connection == null) {
                // frames before the handshake finished cannot happen with TLS; without TLS the guard sets it first
                ctx.close();
                return;
            }
            ReceivedFrames batch = connection.received(frames, bytes);
            frames = new ArrayList<>(Math.max(16, frames.size()));
            bytes = 0;
            ctx.fireChannelRead(batch);
        }
        ctx.fireChannelReadComplete();
    }
}
