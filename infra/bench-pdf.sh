#!/usr/bin/env bash
# The screenplay PDF side by side with afterwriting (the npm package, installed here in
# .local/afterwriting, never a runtime dependency): the page count of every held Fountain
# fixture and of a generated 120-page feature, each rendered by both on US letter, title
# pages left out (afterwriting prints one even for a script without title data, and
# defaults to A4), then fountain-pdf's rendering time of the feature (cargo bench). Needs
# node and npm, and pdfinfo (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
AW=.local/afterwriting
if [ ! -x "$AW/node_modules/.bin/afterwriting" ]; then
    echo "==> npm install afterwriting@1.17.3 into $AW" >&2
    mkdir -p "$AW"
    npm install --prefix "$AW" --no-audit --no-fund --ignore-scripts afterwriting@1.17.3 >&2
fi
WORK=.local/bench-pdf
mkdir -p "$WORK"
FEATURE="$WORK/feature.fountain"
mapfile -t FILES < <(find shared/fountain-text/tests/fixtures -name '*.fountain' | sort)

echo "==> fountain-pdf page counts" >&2
OURS=$(cargo run -q --release -p fountain-pdf --example pages -- --feature 1530 "$FEATURE" "${FILES[@]}" "$FEATURE")

printf '%-70s %6s %6s\n' file ours aw
same=0 within=0 apart=0
while IFS=$'\t' read -r file ours; do
    out="$WORK/$(basename "$file" .fountain).pdf"
    "$AW/node_modules/.bin/afterwriting" --source "$file" --pdf "$out" --overwrite \
        --setting print_profile=usletter --setting print_title_page=false >/dev/null 2>&1
    theirs=$(pdfinfo "$out" | awk '/^Pages:/ {print $2}')
    diff=$(( ours > theirs ? ours - theirs : theirs - ours ))
    if [ "$diff" -eq 0 ]; then same=$((same + 1)); elif [ "$diff" -eq 1 ]; then within=$((within + 1)); else apart=$((apart + 1)); fi
    printf '%-70s %6s %6s\n' "$file" "$ours" "$theirs"
done <<< "$OURS"
echo "equal: $same, one page apart: $within, more: $apart"

echo "==> cargo bench -p fountain-pdf --bench render" >&2
cargo bench -q -p fountain-pdf --bench render
