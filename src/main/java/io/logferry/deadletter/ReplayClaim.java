package io.logferry.deadletter;

import java.util.List;

/** Dead letters one route took for one replay batch; the claim id marks them in the store until it completes. */
public record ReplayClaim(String id, List<StoredDeadLetter> letters) {

    public boolean isEmpty() {
        return letters.isEmpty();
    }
}
