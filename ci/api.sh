#!/usr/bin/env bash
# The public API of the published crates against the committed baseline (api/<crate>.txt):
# any change, an item removed, added or with another signature, fails until the baseline is
# updated with `ci/api.sh --bless` in the same commit as a CHANGELOG.md entry. The API is
# read from rustdoc's JSON output (nightly) by ci/api.py. Prints "skipped: <why>" and exits
# 0 when the nightly toolchain is missing or writes another JSON format than the baseline's.
set -euo pipefail
cd "$(dirname "$0")/.."

FORMAT=57  # rustdoc JSON format_version the baseline was made from
CRATES="pymem-alloc pymem-trace pymem-derive pymem pymem-tools"

if ! rustup toolchain list | grep -q nightly; then
  echo "skipped: no nightly toolchain (rustdoc's JSON output is unstable)"
  exit 0
fi
status=0
for crate in $CRATES; do
  json="target/doc/${crate//-/_}.json"
  cargo +nightly rustdoc -q -p "$crate" --lib -- -Z unstable-options --output-format json
  found=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['format_version'])" "$json")
  if [[ "$found" != "$FORMAT" ]]; then
    echo "skipped: rustdoc writes JSON format $found, the baseline was made from $FORMAT"
    exit 0
  fi
  python3 ci/api.py "$json" > "target/doc/$crate.api.txt"
  if [[ "${1:-}" == --bless ]]; then
    cp "target/doc/$crate.api.txt" "api/$crate.txt"
    echo "api/$crate.txt: $(wc -l < "api/$crate.txt") items"
  elif ! diff -u "api/$crate.txt" "target/doc/$crate.api.txt"; then
    echo "FAILED: the public API of $crate changed (above); record it in CHANGELOG.md and run ci/api.sh --bless"
    status=1
  else
    echo "$crate: $(wc -l < "api/$crate.txt") items, as in the baseline"
  fi
done
exit $status
