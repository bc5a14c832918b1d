#!/usr/bin/env bash
# The peer benchmark: `cm bench` beside the step it times (CT as the toy default trains it, iCT:
# exponential curriculum, lognormal pairs, θ⁻ = stopgrad θ, pseudo-Huber with λ = 1/Δt, Adam and
# the evaluation EMA) in NumPy, PyTorch and JAX (peer_bench.py; its docstring has the step).
#
#   Tests/Peers/peer_bench.sh [--rounds 3] [--steps 1000] [--cpu 1]
#   Tests/Peers/peer_bench.sh --check     # every implementation computes the same loss, ∇θ L,
#                                         # pair draw and update; curriculum and p(n) as cm inspect
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
