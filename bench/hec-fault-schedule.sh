#!/usr/bin/env bash
# Seeded fault schedules against the HEC sink, through the real jar: the long form of HecFaultScheduleIT.
#
#   bench/hec-fault-schedule.sh [--runs N] [--seeds S1,S2,...] [--steps K]
#
# Each run draws a schedule of K faults (indexer restarts, acks that never come, invalid events, 503s, resets,
# slow acks, outages longer than the retries, kill -9 of logferry) from its seed and asserts that every line
# was indexed at least once, duplicates stayed within one in-flight window per fault, readiness reported the
# stall while acks were stuck, and logferry exited 0. Without --seeds, N random seeds are drawn (default 20).
# A failing seed is printed with the command that replays it. Builds the jar first (tests skipped).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=20
SEEDS=""
STEPS=12
while (($#)); do
    case "$1" in
        --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
        --seeds) SEEDS="${2:?--seeds needs a value}"; shift 2 ;;
        --steps) STEPS="${2:?--steps needs a value}"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
if [[ -z "$SEEDS" ]]; then
    SEEDS=$(for ((i = 0; i < RUNS; i++)); do echo $((RANDOM * 32768 + RANDOM)); done | paste -sd,)
fi
echo "seeds: $SEEDS; $STEPS faults each"
mvn -q -DskipTests package
set +e
mvn failsafe:integration-test failsafe:verify -Dit.test=HecFaultScheduleIT \
    -Dlogferry.hec.faultSeeds="$SEEDS" -Dlogferry.hec.faultSteps="$STEPS" \
    | grep -E 'HecFaultScheduleIT seed|Tests run:|FAIL|replay it with'
status=${PIPESTATUS[0]}
exit "$status"
