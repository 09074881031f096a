#!/usr/bin/env bash
# Creates (once) the virtual environment whose Python prints the reference output of the tools
# pymem-tools reproduces (objgraph, memory_profiler, guppy3/heapy, psutil, prometheus-client),
# and prints that Python's path. Tests read it from PYMEM_TOOLS_PY:
#   export PYMEM_TOOLS_PY=$(bash ci/tools-venv.sh)
set -euo pipefail
venv=${PYMEM_TOOLS_VENV:-/tmp/pymem-tools-venv}
packages=(objgraph==3.7.0 memory-profiler==0.61.0 guppy3 psutil prometheus-client)
marker="$venv/.pymem-tools-$(printf '%s ' "${packages[@]}" | sha256sum | cut -c1-16)"
if [[ ! -f $marker ]]; then
    PYENV_VERSION=3.13.0 python3.13 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet "${packages[@]}" >&2
    touch "$marker"
fi
echo "$venv/bin/python"
