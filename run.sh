#!/usr/bin/env bash
# The two commands of the README:
#   ./run.sh main   the main job: cm compare (CT against CD on ring8), plots in out/compare
#   ./run.sh test   the test suite (installs what is missing, builds, runs every test; then the
#                   DocC catalogs built with warnings as errors and the doc-comment coverage check;
#                   then the Python conformance kit's tests in a venv from PyPI)
#   ./run.sh docs   the DocC catalogs alone (the same check; the archive is written to
#                   .build/plugins/Swift-DocC/outputs/ConsistencyModels.doccarchive)
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the project needs: OpenBLAS for the MLP's matrix products; gnuplot and
# gnuplot-iostream for the plots (gnuplot-nox, so that the default install does not drag in Qt).
packages=(libopenblas-dev gnuplot-nox libgnuplot-iostream-dev)

install_missing_packages() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "run.sh: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# --- DocC catalogs (Sources/*/*.docc, issue 13) ----------------------------------------------
# Every documented target in one invocation of the swift-docc-plugin, warnings as errors (a broken
# ``Symbol`` link, a parameter documented under a wrong name), combined so that the umbrella
# catalog's ``/CMCore/...`` links resolve against the layers' archives. Then every public symbol
# of these targets must have a doc comment (scripts/doc_coverage.py reads the symbol graphs the
# plugin just extracted). Returns non-zero if either fails.
doc_targets=(CMCore CMStorage CMData CMNetwork CMKernels CMMetrics CMTeacher CMTraining CMExperiments CMBench Plotting
  ConsistencyModels)
docs_check() {
  local args=() status=0
  for t in "${doc_targets[@]}"; do args+=(--target "$t"); done
  swift package --disable-sandbox generate-documentation "${args[@]}" \
    --enable-experimental-combined-documentation --warnings-as-errors || status=$?
  python3 scripts/doc_coverage.py "${doc_targets[@]}" || status=$?
  if [ "$status" -ne 0 ]; then echo "run.sh: the DocC check failed" >&2; fi
  return "$status"
}

# --- Python conformance kit (Fixtures/cmconform, issue 12) -----------------------------------
# A venv from PyPI (.venv-kit/, git-ignored) with numpy and pytest, the kit installed the way a
# user installs it (pip install ./Fixtures/cmconform, non-editable), then the kit's own tests.
# CMCONFORM_CM points the --random tests at the cm just built (they are skipped without it).
kit_tests() {
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    packages=(python3-venv)
    install_missing_packages
  fi
  [ -x .venv-kit/bin/python ] || python3 -m venv .venv-kit
  .venv-kit/bin/python -m pip install -q --disable-pip-version-check numpy pytest
  .venv-kit/bin/python -m pip install -q --disable-pip-version-check ./Fixtures/cmconform
  local cm=""
  [ -x .build/debug/cm ] && cm="$PWD/.build/debug/cm"
  CMCONFORM_CM="$cm" .venv-kit/bin/pytest Fixtures/cmconform/tests
}
# ---------------------------------------------------------------------------------------------

case "${1:-}" in
  main)
    # CT against CD (two teachers) on ring8 with the default budget: plots and summary in out/compare
    install_missing_packages
    swift build -c release --product cm
    .build/release/cm compare --budget default --output out/compare
    echo "open out/compare/summary.md and out/compare/*.png"
    ;;
  test)
    install_missing_packages
    swift build --build-tests
    swift_status=0
    swift test --skip-build || swift_status=$?
    docs_status=0
    docs_check || docs_status=$?  # the DocC catalogs, after the Swift tests (run even if they failed)
    kit_tests  # the Python conformance kit's pytest, after the Swift tests (run even if they failed)
    [ "$swift_status" -ne 0 ] && exit "$swift_status"
    exit "$docs_status"
    ;;
  docs)
    install_missing_packages
    docs_check
    ;;
  *)
    echo "usage: ./run.sh main|test|docs" >&2
    exit 2
    ;;
esac
