#!/usr/bin/env bash
# Builds every Lambda function for release, for arm64 (provided.al2023), with cargo-lambda,
# zips each bootstrap as Lambda takes it (a zip holding `bootstrap`, deflate level 9), and
# prints a table of bootstrap and zip sizes (MB = 2^20 bytes), flagging every bootstrap of
# 6 MB or more (the target: all under). cargo-lambda and zig come from PyPI into .venv.
# Output: target/lambda/<function>/bootstrap, what `sam build` would package, and
# bootstrap.zip beside it. Exits non-zero only when a build fails; sizes are reported.
# Function names as arguments build and report only those: ./infra/release.sh import_fountain
set -euo pipefail
source "$(dirname "$0")/scripts/emulator.sh"
cd "$ROOT"

ensure_venv_extras release "cargo-lambda and zig"
rustup target add aarch64-unknown-linux-gnu >/dev/null 2>&1 || true
export PATH="$VENV/bin:$PATH"

packages=()
for crate in functions/*/Cargo.toml; do
  packages+=(-p "$(sed -n 's/^name = "\(.*\)"/\1/p' "$crate" | head -1)")
done
# The functions are the binaries of the function crates; each needs its bootstrap.
binaries=()
selected=()
if [ "$#" -gt 0 ]; then
  for name in "$@"; do
    if ! ls functions/*/src/bin/"$name".rs >/dev/null 2>&1; then
      echo "error: no function $name (functions/*/src/bin/$name.rs)" >&2
      exit 2
    fi
    binaries+=("$name")
    selected+=(--bin "$name")
  done
else
  for main in functions/*/src/bin/*.rs; do
    binaries+=("$(basename "$main" .rs)")
  done
  selected=(--bins)
fi
started=$(date +%s)
cargo lambda build --release --arm64 "${packages[@]}" "${selected[@]}"
echo "==> release build took $(( $(date +%s) - started )) s" >&2
"$VENV/bin/python" - "${binaries[@]}" <<'PY'
import os, sys, zipfile

TARGET_MB = 6.0
MB = 1024 * 1024
rows, missing = [], []
for name in sorted(sys.argv[1:]):
    bootstrap = os.path.join("target", "lambda", name, "bootstrap")
    if not os.path.isfile(bootstrap):
        missing.append(name)
        continue
    archive = bootstrap + ".zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        info = zipfile.ZipInfo("bootstrap", date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = (0o100755 << 16)
        with open(bootstrap, "rb") as f:
            z.writestr(info, f.read(), compresslevel=9)
    rows.append((name, os.path.getsize(bootstrap), os.path.getsize(archive)))

print(f"| function | bootstrap MB | zip MB | flag |")
print(f"|---|---:|---:|---|")
for name, size, zipped in rows:
    flag = f"over {TARGET_MB:.0f} MB" if size >= TARGET_MB * MB else ""
    print(f"| {name} | {size / MB:.2f} | {zipped / MB:.2f} | {flag} |")
if rows:
    sizes = sorted(r[1] for r in rows)
    zips = sorted(r[2] for r in rows)
    print(f"| total ({len(rows)}) | {sum(sizes) / MB:.2f} | {sum(zips) / MB:.2f} | |")
    print(f"| median | {sizes[len(sizes) // 2] / MB:.2f} | {zips[len(zips) // 2] / MB:.2f} | |")
    print(f"| largest | {sizes[-1] / MB:.2f} | {zips[-1] / MB:.2f} | |")
over = [r[0] for r in rows if r[1] >= TARGET_MB * MB]
print()
if over:
    print(f"{len(over)} of {len(rows)} bootstraps are {TARGET_MB:.0f} MB or more: {', '.join(over)}")
else:
    print(f"every bootstrap is under {TARGET_MB:.0f} MB")
for name in missing:
    print(f"no bootstrap for {name} (target/lambda/{name}/bootstrap)")
sys.exit(1 if missing else 0)
PY
