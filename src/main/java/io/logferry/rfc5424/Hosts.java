package io.logferry.rfc5424;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Host name checks shared by the listener and the forwarder. */
public final class Hosts {

    private Hosts() {
    }

    /** True when {@code host} resolves to a loopback address (where plaintext may be allowed). */
    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
