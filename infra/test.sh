#!/usr/bin/env bash
# Runs every test: unit tests, integration tests over the real AWS SDK against the emulator,
# and end-to-end tests through the local runner. Installs what it needs (the project
# virtualenv with the pinned emulator and linter) and starts the emulator on a free port.
set -euo pipefail
source "$(dirname "$0")/scripts/emulator.sh"
cd "$ROOT"

# Installs the Debian packages among "$@" whose command is missing (apt-get, with sudo when not
# root); `package:command` names a command of another name. lilypond and csound check the
# generated orchestration files, qpdf and poppler-utils (pdftotext, pdfinfo) the PDFs.
ensure_debian_packages() {
    local missing=() package
    for package in "$@"; do
        command -v "${package#*:}" >/dev/null 2>&1 || missing+=("${package%%:*}")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: ${missing[*]} not installed and no apt-get here: install them first" >&2
        return 1
    fi
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    echo "==> apt-get install ${missing[*]}" >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
}

ensure_venv
ensure_debian_packages lilypond csound qpdf poppler-utils:pdftotext
echo "==> cfn-lint template.yaml" >&2
"$VENV/bin/cfn-lint" template.yaml

echo "==> emulator patch tests (infra/scripts/tests)" >&2
"$VENV/bin/python" -m unittest discover --start-directory infra/scripts/tests --top-level-directory infra/scripts/tests

trap stop_emulator EXIT
start_emulator "$(free_port)"
# Unit tests of every library and every integration test. Not `--all-targets`: that also
# builds each of the ~80 Lambda mains as a test harness with no tests in it, about half the
# link work of the suite; `cargo clippy --all-targets` (CI) still compiles every target.
# cargo-nextest (on this kind of machine) runs tests of different binaries side by side;
# they mostly wait on the emulator and on events, so more threads than cores pay off
# (313 tests: 2.6 min against 5 to 7 with `cargo test`, which runs binaries one by one).
# The tests' report is also kept in .local/tests.log, so the run ends with both summaries.
mkdir -p .local
if cargo nextest --version >/dev/null 2>&1; then
  echo "==> cargo nextest run" >&2
  cargo nextest run --workspace --lib --test '*' --test-threads 6 --no-fail-fast "$@" 2>&1 \
    | tee .local/tests.log
else
  echo "==> cargo test (cargo-nextest is not installed)" >&2
  cargo test --workspace --lib --test '*' "$@" 2>&1 | tee .local/tests.log
fi

# The API against its document: schemathesis over every operation of docs/openapi.json,
# on a local stack of its own (0 server errors and 0 mismatches, or the run fails).
echo "==> API conformance (infra/conformance.sh)" >&2
EXAMPLES="${EXAMPLES:-10}" ./infra/conformance.sh 2>&1 | tee .local/conformance.log

echo "==> summary"
grep -E '^ *Summary \[|^test result:' .local/tests.log || true
grep -E 'generated, .* passed' .local/conformance.log || true
