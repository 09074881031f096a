#!/usr/bin/env bash
# Re-records CPython's output for the differential tests (needs pyenv's CPython 3.13).
set -euo pipefail
cd "$(dirname "$0")"
for script in *.py; do
  PYENV_VERSION=3.13.0 python3.13 "$script" > "${script%.py}.out" 2> "${script%.py}.err"
  echo "recorded ${script%.py}.out with $(PYENV_VERSION=3.13.0 python3.13 --version)"
done
