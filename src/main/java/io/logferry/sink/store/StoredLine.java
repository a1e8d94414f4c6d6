package io.logferry.sink.store;

import io.logferry.rfc5424.Rfc5424Record;

/**
 * Where the structured data and the message of a parsed line sit inside its raw text, as SQLite
 * {@code substr} positions (1-based, counted in code points), so the store keeps the text only once.
 *
 * @param sdStart   position of the first '[' of the structured data, or null when it is NILVALUE
 * @param sdLength  length of the structured data in code points, or null
 * @param msgStart  position of the message's first character, or null when there is no message
 */
record StoredLine(Integer sdStart, Integer sdLength, Integer msgStart) {

    static StoredLine of(String raw, Rfc5424Record record) {
        // the message is a suffix of the line; a BOM the parser removed sits just before it
        int msgIndex = record.message() == null ? -1 : raw.length() - record.message().length();
        Integer msgStart = msgIndex < 0 ? null : position(raw, msgIndex);
        if (record.structuredData() == null) {
            return new StoredLine(null, null, msgStart);
        }
        int sdEnd = raw.length();
        if (msgIndex >= 0) {
            sdEnd = msgIndex - 1;
            if (sdEnd > 0 && raw.charAt(sdEnd) == '\uFEFF') {
                sdEnd--;
            }
        }
        int sdIndex = sdEnd - record.structuredData().length();
        return new StoredLine(position(raw, sdIndex), raw.codePointCount(sdIndex, sdEnd), msgStart);
    }

    private static int position(String raw, int index) {
        return raw.codePointCount(0, index) + 1;
    }
}
