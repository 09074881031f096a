#!/usr/bin/env bash
# The library crates build with the rust-version stated in Cargo.toml ([workspace.package]).
# Installs that toolchain (minimal profile) if it is missing; prints "skipped: <why>" and
# exits 0 when it cannot be had.
set -euo pipefail
cd "$(dirname "$0")/.."

msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
toolchain="$msrv.0"
[[ "$msrv" == *.*.* ]] && toolchain="$msrv"
if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1 \
   && ! rustup toolchain install "$toolchain" --profile minimal >/dev/null 2>&1; then
  echo "skipped: the MSRV toolchain $toolchain could not be installed"
  exit 0
fi
rustup run "$toolchain" rustc --version
rustup run "$toolchain" cargo check -p pymem-alloc -p pymem-trace -p pymem-derive -p pymem
