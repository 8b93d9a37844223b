#!/bin/sh
# simulate_threads.sh LODESTONE SCENARIO OUTDIR: the same seed gives byte-identical files for any
# --threads (docs/scenarios.md), and the run count and seed land in run.json.
set -e
lode=$1
scenario=$2
out=$3
rm -rf "$out"
mkdir -p "$out"
for t in 1 2 3; do
  "$lode" simulate "$scenario" --runs 40 --seed 9 --horizon 30 --threads $t --out "$out/t$t" --format csv > "$out/stdout$t.csv"
done
for f in series.csv series.json summary.csv summary.json run.json; do
  cmp "$out/t1/$f" "$out/t2/$f"
  cmp "$out/t1/$f" "$out/t3/$f"
done
cmp "$out/stdout1.csv" "$out/stdout2.csv"
grep -q '"seed": 9' "$out/t1/run.json"
grep -q '"runs_done": 40' "$out/t1/run.json"
echo "identical for 1, 2 and 3 threads"
