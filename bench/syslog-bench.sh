#!/usr/bin/env bash
# Syslog benchmark: a file of N RFC 5424 lines -> forwarder -> listener over mutual TLS on loopback -> file,
# for logferry (tail-to-syslog -> syslog-listener, acks and origins on) and rsyslog (imfile -> omfwd TLS
# octet-counted -> imtcp TLS -> omfile), in the same run on the same data.
#
#   bench/syslog-bench.sh [--lines N] [--jar PATH] [--java-opts "..."] [--only logferry|rsyslog] [--warm]
#                         [--param NAME=VALUE]... [--timeout SECONDS] [--keep]
#
# --param adds a tail-to-syslog parameter to the forwarder's route (e.g. maxInflightBytes=8388608).
# Each pair starts idle; the clock runs from the data file appearing (a rename into the watched directory) to
# the receiver holding N lines. Prints lines/s, MB/s, CPU seconds (in the timed window) and peak RSS of each
# side, checks count and distinct seq="N", and prints logferry/rsyslog. --warm first ships a different file of N
# lines through the logferry pair (JIT warm-up) and then times a second one, as a long-running process sees it.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
LINES=1000000
JAR="target/logferry.jar"
JAVA_OPTS="-XX:+UseParallelGC -Xmx160m"
ONLY=""
WARM=0
PARAMS=""   # extra tail-to-syslog parameters, YAML lines
TIMEOUT=600
KEEP=0

