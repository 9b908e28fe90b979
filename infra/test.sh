#!/usr/bin/env bash
# Runs every test: unit tests, integration tests over the real AWS SDK against the emulator,
# and end-to-end tests through the local runner. Installs what it needs (the project
# virtualenv with the pinned emulator and linter) and starts the emulator on a free port.
set -euo pipefail
source "$(dirname "$0")/scripts/emulator.sh"
cd "$ROOT"

ensure_venv
echo "==> cfn-lint template.yaml" >&2
"$VENV/bin/cfn-lint" template.yaml

trap stop_emulator EXIT
start_emulator "$(free_port)"
echo "==> cargo test" >&2
cargo test --workspace --all-targets "$@"
