#!/usr/bin/env bash
# Cold starts of every function: builds their release bootstraps for this machine
# (`cargo build --release`, the root Cargo.toml's release profile), provisions template.yaml
# in the AWS emulator, then execs each bootstrap under a local Lambda Runtime API, as Lambda
# runs provided.al2023, and prints the median init (exec to the first `next`) and first
# invocation (its sample event from events/ to the response) of 5 starts per function.
# Arguments go to the benchmark (tests/src/bin/bench_cold_start.rs): --starts N,
# --target-ms MS, and function names to measure only those. Bootstraps' logs: .local/cold-start.
set -euo pipefail
source "$(dirname "$0")/scripts/emulator.sh"
cd "$ROOT"

ensure_venv
packages=()
for crate in functions/*/Cargo.toml; do
  packages+=(-p "$(sed -n 's/^name = "\(.*\)"/\1/p' "$crate" | head -1)")
done
started=$(date +%s)
cargo build --release --bins "${packages[@]}"
echo "==> release build took $(( $(date +%s) - started )) s" >&2
cargo build --quiet --package fountain-e2e --bin bench_cold_start

trap stop_emulator EXIT
start_emulator "$(free_port)"
cargo run --quiet --package fountain-e2e --bin bench_cold_start -- --bin-dir target/release "$@"
