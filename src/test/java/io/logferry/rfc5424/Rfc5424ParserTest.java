package io.logferry.rfc5424;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc5424ParserTest {

    private static final String BOM = "\uFEFF";

    // The four examples of RFC 5424 section 6.5, with "BOM" replaced by U+FEFF.
    private static final String RFC_EXAMPLE_1 = "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - "
            + BOM + "'su root' failed for lonvick on /dev/pts/8";
    private static final String RFC_EXAMPLE_2 = "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - "
            + "%% It's time to make the do-nuts.";
    private static final String RFC_EXAMPLE_3 = "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
            + "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"] "
            + BOM + "An application event log entry...";
    private static final String RFC_EXAMPLE_4 = "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
            + "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]"
            + "[examplePriority@32473 class=\"high\"]";
    private static final String TYPICAL = "<165>1 2026-11-23T18:30:00.123456Z web-01 nginx 4242 ACCESS "
            + "[meta@32473 seq=\"17\" region=\"eu\"] GET /index.html 200 seq=17";

    /** A valid line with the given APP-NAME, to probe one field at a time. */
    private static String withAppName(String appName) {
        return "<14>1 2026-01-02T03:04:05Z host " + appName + " - - - msg";
    }

    /** A valid line with the given TIMESTAMP. */
    private static String withTimestamp(String timestamp) {
        return "<14>1 " + timestamp + " host app - - - msg";
    }

    /** A valid line with the given STRUCTURED-DATA and no MSG. */
    private static String withStructuredData(String structuredData) {
        return "<14>1 - host app - - " + structuredData;
    }

    @Test
    void parsesRfcExample1WithBomPrefixedMessage() {
        assertThat(Rfc5424Parser.parse(RFC_EXAMPLE_1)).isEqualTo(new Rfc5424Record(
                34, 1, "2003-10-11T22:14:15.003Z", "mymachine.example.com", "su", null, "ID47", null,
                "'su root' failed for lonvick on /dev/pts/8"));
    }

    @Test
    void parsesRfcExample2WithNumericOffsetAndMicroseconds() {
        assertThat(Rfc5424Parser.parse(RFC_EXAMPLE_2)).isEqualTo(new Rfc5424Record(
                165, 1, "2003-08-24T05:14:15.000003-07:00", "192.0.2.1", "myproc", "8710", null, null,
                "%% It's time to make the do-nuts."));
    }

    @Test
    void parsesRfcExample3WithStructuredDataAndMessage() {
        assertThat(Rfc5424Parser.parse(RFC_EXAMPLE_3)).isEqualTo(new Rfc5424Record(
                165, 1, "2003-10-11T22:14:15.003Z", "mymachine.example.com", "evntslog", null, "ID47",
                "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]",
                "An application event log entry..."));
    }

    @Test
    void parsesRfcExample4WithTwoSdElementsAndNoMessage() {
        assertThat(Rfc5424Parser.parse(RFC_EXAMPLE_4)).isEqualTo(new Rfc5424Record(
                165, 1, "2003-10-11T22:14:15.003Z", "mymachine.example.com", "evntslog", null, "ID47",
                "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]"
                        + "[examplePriority@32473 class=\"high\"]",
                null));
    }

    @Test
    void parsesTypicalLine() {
        assertThat(Rfc5424Parser.parse(TYPICAL)).isEqualTo(new Rfc5424Record(
                165, 1, "2026-11-23T18:30:00.123456Z", "web-01", "nginx", "4242", "ACCESS",
                "[meta@32473 seq=\"17\" region=\"eu\"]", "GET /index.html 200 seq=17"));
    }

    @Test
    void turnsEveryNilValueIntoNull() {
        assertThat(Rfc5424Parser.parse("<0>1 - - - - - -"))
                .isEqualTo(new Rfc5424Record(0, 1, null, null, null, null, null, null, null));
    }

    @Test
    void keepsDashInsideLongerFieldsAsText() {
        Rfc5424Record record = Rfc5424Parser.parse("<14>1 - -host a- -- -x - m");
        assertThat(record).isNotNull();
        assertThat(record.hostname()).isEqualTo("-host");
        assertThat(record.appName()).isEqualTo("a-");
        assertThat(record.procId()).isEqualTo("--");
        assertThat(record.msgId()).isEqualTo("-x");
    }

    @Test
    void keepsStructuredDataWithEscapedQuoteBackslashAndBracketExactlyAsSent() {
        String sd = "[a@1 q=\"say \\\"hi\\\"\" path=\"c:\\\\dir\\\\\" br=\"x\\]y\"][b@1 x=\"y\"]";
        Rfc5424Record record = Rfc5424Parser.parse(withStructuredData(sd) + " after");
        assertThat(record).isNotNull();
        assertThat(record.structuredData()).isEqualTo(sd);
        assertThat(record.message()).isEqualTo("after");
    }

    @Test
    void acceptsUnescapedClosingBracketAndSpaceInsideParamValue() {
        String sd = "[a@1 expr=\"a[0] ] b\" other=\"\"]";
        assertThat(Rfc5424Parser.parse(withStructuredData(sd)).structuredData()).isEqualTo(sd);
    }

    @Test
    void acceptsNonAsciiAndBackslashBeforeOrdinaryCharInParamValue() {
        String sd = "[a@1 v=\"caf\u00e9 \\n \u65e5\u672c\"]";
        assertThat(Rfc5424Parser.parse(withStructuredData(sd)).structuredData()).isEqualTo(sd);
    }

    @Test
    void acceptsSdElementWithoutParams() {
        assertThat(Rfc5424Parser.parse(withStructuredData("[origin][timeQuality]")).structuredData())
                .isEqualTo("[origin][timeQuality]");
    }

    @Test
    void leavesMessageNullWhenLineEndsAfterStructuredData() {
        assertThat(Rfc5424Parser.parse(withStructuredData("-")).message()).isNull();
        assertThat(Rfc5424Parser.parse(withStructuredData("[a@1 x=\"y\"]")).message()).isNull();
    }

    @Test
    void keepsEmptyMessageWhenOnlySpaceFollowsStructuredData() {
        assertThat(Rfc5424Parser.parse(withStructuredData("-") + " ").message()).isEmpty();
    }

    @Test
    void keepsMessageVerbatimIncludingSpacesAndControlChars() {
        assertThat(Rfc5424Parser.parse(withStructuredData("-") + "  two  spaces\ttab ").message())
                .isEqualTo(" two  spaces\ttab ");
    }

    @Test
    void removesOnlyTheLeadingBomFromMessage() {
        assertThat(Rfc5424Parser.parse(withStructuredData("-") + " " + BOM + "text" + BOM).message())
                .isEqualTo("text" + BOM);
        assertThat(Rfc5424Parser.parse(withStructuredData("-") + " " + BOM).message()).isEmpty();
    }

    @Test
    void derivesFacilityAndSeverityFromPri() {
        Rfc5424Record local4Notice = Rfc5424Parser.parse(RFC_EXAMPLE_2);
        assertThat(local4Notice.facility()).isEqualTo(20);
        assertThat(local4Notice.severity()).isEqualTo(5);
        Rfc5424Record authCritical = Rfc5424Parser.parse(RFC_EXAMPLE_1);
        assertThat(authCritical.facility()).isEqualTo(4);
        assertThat(authCritical.severity()).isEqualTo(2);
        Rfc5424Record highest = Rfc5424Parser.parse("<191>1 - - - - - -");
        assertThat(highest.facility()).isEqualTo(23);
        assertThat(highest.severity()).isEqualTo(7);
    }

    @Test
    void acceptsFieldsAtTheirMaximumLength() {
        String line = "<14>1 - " + "h".repeat(255) + " " + "a".repeat(48) + " " + "p".repeat(128) + " "
                + "m".repeat(32) + " [" + "s".repeat(32) + " " + "n".repeat(32) + "=\"v\"]";
        Rfc5424Record record = Rfc5424Parser.parse(line);
        assertThat(record).isNotNull();
        assertThat(record.hostname()).hasSize(255);
        assertThat(record.appName()).hasSize(48);
        assertThat(record.procId()).hasSize(128);
        assertThat(record.msgId()).hasSize(32);
    }

    @Test
    void acceptsMultiDigitVersion() {
        assertThat(Rfc5424Parser.parse("<14>12 - - - - - -").version()).isEqualTo(12);
        assertThat(Rfc5424Parser.parse("<14>100 - - - - - -").version()).isEqualTo(100);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2003-10-11T22:14:15Z",
        "2003-10-11T22:14:15.0Z",
        "2003-10-11T22:14:15.123456Z",
        "2003-10-11T22:14:15+00:00",
        "2003-10-11T23:59:59.5-23:59",
        "0000-01-01T00:00:00Z",
        "2003-02-31T00:00:00Z", // calendar validity is deliberately not checked
    })
    void acceptsWellFormedTimestamps(String timestamp) {
        assertThat(Rfc5424Parser.parse(withTimestamp(timestamp)).timestamp()).isEqualTo(timestamp);
    }

    @Test
    void rejectsLineWithoutPri() {
        assertThat(Rfc5424Parser.parse("1 - - - - - -")).isNull();
        assertThat(Rfc5424Parser.parse("<>1 - - - - - -")).isNull();
        assertThat(Rfc5424Parser.parse("<1341 - - - - - -")).isNull();
    }

    @Test
    void rejectsPriAbove191() {
        assertThat(Rfc5424Parser.parse("<192>1 - - - - - -")).isNull();
        assertThat(Rfc5424Parser.parse("<999>1 - - - - - -")).isNull();
    }

    @Test
    void rejectsPriWithLeadingZeroButAcceptsPlainZero() {
        assertThat(Rfc5424Parser.parse("<01>1 - - - - - -")).isNull();
        assertThat(Rfc5424Parser.parse("<034>1 - - - - - -")).isNull();
        assertThat(Rfc5424Parser.parse("<00>1 - - - - - -")).isNull();
        assertThat(Rfc5424Parser.parse("<0>1 - - - - - -")).isNotNull();
    }

    @Test
    void rejectsVersionZeroOrWithLeadingZeroOrTooLong() {
        assertThat(Rfc5424Parser.parse("<14>0 - - - - - -")).isNull();
        assertThat(Rfc5424Parser.parse("<14>01 - - - - - -")).isNull();
        assertThat(Rfc5424Parser.parse("<14>1000 - - - - - -")).isNull();
        assertThat(Rfc5424Parser.parse("<14> - - - - - -")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2003-10-1122:14:15Z", // missing T
        "2003-10-11t22:14:15Z", // lower-case t
        "2003-10-11T22:14:15z", // lower-case z
        "2003-10-11T22:14:15", // no offset
        "2003-10-11T22:14:15+7:00", // one-digit offset hour
        "2003-10-11T22:14:15+07", // offset without minutes
        "2003-10-11T22:14:15+0700", // offset without colon
        "2003-10-11T22:14:15+24:00", // offset hour out of range
        "2003-10-11T22:14:15+07:60", // offset minute out of range
        "2003-10-11T22:14:15.Z", // fraction without digits
        "2003-10-11T22:14:15.1234567Z", // 7 fraction digits
        "2003-13-11T22:14:15Z", // month 13
        "2003-00-11T22:14:15Z", // month 0
        "2003-10-32T22:14:15Z", // day 32
        "2003-10-11T24:00:00Z", // hour 24
        "2003-10-11T22:60:15Z", // minute 60
        "2003-10-11T22:14:60Z", // leap second
        "03-10-11T22:14:15Z", // two-digit year
        "2003/10/11T22:14:15Z", // wrong separators
        "2003-10-11T22:14:15ZZ", // trailing garbage
        "Oct 11 22:14:15", // RFC 3164 style
    })
    void rejectsMalformedTimestamps(String timestamp) {
        assertThat(Rfc5424Parser.parse(withTimestamp(timestamp))).isNull();
    }

    @Test
    void rejectsAppNameOf49Chars() {
        assertThat(Rfc5424Parser.parse(withAppName("a".repeat(48)))).isNotNull();
        assertThat(Rfc5424Parser.parse(withAppName("a".repeat(49)))).isNull();
    }

    @Test
    void rejectsOverLongHostnameProcIdAndMsgId() {
        assertThat(Rfc5424Parser.parse("<14>1 - " + "h".repeat(256) + " app - - -")).isNull();
        assertThat(Rfc5424Parser.parse("<14>1 - host app " + "p".repeat(129) + " - -")).isNull();
        assertThat(Rfc5424Parser.parse("<14>1 - host app - " + "m".repeat(33) + " -")).isNull();
    }

    @Test
    void rejectsNonPrintableOrNonAsciiHeaderChars() {
        assertThat(Rfc5424Parser.parse(withAppName("caf\u00e9"))).isNull();
        assertThat(Rfc5424Parser.parse(withAppName("a\tb"))).isNull();
    }

    @Test
    void rejectsEmptyFieldFromDoubleSpace() {
        assertThat(Rfc5424Parser.parse("<14>1 -  host app - - -")).isNull();
        assertThat(Rfc5424Parser.parse("<14>1 - host  app - - -")).isNull();
        assertThat(Rfc5424Parser.parse("<14>1 - host app - -  -")).isNull();
        assertThat(Rfc5424Parser.parse("<14>1  - host app - - -")).isNull();
    }

    @Test
    void rejectsLineThatEndsBeforeStructuredData() {
        assertThat(Rfc5424Parser.parse("<14>1 - host app - ID47")).isNull();
        assertThat(Rfc5424Parser.parse("<14>1 - host app - ID47 ")).isNull();
    }

    @Test
    void rejectsUnterminatedStructuredData() {
        assertThat(Rfc5424Parser.parse(withStructuredData("[a@1 x=\"y\""))).isNull();
        assertThat(Rfc5424Parser.parse(withStructuredData("[a@1 x=\"y"))).isNull();
        assertThat(Rfc5424Parser.parse(withStructuredData("[a@1 x=\"y\\\"]"))).isNull();
        assertThat(Rfc5424Parser.parse(withStructuredData("[a@1 x=\"y\\"))).isNull();
        assertThat(Rfc5424Parser.parse(withStructuredData("[a@1"))).isNull();
        assertThat(Rfc5424Parser.parse(withStructuredData("[a@1 x=\"y\"][b@1"))).isNull();
    }

    @Test
    void rejectsSdIdContainingEquals() {
        assertThat(Rfc5424Parser.parse(withStructuredData("[a=b x=\"y\"]"))).isNull();
    }

    @Test
    void rejectsMalformedSdParams() {
        assertThat(Rfc5424Parser.parse(withStructuredData("[a@1 x=y]"))).isNull(); // unquoted value
        assertThat(Rfc5424Parser.parse(withStructuredData("[a@1 x]"))).isNull(); // no value
        assertThat(Rfc5424Parser.parse(withStructuredData("[a@1  x=\"y\"]"))).isNull(); // double SP
        assertThat(Rfc5424Parser.parse(withStructuredData("[a@1 x=\"y\" ]"))).isNull(); // SP before ]
        assertThat(Rfc5424Parser.parse(withStructuredData("[]"))).isNull(); // empty SD-ID
        assertThat(Rfc5424Parser.parse(withStructuredData("[" + "s".repeat(33) + "]"))).isNull();
        assertThat(Rfc5424Parser.parse(withStructuredData("[a@1 " + "n".repeat(33) + "=\"v\"]"))).isNull();
    }

    @Test
    void rejectsAnythingButSpaceDirectlyAfterStructuredData() {
        assertThat(Rfc5424Parser.parse(withStructuredData("-x"))).isNull();
        assertThat(Rfc5424Parser.parse(withStructuredData("[a@1]x"))).isNull();
        assertThat(Rfc5424Parser.parse(withStructuredData("[a@1] [b@1]"))).isNotNull(); // "[b@1]" is MSG
        assertThat(Rfc5424Parser.parse(withStructuredData("x"))).isNull();
    }

    @Test
    void rejectsBsdSyslogLine() {
        assertThat(Rfc5424Parser.parse("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8"))
                .isNull();
    }

    @Test
    void rejectsPlainText() {
        assertThat(Rfc5424Parser.parse("GET /index.html 200")).isNull();
    }

    @Test
    void rejectsEmptyString() {
        assertThat(Rfc5424Parser.parse("")).isNull();
    }

    @Test
    void returnsNullForNull() {
        assertThat(Rfc5424Parser.parse(null)).isNull();
    }

    @Test
    void neverThrowsOnRandomOrMutatedInput() {
        List<String> seeds = List.of(RFC_EXAMPLE_1, RFC_EXAMPLE_2, RFC_EXAMPLE_3, RFC_EXAMPLE_4, TYPICAL,
                "<0>1 - - - - - -", withStructuredData("[a@1 q=\"\\\"\\\\\\]\"]"));
        // Syntax characters make mutations land on interesting branches far more often than noise.
        String alphabet = "<>0123456789 -[]=\"\\TZ:.+@az\t\uFEFF\u00e9";
        Random random = new Random(5424);
        int parsed = 0;
        for (int n = 0; n < 10_000; n++) {
            String input = n % 4 == 0
                    ? randomString(random, alphabet)
                    : mutate(random, seeds.get(random.nextInt(seeds.size())), alphabet);
            Rfc5424Record[] result = new Rfc5424Record[1];
            assertThatCode(() -> result[0] = Rfc5424Parser.parse(input))
                    .as("parse(%s)", input)
                    .doesNotThrowAnyException();
            if (result[0] != null) {
                parsed++;
                assertThat(result[0].pri()).as("pri of %s", input).isBetween(0, 191);
            }
        }
        // Sanity check that the mutations do not reject everything, so both paths were exercised.
        assertThat(parsed).isPositive();
    }

    private static String randomString(Random random, String alphabet) {
        StringBuilder sb = new StringBuilder();
        int length = random.nextInt(80);
        for (int i = 0; i < length; i++) {
            sb.append(randomChar(random, alphabet));
        }
        return sb.toString();
    }

    /** Applies 1..4 edits (flip, insert, delete) and sometimes truncates. */
    private static String mutate(Random random, String seed, String alphabet) {
        StringBuilder sb = new StringBuilder(seed);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(sb.length() + 1);
            switch (random.nextInt(3)) {
                case 0 -> {
                    if (at < sb.length()) {
                        sb.setCharAt(at, randomChar(random, alphabet));
                    }
                }
                case 1 -> sb.insert(at, randomChar(random, alphabet));
                default -> {
                    if (at < sb.length()) {
                        sb.deleteCharAt(at);
                    }
                }
            }
        }
        if (random.nextInt(5) == 0) {
            sb.setLength(random.nextInt(sb.length() + 1));
        }
        return sb.toString();
    }

    private static char randomChar(Random random, String alphabet) {
        return random.nextInt(4) == 0
                ? (char) random.nextInt(Character.MAX_VALUE + 1)
                : alphabet.charAt(random.nextInt(alphabet.length()));
    }
}