while [[ $# -gt 0 ]]; do
    case "$1" in
        --lines) LINES="$2"; shift 2 ;;
        --jar) JAR="$2"; shift 2 ;;
        --java-opts) JAVA_OPTS="$2"; shift 2 ;;
        --only) ONLY="$2"; shift 2 ;;
        --warm) WARM=1; shift ;;
        --param) PARAMS+="      - {name: ${2%%=*}, value: \"${2#*=}\"}"$'\n'; shift 2 ;;
        --timeout) TIMEOUT="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "syslog-bench: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ "$JAR" = /* ]] || JAR="$REPO_ROOT/$JAR"
[[ -f "$JAR" ]] || { echo "syslog-bench: $JAR is missing: mvn -q -DskipTests package" >&2; exit 1; }
command -v rsyslogd >/dev/null || [[ "$ONLY" == logferry ]] || { echo "syslog-bench: rsyslogd missing (apt-get install rsyslog rsyslog-openssl) or use --only logferry" >&2; exit 1; }

WORK="$BENCH_DIR/work/syslog-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$WORK"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [[ $KEEP == 1 ]] || rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu() { awk '{printf "%.2f", ($14+$15)/100}' "/proc/$1/stat"; }
rss() { awk '/VmHWM/ {printf "%d", $2/1024}' "/proc/$1/status"; }
now() { date +%s.%N; }

echo "generating $LINES lines..."
python3 "$BENCH_DIR/gen-lines.py" --lines "$LINES" --out "$WORK/data.log"
BYTES=$(stat -c %s "$WORK/data.log")
java -jar "$JAR" pki init --dir "$WORK/pki" >/dev/null
java -jar "$JAR" pki issue --dir "$WORK/pki" --cn bench-forwarder >/dev/null
java -jar "$JAR" pki issue --dir "$WORK/pki" --server --cn localhost --san 127.0.0.1 >/dev/null
PKI="$WORK/pki"

# wait_for COUNT_FUNCTION N: polls until the receiver holds N lines
wait_for() {
    local deadline=$(( $(date +%s) + TIMEOUT ))
    while [[ $($1) -lt $2 ]]; do
        [[ $(date +%s) -lt $deadline ]] || { echo "syslog-bench: FAIL: $1 stayed at $($1) of $2 lines" >&2; exit 1; }
        sleep 0.1
    done
}

# report NAME SENDER_PID RECEIVER_PID START END SENDER_CPU0 RECEIVER_CPU0
report() {
    local secs; secs=$(echo "$5 - $4" | bc -l)
    printf '%-9s %10.0f lines/s %7.1f MB/s  %6.2f s   sender %6.2f CPU-s %5s MiB   receiver %6.2f CPU-s %5s MiB\n' \
        "$1" "$(echo "$LINES / $secs" | bc -l)" "$(echo "$BYTES / $secs / 1000000" | bc -l)" "$secs" \
        "$(echo "$(cpu "$2") - $6" | bc -l)" "$(rss "$2")" "$(echo "$(cpu "$3") - $7" | bc -l)" "$(rss "$3")"
    echo "$1 $(echo "$LINES / $secs" | bc -l)" >> "$WORK/rates"
}

verify() { # FILE...: count and distinct seq
    local count distinct
    count=$(cat "$@" | grep -c 'seq="' || true)
    distinct=$(cat "$@" | grep -o 'seq="[0-9]*"' | sort -u | wc -l)
    echo "          verified: $count lines, $distinct distinct seq (expected $LINES)"
    [[ $count -eq $LINES && $distinct -eq $LINES ]] || { echo "syslog-bench: FAIL: count or distinct differs" >&2; exit 1; }
}

run_rsyslog() {
    local dir="$WORK/rsyslog" port; port=$(free_port)
    mkdir -p "$dir/recv" "$dir/send" "$dir/in"
    local tls="DefaultNetstreamDriver=\"ossl\" DefaultNetstreamDriverCAFile=\"$PKI/ca.crt\""
    cat > "$dir/recv.conf" <<CONF
global(workDirectory="$dir/recv" $tls DefaultNetstreamDriverCertFile="$PKI/localhost.crt" DefaultNetstreamDriverKeyFile="$PKI/localhost.key")
module(load="imtcp" StreamDriver.Name="ossl" StreamDriver.Mode="1" StreamDriver.AuthMode="x509/certvalid")
input(type="imtcp" port="$port" address="127.0.0.1")
template(name="raw" type="string" string="%rawmsg%\n")
if \$syslogtag startswith 'rsyslogd' then { action(type="omfile" file="$dir/recv/internal.log") stop }
action(type="omfile" file="$dir/received.log" template="raw")
CONF
    cat > "$dir/send.conf" <<CONF
global(workDirectory="$dir/send" $tls DefaultNetstreamDriverCertFile="$PKI/bench-forwarder.crt" DefaultNetstreamDriverKeyFile="$PKI/bench-forwarder.key")
module(load="imfile")
input(type="imfile" File="$dir/in/app.log" Tag="app" freshStartTail="off")
if \$syslogtag startswith 'rsyslogd' then { action(type="omfile" file="$dir/send/internal.log") stop }
action(type="omfwd" target="127.0.0.1" port="$port" protocol="tcp" StreamDriver="ossl" StreamDriverMode="1"
       StreamDriverAuthMode="x509/name" StreamDriverPermittedPeers="localhost" TCP_Framing="octet-counted"
       template="RSYSLOG_SyslogProtocol23Format" action.resumeRetryCount="-1")
CONF
    rsyslogd -n -f "$dir/recv.conf" -i "$dir/recv.pid" > "$dir/recv.out" 2>&1 & local rp=$!; PIDS+=("$rp")
    rsyslogd -n -f "$dir/send.conf" -i "$dir/send.pid" > "$dir/send.out" 2>&1 & local sp=$!; PIDS+=("$sp")
    sleep 2
    rs_count() { [[ -f "$dir/received.log" ]] && wc -l < "$dir/received.log" || echo 0; }
    local s0 r0 start end
    s0=$(cpu "$sp"); r0=$(cpu "$rp"); start=$(now)
    cp "$WORK/data.log" "$dir/in/.app.tmp" && mv "$dir/in/.app.tmp" "$dir/in/app.log"
    wait_for rs_count "$LINES"
    end=$(now)
    report rsyslog "$sp" "$rp" "$start" "$end" "$s0" "$r0"
    verify "$dir/received.log"
    kill "$sp" "$rp"
}

run_logferry() {
    local dir="$WORK/logferry" port mport_l mport_f; port=$(free_port); mport_l=$(free_port); mport_f=$(free_port)
    for side in listener forwarder; do
        mkdir -p "$dir/$side/config/routes" "$dir/$side/logs"
        cp "$REPO_ROOT/config/application.properties" "$dir/$side/config/"
    done
    echo "camel.management.port = $mport_l" >> "$dir/listener/config/application.properties"
    echo "camel.management.port = $mport_f" >> "$dir/forwarder/config/application.properties"
    cat > "$dir/listener/config/routes/listener.camel.yaml" <<YAML
- templatedRoute:
    routeTemplateRef: syslog-listener
    routeId: syslog-listener
    parameters:
      - {name: host, value: 127.0.0.1}
      - {name: port, value: "$port"}
      - {name: certFile, value: $PKI/localhost.crt}
      - {name: keyFile, value: $PKI/localhost.key}
      - {name: caFile, value: $PKI/ca.crt}
YAML
    cat > "$dir/forwarder/config/routes/forwarder.camel.yaml" <<YAML
- templatedRoute:
    routeTemplateRef: tail-to-syslog
    routeId: tail-to-syslog
    parameters:
      - {name: paths, value: logs/*.log}
      - {name: host, value: localhost}
      - {name: port, value: "$port"}
      - {name: certFile, value: $PKI/bench-forwarder.crt}
      - {name: keyFile, value: $PKI/bench-forwarder.key}
      - {name: caFile, value: $PKI/ca.crt}
${PARAMS%$'\n'}
YAML
    # shellcheck disable=SC2086
    (cd "$dir/listener" && exec java $JAVA_OPTS -jar "$JAR" > out.log 2>&1) & local lp=$!; PIDS+=("$lp")
    # shellcheck disable=SC2086
    (cd "$dir/forwarder" && exec java $JAVA_OPTS -jar "$JAR" > out.log 2>&1) & local fp=$!; PIDS+=("$fp")
    lf_count() { curl -s "127.0.0.1:$mport_l/observe/metrics" 2>/dev/null \
        | awk '/^logferry_listener_frames_stored_total/ {n=$2} END {printf "%d", n}'; }
    local deadline=$(( $(date +%s) + 120 ))
    until curl -sf "127.0.0.1:$mport_l/observe/health" >/dev/null && curl -sf "127.0.0.1:$mport_f/observe/health" >/dev/null; do
        [[ $(date +%s) -lt $deadline ]] || { echo "syslog-bench: FAIL: logferry did not start (see $dir/*/out.log)" >&2; exit 1; }
        sleep 0.2
    done
    local target=$LINES name=logferry
    if [[ $WARM == 1 ]]; then
        python3 "$BENCH_DIR/gen-lines.py" --lines "$LINES" --seed 7 --out "$dir/warm.log"
        mv "$dir/warm.log" "$dir/forwarder/logs/warm.log"
        wait_for lf_count "$LINES"
        target=$((2 * LINES)); name="lf-warm"
    fi
    local s0 r0 start end
    s0=$(cpu "$fp"); r0=$(cpu "$lp"); start=$(now)
    cp "$WORK/data.log" "$dir/forwarder/logs/.app.tmp" && mv "$dir/forwarder/logs/.app.tmp" "$dir/forwarder/logs/app.log"
    wait_for lf_count "$target"
    end=$(now)
    report "$name" "$fp" "$lp" "$start" "$end" "$s0" "$r0"
    if [[ $WARM == 0 ]]; then verify "$dir"/listener/ingest/bench-forwarder/*.log; fi
    kill "$fp" "$lp"
}

echo "data: $LINES lines, $BYTES bytes; logferry JVM options: $JAVA_OPTS"
[[ "$ONLY" == logferry ]] || run_rsyslog
[[ "$ONLY" == rsyslog ]] || run_logferry
if [[ -z "$ONLY" ]]; then
    awk '{r[$1]=$2} END {for (k in r) if (k != "rsyslog") printf "%s / rsyslog = %.2f\n", k, r[k]/r["rsyslog"]}' "$WORK/rates"
fi
