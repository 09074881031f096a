#!/usr/bin/env bash
# A short cargo-fuzz run of each target in fuzz/ (docs/reliability.md): graph_ops (the
# graph model of crates/pymem/tests/all/model/program.rs), alloc_ops (the allocator model
# of crates/pymem-alloc/tests/model/program.rs) and python_source (Python source text run by
# pymem-py; its corpus is the conformance programs), AddressSanitizer on, each for a fixed time
# with a fixed seed, starting from the committed corpus in fuzz/corpus/<target>/. A crash
# (an oracle's panic, or a sanitizer report) fails; its input is left in
# fuzz/artifacts/<target>/. Prints "skipped: <why>" and exits 0 when the nightly toolchain
# or cargo-fuzz cannot be had. Longer runs: see docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.2
SECONDS_PER_TARGET=${FUZZ_SECONDS:-30}

if ! rustup toolchain list | grep -q nightly \
   && ! rustup toolchain install nightly --profile minimal >/dev/null 2>&1; then
  echo "skipped: the nightly toolchain (which cargo-fuzz needs) could not be installed"
  exit 0
fi
if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  echo "installing cargo-fuzz $CARGO_FUZZ_VERSION"
  if ! cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked >/dev/null 2>&1; then
    echo "skipped: cargo-fuzz $CARGO_FUZZ_VERSION could not be installed"
    exit 0
  fi
fi
cargo fuzz --version

cd fuzz
cargo +nightly fuzz build
# New inputs go to a scratch directory, so the committed corpus stays as it is.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for target in graph_ops alloc_ops python_source; do
  # python_source runs without LeakSanitizer's per-input leak check: on 2026-12-04 it
  # reported 5,119 bytes in 82 blocks left unreachable by an input that runs nothing (the
  # interpreter between two programs). That leak is open (docs/python.md, "What is
  # missing"); every other sanitizer report still fails the run.
  extra=()
  [[ "$target" == python_source ]] && extra=(-detect_leaks=0)
  echo "--- $target: ${SECONDS_PER_TARGET}s, seed 1, corpus/$target ($(ls "corpus/$target" | wc -l) files)"
  mkdir -p "$scratch/$target"
  log="$scratch/$target.log"
  if ! cargo +nightly fuzz run "$target" "$scratch/$target" "corpus/$target" -- \
      -max_total_time="$SECONDS_PER_TARGET" -seed=1 -print_final_stats=1 "${extra[@]}" >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "FAILED: $target crashed; the input is in fuzz/artifacts/$target/"
    exit 1
  fi
  # libFuzzer's final line (#N DONE cov: ft: corp:) and its execution count.
  grep -E '^#[0-9]+[[:space:]]+DONE|^stat::number_of_executed_units' "$log"
done
