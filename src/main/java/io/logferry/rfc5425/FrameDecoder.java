package io.logferry.rfc5425;

/** What a frame decoder tells about the frame it is in the middle of; ask on the channel's event loop. */
public interface FrameDecoder {

    /** True while bytes of a frame not yet complete are held (a count prefix, a partial frame or line). */
    boolean inFrame();
}
