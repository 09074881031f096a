#!/usr/bin/env bash
# Miri over the core crates (docs/reliability.md), with the sizes reduced under cfg(miri).
#
#   ci/miri.sh         the CI set: Stacked Borrows on the pools and on the system allocator,
#                      Tree Borrows with strict provenance on the pools
#   ci/miri.sh full    also Tree Borrows on the system allocator, strict provenance with
#                      symbolic alignment under Stacked Borrows, and four seeds
#
# Leaks stay errors (no -Zmiri-ignore-leaks). Prints "skipped: <why>" and exits 0 when the
# nightly toolchain with miri cannot be had.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup toolchain list | grep -q nightly \
   || ! rustup component add --toolchain nightly miri rust-src >/dev/null 2>&1 \
   || ! cargo +nightly miri --version >/dev/null 2>&1; then
  echo "skipped: the nightly toolchain with miri and rust-src could not be installed"
  exit 0
fi

# Tests run two at a time in separate processes when cargo-nextest is there.
miri_test() {
  echo "--- MIRIFLAGS='${MIRIFLAGS:-}' cargo miri test $*"
  if cargo nextest --version >/dev/null 2>&1; then
    cargo +nightly miri nextest run --no-fail-fast -j 2 "$@"
  else
    cargo +nightly miri test "$@"
  fi
}

MIRIFLAGS="" miri_test -p pymem-alloc -p pymem-trace
MIRIFLAGS="" miri_test -p pymem
MIRIFLAGS="" miri_test -p pymem --features system-alloc
MIRIFLAGS="-Zmiri-tree-borrows -Zmiri-strict-provenance" miri_test -p pymem-alloc -p pymem
if [[ "${1:-}" == full ]]; then
  MIRIFLAGS="-Zmiri-tree-borrows -Zmiri-strict-provenance" miri_test -p pymem --features system-alloc
  MIRIFLAGS="-Zmiri-strict-provenance -Zmiri-symbolic-alignment-check -Zmiri-many-seeds=0..4" \
    miri_test -p pymem-alloc -p pymem
fi
