#!/usr/bin/env python3
"""Write N deterministic RFC 5424 syslog lines for the logferry ingest benchmark.

Each line looks like

  <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD-ELEMENT]... MSG seq=N

with a varied PRI, UTC timestamps with microseconds that strictly increase, about 50 host names,
about 20 app names, varied procids and msgids, 1 to 3 SD-ELEMENTs with varied params (one of them
always carries seq="N"), and a message of varied length that ends with " seq=N" (N = 0 .. lines-1).
The average line is about 280 bytes including its newline. The same --seed always gives the same
bytes. Only ASCII is written; SD param values never contain '"', '\\' or ']', so no escaping is needed.

Usage: gen-lines.py [--lines N] [--seed S] [--out PATH]   (default: 1000000 lines to stdout)
"""

import argparse
import calendar
import random
import sys
import time

# 2026-11-23T00:00:00Z; every line adds 1..400 microseconds.
START_EPOCH = calendar.timegm((2026, 11, 23, 0, 0, 0, 0, 0, 0))

WORDS = (
    "request handled user session cache miss hit backend upstream timeout retry connection pool "
    "opened closed accepted rejected payload bytes queue depth worker started finished job order "
    "invoice payment account token refreshed expired disk usage memory pressure gc pause latency "
    "shard replica leader follower sync commit rollback index scan query slow fast ok error warn "
    "config reloaded listener bound port socket tls handshake client server route matched denied "
    "granted lock acquired released batch flushed records written read offset checkpoint snapshot"
).split()

SD_IDS_EXTRA = ("origin", "timeQuality", "req@32473", "http@32473", "db@32473", "k8s@32473",
                "trace@32473", "auth@32473")
PARAM_NAMES = ("ip", "method", "path", "status", "bytes", "dur_ms", "user", "region", "zone",
               "pod", "ns", "table", "rows", "trace_id", "span_id", "tzKnown", "isSynced", "software")
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD")
REGIONS = ("eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-south-1", "sa-east-1")


def build_pools(rng):
    """Precomputed choices, so the per-line loop only picks and joins."""
    hosts = ["%s-%02d.%s" % (rng.choice(("web", "api", "db", "cache", "worker", "edge", "mq")), i,
                             rng.choice(("prod.example.net", "dc1.example.org", "internal", "eu.example.com")))
             for i in range(50)]
    apps = ["nginx", "sshd", "cron", "kernel", "postgres", "redis", "billing-svc", "auth-svc",
            "orders-api", "search", "kafka-broker", "envoy", "systemd", "dockerd", "payments",
            "inventory", "mailer", "scheduler", "gateway", "metrics-agent"]
    msgids = ["-", "ID47", "REQ", "RESP", "AUDIT", "CONN", "DISC", "GC", "TXN", "HEALTH", "LOGIN",
              "LOGOUT", "SYNC", "ALERT"]
    procids = ["-"] + [str(rng.randrange(100, 65535)) for _ in range(300)]

    def value(name):
        if name == "ip":
            return "10.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))
        if name == "method":
            return rng.choice(METHODS)
        if name == "path":
            return "/" + "/".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 4))) + "/%d" % rng.randrange(10**5)
        if name in ("status",):
            return rng.choice(("200", "201", "204", "301", "304", "400", "401", "403", "404", "500", "503"))
        if name in ("bytes", "rows", "dur_ms"):
            return str(rng.randrange(10 ** rng.randrange(1, 7)))
        if name in ("trace_id", "span_id"):
            return "%016x" % rng.getrandbits(64)
        if name in ("region", "zone"):
            return rng.choice(REGIONS) + ("" if name == "region" else rng.choice("abc"))
        if name in ("tzKnown", "isSynced"):
            return rng.choice("01")
        return rng.choice(WORDS) + "-" + str(rng.randrange(1000))

    extra_elements = []
    for _ in range(3000):
        sd_id = rng.choice(SD_IDS_EXTRA)
        names = rng.sample(PARAM_NAMES, rng.randrange(1, 4))
        extra_elements.append("[%s %s]" % (sd_id, " ".join('%s="%s"' % (n, value(n)) for n in names)))
    messages = []
    for _ in range(4000):
        n = min(int(rng.expovariate(1 / 14.5)) + 2, 60)  # 2..60 words, mean about 16
        messages.append(" ".join(rng.choice(WORDS) for _ in range(n)))
    # The SD-ELEMENT that carries seq, split around the number: prefix + N + suffix.
    seq_elements = [('[meta@32473 seq="', '"]'),
                    ('[meta@32473 seq="', '" sysUpTime="%d"]' % rng.randrange(10**6)),
                    ('[meta@32473 language="en" seq="', '"]'),
                    ('[meta@32473 seq="', '" language="de-CH"]')]
    return hosts, apps, msgids, procids, extra_elements, messages, seq_elements


def generate(lines, seed, out):
    rng = random.Random(seed)
    hosts, apps, msgids, procids, extras, messages, seq_elements = build_pools(rng)
    # Index arrays chosen once per line via getrandbits, which is much cheaper than choice().
    rand = rng.getrandbits
    micros = 0
    cur_sec = -1
    sec_prefix = ""
    chunk = []
    append = chunk.append
    for seq in range(lines):
        micros += 1 + rand(9) % 400
        sec, frac = divmod(micros, 1_000_000)
        if sec != cur_sec:
            cur_sec = sec
            sec_prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(START_EPOCH + sec))
        r = rand(64)
        facility = (r & 31) % 24
        severity = (r >> 5) & 7
        host = hosts[(r >> 8) % 50]
        app = apps[(r >> 14) % 20]
        procid = procids[(r >> 19) % 301]
        msgid = msgids[(r >> 28) % 14]
        n_extra = (r >> 32) % 3  # 0..2 extra elements, so 1..3 in all
        pre, post = seq_elements[(r >> 34) & 3]
        sd = pre + str(seq) + post
        if n_extra:
            sd += extras[(r >> 36) % 3000]
            if n_extra == 2:
                sd += extras[(r >> 48) % 3000]
        msg = messages[rand(12) % 4000]
        append("<%d>1 %s.%06dZ %s %s %s %s %s %s seq=%d\n" % (
            facility * 8 + severity, sec_prefix, frac, host, app, procid, msgid, sd, msg, seq))
        if len(chunk) >= 20000:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))


def main():
    parser = argparse.ArgumentParser(description="Write deterministic RFC 5424 lines for the logferry benchmark.")
    parser.add_argument("--lines", type=int, default=1_000_000, help="number of lines (default 1000000)")
    parser.add_argument("--seed", type=int, default=5424, help="random seed (default 5424)")
    parser.add_argument("--out", default="-", help="output file (default stdout)")
    args = parser.parse_args()
    if args.lines < 0:
        parser.error("--lines must be >= 0")
    if args.out == "-":
        generate(args.lines, args.seed, sys.stdout)
        sys.stdout.flush()
    else:
        with open(args.out, "w", encoding="ascii", newline="\n", buffering=1 << 20) as out:
            generate(args.lines, args.seed, out)


if __name__ == "__main__":
    main()
