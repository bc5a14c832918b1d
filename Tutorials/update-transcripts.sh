#!/usr/bin/env bash
# Rebuilds the numbered tutorials and rewrites each Tutorials/NN-Name/transcript.txt from a real
# run (`--no-pause`, no standard input). Transcripts are never edited by hand: TutorialTests
# compares every tutorial's output with its transcript byte for byte. Each tutorial runs in an
# empty temporary folder; the figures it writes there (out/tutorials/NAME.gp and NAME.png)
# replace the committed copies in Tutorials/figures/, which the tutorial READMEs show.
#
#   Tutorials/update-transcripts.sh                 uses the default build folder (.build)
#   SCRATCH_PATH=.build-x Tutorials/update-transcripts.sh
#
# Review the diff afterwards (git diff Tutorials/): a change in a transcript is a change in
# what a learner reads.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=()
if [ -n "${SCRATCH_PATH:-}" ]; then scratch=(--scratch-path "$SCRATCH_PATH"); fi

# Reading order: folder under Tutorials/ and product name (as declared in Package.swift).
tutorials=(
  "00-WhatIsAConsistencyModel Tutorial00WhatIsAConsistencyModel"
  "01-Curriculum Tutorial01Curriculum"
  "02-KarrasGrid Tutorial02KarrasGrid"
  "03-NoisyPair Tutorial03NoisyPair"
  "04-ConsistencyFunction Tutorial04ConsistencyFunction"
  "05-Distances Tutorial05Distances"
  "06-TargetEMA Tutorial06TargetEMA"
  "07-CTStep Tutorial07CTStep"
  "08-Sampling Tutorial08Sampling"
  "09-CDOrCT Tutorial09CDOrCT"
  "10-SeedAsWritten Tutorial10SeedAsWritten"
  "11-ConditionalSampling Tutorial11ConditionalSampling"
  "12-Interpolation Tutorial12Interpolation"
)

for entry in "${tutorials[@]}"; do
  set -- $entry
  swift build "${scratch[@]}" --product "$2"
done
bin="$(swift build "${scratch[@]}" --show-bin-path)"

figures="$(mktemp -d)"
trap 'rm -rf "$figures"' EXIT
for entry in "${tutorials[@]}"; do
  set -- $entry
  out="Tutorials/$1/transcript.txt"
  mkdir "$figures/$1"
  (cd "$figures/$1" && "$bin/$2" --no-pause < /dev/null) > "$out.tmp"
  mv "$out.tmp" "$out"
  echo "wrote $out ($(wc -l < "$out") lines)"
done

mkdir -p Tutorials/figures
rm -f Tutorials/figures/*.gp Tutorials/figures/*.png
for folder in "$figures"/*/out/tutorials; do
  [ -d "$folder" ] && cp "$folder"/*.gp "$folder"/*.png Tutorials/figures/
done
echo "wrote Tutorials/figures ($(ls Tutorials/figures | wc -l) files)"
