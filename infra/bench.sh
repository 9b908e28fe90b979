#!/usr/bin/env bash
# Runs the benchmarks over the local stack and prints their numbers (markdown). Installs
# what it needs, like the test command, and starts its own emulator.
set -euo pipefail
source "$(dirname "$0")/scripts/emulator.sh"
cd "$ROOT"

ensure_venv
trap stop_emulator EXIT
start_emulator "$(free_port)"
cargo run --quiet --package fountain-e2e --bin bench_cost
cargo run --quiet --package fountain-e2e --bin bench_structure
cargo run --quiet --package fountain-e2e --bin bench_story
cargo run --quiet --package fountain-e2e --bin bench_fountain_api
cargo run --quiet --package fountain-e2e --bin bench_generation
