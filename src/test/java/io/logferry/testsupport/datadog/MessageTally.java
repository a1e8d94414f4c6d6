package io.logferry.testsupport.datadog;

import java.util.HashSet;
import java.util.Set;

/**
 * Counts distinct and repeated messages, comparing full message strings. Exact mode keeps the strings; the
 * compact mode (for benchmarks, which do not retain logs) keeps a 64-bit fingerprint per distinct message, where
 * a collision would count one distinct message as a duplicate: odds about n^2 / 2^65 for n messages.
 */
final class MessageTally {

    private final boolean exact;
    private final Set<Object> seen = new HashSet<>();
    private long distinct;
    private long duplicates;

    MessageTally(boolean exact) {
        this.exact = exact;
    }

    void count(String message) {
        if (seen.add(exact ? message : fingerprint(message))) {
            distinct++;
        } else {
            duplicates++;
        }
    }

    long distinct() {
        return distinct;
    }

    long duplicates() {
        return duplicates;
    }

    void clear() {
        seen.clear();
        distinct = 0;
        duplicates = 0;
    }

    /** FNV-1a over the chars, then MurmurHash3's 64-bit finalizer to spread similar strings apart. */
    static long fingerprint(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        h ^= s.length();
        h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
        h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
