package io.logferry.runtime;

import java.util.ArrayList;
import java.util.List;

/** Turns a start-up exception chain into one readable sentence: each distinct message, outermost first. */
final class StartupFailure {

    private StartupFailure() {
    }

    static String describe(Throwable error) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = error; t != null && messages.size() < 6; t = t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
            if (messages.stream().noneMatch(m -> m.contains(message))) {
                messages.add(message);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return String.join("\n  caused by: ", messages);
    }
}
