#!/bin/sh
# propagate_threads.sh LODESTONE GEN WORK: the same generated network with 1 and 2 threads and
# both rationing rules gives byte-identical output files.
set -e
lode=$1; gen=$2; work=$3
rm -rf "$work"; mkdir -p "$work"
"$gen" --firms 5000 --seed 3 --shocked-share 0.05 --out "$work/net" >/dev/null
for rule in proportional lowest-first; do
  for t in 1 2; do
    "$lode" propagate --firms "$work/net/csv/firms.csv" --links "$work/net/csv/links.csv" \
      --shock "$work/net/csv/shocks.csv" --days 25 --rationing $rule --threads $t \
      --snapshot-days 10,25 --out "$work/$rule-$t" --format csv >/dev/null
  done
  for f in daily.csv firms.csv groups.csv snapshot_day10.csv snapshot_day25.csv; do
    cmp "$work/$rule-1/$f" "$work/$rule-2/$f"
  done
done
echo "threads identical"
