#!/usr/bin/env bash
# AddressSanitizer (with LeakSanitizer, on by default on Linux) over pymem's tests with every
# block from the system allocator, so that each object is its own allocation the sanitizer
# sees (docs/reliability.md). Prints "skipped: <why>" and exits 0 without nightly.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup toolchain list | grep -q nightly || ! rustup component add --toolchain nightly rust-src >/dev/null 2>&1; then
  echo "skipped: the nightly toolchain (needed for -Zsanitizer) is not installed"
  exit 0
fi
target="$(rustc -vV | sed -n 's/^host: //p')"
# --target keeps the sanitizer off build scripts and the derive macro; a separate target
# directory keeps these objects apart from the normal build. The abort tests look for
# SIGABRT, which ASan would replace with its own report: they run in the normal suite.
export RUSTFLAGS="-Zsanitizer=address" ASAN_OPTIONS="detect_leaks=1"
export LSAN_OPTIONS="suppressions=$PWD/ci/lsan.supp:print_suppressions=1"
cargo +nightly test --target "$target" --target-dir target/asan \
  -p pymem --features system-alloc --test all -- --skip s02_
# Doctests are left out: rustdoc does not link the sanitizer runtime into them.
cargo +nightly test --target "$target" --target-dir target/asan -p pymem-alloc -p pymem-trace --lib --tests
