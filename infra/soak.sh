#!/usr/bin/env bash
# Soak and load benchmark of the local stack: a release build of the runner over its own
# emulator, driven over HTTP by bench_soak with a writer's mix for a fixed time (30 minutes
# unless --minutes N; --clients N writers, 4 by default). Prints markdown a minute at a time
# and the report at the end, also kept in .local/soak-<date>.md. Every argument goes to
# bench_soak: ./infra/soak.sh --minutes 5
set -euo pipefail
source "$(dirname "$0")/scripts/emulator.sh"
cd "$ROOT"

# One build of both, so that they share their dependencies' features (no second build).
echo "==> cargo build --release: the runner and bench_soak (the first build takes a while)" >&2
cargo build --release -p fountain-local --bin fountain-local -p fountain-e2e --bin bench_soak
ensure_venv

RUNNER_PID=
stop_all() {
  if [ -n "$RUNNER_PID" ]; then
    stop_process "$RUNNER_PID" 20
    RUNNER_PID=
  fi
  stop_emulator
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_emulator "$(free_port)"
PORT="$(free_port)"
URL="http://127.0.0.1:$PORT"
RUNNER_LOG="$STATE/soak-runner-$PORT.log"
./target/release/fountain-local up --bind "127.0.0.1:$PORT" >"$RUNNER_LOG" 2>&1 &
RUNNER_PID=$!
for attempt in $(seq 1 600); do
  if "$VENV/bin/python" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$URL/health" 2>/dev/null; then
    echo "==> runner on $URL (pid $RUNNER_PID, log $RUNNER_LOG)" >&2
    break
  fi
  if ! kill -0 "$RUNNER_PID" 2>/dev/null || [ "$attempt" = 600 ]; then
    tail -n 50 "$RUNNER_LOG" >&2
    echo "the runner did not answer on $URL" >&2
    exit 1
  fi
  sleep 0.2
done

REPORT="$STATE/soak-$(date +%Y-%m-%d-%H%M%S).md"
status=0
./target/release/bench_soak --url "$URL" --runner-pid "$RUNNER_PID" \
  --emulator-pid "$EMULATOR_PID" "$@" | tee "$REPORT" || status=$?
# What the emulator holds at the end, to divide its memory by (fountain_moto/memory.py).
"$VENV/bin/python" - "$AWS_ENDPOINT_URL/_fountain/memory" <<'PY' | tee -a "$REPORT" || true
import json, sys, urllib.request
census = json.load(urllib.request.urlopen(sys.argv[1], timeout=30))
tables = census["dynamodb"]
items = sum(t["items"] for t in tables.values())
print(f"\n## What the emulator holds at the end\n\nRSS {census['rssMb']:.0f} MB; Python objects {census['gc']['objects']:,}\n")
print("| table | items | stream records |\n|---|---:|---:|")
for name, t in sorted(tables.items()):
    print(f"| {name} | {t['items']:,} | {t['streamRecords']:,} |")
print(f"| all | {items:,} | |\n")
print("| queue | messages | remembered deletes |\n|---|---:|---:|")
for name, q in sorted(census["sqs"].items()):
    print(f"| {name} | {q['messages']:,} | {q['rememberedDeletes']:,} |")
for name, a in sorted(census["archives"].items()):
    print(f"\narchive {name}: {a['events']:,} events, {(a['bytes'] or 0) / 2**20:.1f} MB of JSON")
PY
echo "==> report: $REPORT" >&2
exit "$status"
