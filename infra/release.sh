#!/usr/bin/env bash
# Builds every Lambda function for release, for arm64 (provided.al2023), with cargo-lambda,
# and prints each bootstrap's size. cargo-lambda and zig come from PyPI into .venv.
# Output: target/lambda/<function>/bootstrap, what `sam build` would package.
set -euo pipefail
source "$(dirname "$0")/scripts/emulator.sh"
cd "$ROOT"

ensure_venv
stamp="$VENV/.release-requirements"
if ! cmp -s infra/release-requirements.txt "$stamp"; then
  echo "==> installing cargo-lambda and zig into $VENV" >&2
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r infra/release-requirements.txt
  cp infra/release-requirements.txt "$stamp"
fi
rustup target add aarch64-unknown-linux-gnu >/dev/null 2>&1 || true
export PATH="$VENV/bin:$PATH"

packages=()
for crate in functions/*/Cargo.toml; do
  packages+=(-p "$(sed -n 's/^name = "\(.*\)"/\1/p' "$crate" | head -1)")
done
started=$(date +%s)
cargo lambda build --release --arm64 "${packages[@]}"
echo "==> release build took $(( $(date +%s) - started )) s" >&2

printf '%-20s %10s\n' function bytes
total=0
for bootstrap in target/lambda/*/bootstrap; do
  size=$(stat -c %s "$bootstrap")
  total=$((total + size))
  printf '%-20s %10s\n' "$(basename "$(dirname "$bootstrap")")" "$size"
done
printf '%-20s %10s\n' total "$total"
