#!/bin/bash
# Dev only: scripts/dev/sweep.sh '<json>' ... — generate a tuned model per setting and print J&F per sequence.
cd "$(dirname "$0")/../.."
for t in "$@"; do
  d=/tmp/sweep-model
  rm -rf $d; REF_TUNE="$t" npx tsx models/generator/generate.ts --out $d >/dev/null 2>&1
  r=$(npx tsx scripts/eval.ts ../shared/data/davis2016 --model $d/manifest.json 2>/dev/null | awk '/^[a-z-]+ +J /{printf "%s %.2f/%.2f  ", substr($1,1,5), $3, $5} /^J&F/{printf "JF %s", $2}')
  echo "$t => $r"
done
