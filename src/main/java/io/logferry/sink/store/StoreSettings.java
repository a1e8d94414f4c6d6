package io.logferry.sink.store;

/**
 * What the writer was configured with, handed to its dialect. {@link #toString()} and {@link #describe()}
 * never show the password.
 *
 * @param url                 JDBC URL of the store
 * @param user                database user, or null for the driver's default (PostgreSQL only)
 * @param password            that user's password, or null (PostgreSQL only)
 * @param synchronous         SQLite {@code synchronous} setting (SQLite only)
 * @param connectTimeoutMillis how long to wait for a connection (PostgreSQL only)
 */
record StoreSettings(String url, String user, String password, String synchronous, long connectTimeoutMillis) {

    /** The URL with any {@code password=} parameter masked, plus the user: safe for messages and logs. */
    String describe() {
        String shown = redact(url);
        return user == null ? shown : shown + " (user " + user + ")";
    }

    /** Masks the value of every URL parameter whose name ends in "password" (password, sslpassword). */
    static String redact(String url) {
        return url == null ? null : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    @Override
    public String toString() {
        return "StoreSettings[" + describe() + ", password " + (password == null ? "not set" : "set")
                + ", synchronous=" + synchronous + ", connectTimeoutMillis=" + connectTimeoutMillis + "]";
    }
}
