#!/usr/bin/env bash
# Times our Fountain parser (fountain-text, release build) against screenplain (Python,
# pinned) on the same generated feature-length screenplay, and prints both medians.
#
#   infra/bench-fountain.sh [elements] [runs]     (defaults: 3000 elements, 50 runs)
#
# Installs screenplain into .venv-bench (gitignored) on first use. For the statistics of
# our parse and write alone, see `cargo bench -p fountain-text`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv-bench"
SCREENPLAIN_VERSION="0.12.0"
ELEMENTS="${1:-3000}"
RUNS="${2:-50}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
SCRIPT="$WORK/feature-$ELEMENTS.fountain"

if [ "$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("screenplain"))' 2>/dev/null)" != "$SCREENPLAIN_VERSION" ]; then
  echo "==> creating $VENV (screenplain $SCREENPLAIN_VERSION)" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "screenplain==$SCREENPLAIN_VERSION"
fi

echo "==> building the examples (release)" >&2
(cd "$ROOT" && cargo build --quiet --release --package fountain-text --example generate --example time_parse)
"$TARGET/release/examples/generate" "$ELEMENTS" > "$SCRIPT"
echo "==> $SCRIPT: $(wc -l < "$SCRIPT") lines, $(wc -c < "$SCRIPT") bytes, $ELEMENTS elements" >&2

"$TARGET/release/examples/time_parse" "$SCRIPT" "$RUNS"

# Each run parses a fresh stream of the same text, as screenplain reads files.
"$VENV/bin/python" - "$SCRIPT" "$RUNS" <<'PY'
import importlib.metadata, io, statistics, sys, timeit
from screenplain.parsers import fountain

path, runs = sys.argv[1], int(sys.argv[2])
text = open(path, encoding="utf-8").read()
paragraphs = len(fountain.parse(io.StringIO(text)).paragraphs)
times = timeit.repeat(lambda: fountain.parse(io.StringIO(text)), number=1, repeat=runs)
ms = sorted(t * 1000 for t in times)
print(
    f"screenplain {importlib.metadata.version('screenplain')}: {paragraphs} paragraphs, {len(text.encode())} bytes, {runs} runs: "
    f"median {statistics.median(ms):.3f} ms (min {ms[0]:.3f}, max {ms[-1]:.3f})"
)
PY
