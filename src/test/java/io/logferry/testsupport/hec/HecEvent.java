package io.logferry.testsupport.hec;

import java.math.BigDecimal;

/**
 * One event as the fake HEC indexed it.
 *
 * @param event      the {@code event} member as text (a JSON string's value, or the JSON text of an object,
 *                   array, number or boolean), or one line of a {@code /raw} body
 * @param time       the {@code time} member in epoch seconds, exact as sent (fraction kept); null when absent
 * @param fields     the JSON text of the {@code fields} object; null when absent
 * @param channel    the request's channel (header or query parameter); null when the request had none
 * @param endpoint   the endpoint the event came in on
 */
public record HecEvent(String event, BigDecimal time, String host, String source, String sourcetype, String index,
                       String fields, String channel, Endpoint endpoint) {

    public enum Endpoint { EVENT, RAW }
}
