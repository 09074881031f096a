#!/usr/bin/env bash
# valgrind's memcheck over pymem's tests with every block from the system allocator, and
# over pymem-alloc's (docs/reliability.md): any invalid read or write, or any byte
# definitely lost, fails. Prints "skipped: <why>" and exits 0 when valgrind is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v valgrind >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  echo "installing valgrind (Debian's package)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind) \
    >/dev/null 2>&1 || true
fi
if ! command -v valgrind >/dev/null 2>&1; then
  echo "skipped: valgrind is not installed and could not be installed"
  exit 0
fi
# The test binaries, built once; cargo prints their paths as JSON.
binaries() {
  cargo test --no-run --message-format=json "$@" 2>/dev/null \
    | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p'
}
memcheck() {
  echo "--- valgrind $*"
  valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1 \
    --suppressions=ci/valgrind.supp --show-leak-kinds=definite "$@"
}
# memcheck runs code some 50 times slower: fewer model programs (the normal suite runs 512)
# and chains of 100,000 links in scenario 48 (the normal suite frees a million).
export PYMEM_MODEL_CASES=16 PYMEM_CHAIN_LINKS=100000
for bin in $(binaries -p pymem --features system-alloc --test all); do
  # One test thread: valgrind serializes threads anyway. The abort tests re-run the binary
  # and expect SIGABRT, which memcheck reports as lost memory of the aborted child.
  memcheck "$bin" --test-threads=1 --skip s02_ -q
done
for bin in $(binaries -p pymem-alloc --tests); do
  memcheck "$bin" --test-threads=1 -q
done
