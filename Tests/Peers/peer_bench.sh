#!/usr/bin/env bash
# The peer benchmark: `cm bench` beside the same CT step in NumPy, PyTorch and JAX (peer_bench.py).
#
#   Tests/Peers/peer_bench.sh [--rounds 3] [--steps 1000] [--cpu 1]
#
# Builds cm in release, makes a venv from PyPI (numpy, torch, jax[cpu], threadpoolctl) in
# .build/peer-venv (PEER_VENV overrides) the first time, then runs the interleaved rounds and
# prints the table. A benchmark, not a test: CI does not run it.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv="${PEER_VENV:-.build/peer-venv}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import numpy, torch, jax, threadpoolctl" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade pip
  "$venv/bin/pip" install -q numpy torch "jax[cpu]" threadpoolctl
fi
swift build -c release --product cm
exec "$venv/bin/python" Tests/Peers/peer_bench.py --cm .build/release/cm "$@"
