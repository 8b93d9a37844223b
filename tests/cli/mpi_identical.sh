#!/bin/sh
# mpi_identical.sh MPIEXEC LODESTONE GEN SCENARIO WORK: `mpirun -np K lodestone simulate|propagate`
# writes the same bytes as one process with the same seed (docs/parallel.md), for K = 2 and 3;
# only rank 0 prints; a bad input fails on every rank with exit 2 and one message; a command that
# does not split over ranks is refused. Every run's exit code is checked (set -e).
set -e
mpiexec=$1; lode=$2; gen=$3; scenario=$4; work=$5
rm -rf "$work"; mkdir -p "$work"
mpi() { "$mpiexec" --oversubscribe -np "$@"; }

# simulate: 40 runs = 3 chunks of 16, so 2 and 3 ranks get unequal shares.
"$lode" simulate "$scenario" --runs 40 --seed 9 --horizon 30 --threads 2 --out "$work/sim1" --format csv > "$work/sim1.csv"
for k in 2 3; do
  mpi $k "$lode" simulate "$scenario" --runs 40 --seed 9 --horizon 30 --threads 1 --out "$work/sim$k" \
    --format csv > "$work/sim$k.csv"
  for f in series.csv series.json summary.csv summary.json run.json; do
    cmp "$work/sim1/$f" "$work/sim$k/$f"
  done
  cmp "$work/sim1.csv" "$work/sim$k.csv"  # printed once, by rank 0
done

# propagate with a set of shocks: the generated shocks, and the first and last 10 of them.
"$gen" --firms 3000 --seed 5 --shocked-share 0.03 --out "$work/net" >/dev/null
csv=$work/net/csv
head -n 11 "$csv/shocks.csv" > "$work/first.csv"
{ head -n 1 "$csv/shocks.csv"; tail -n 10 "$csv/shocks.csv"; } > "$work/last.csv"
set_args="--firms $csv/firms.csv --links $csv/links.csv --shock $csv/shocks.csv --shock $work/first.csv
  --shock $work/last.csv --days 20 --rationing lowest-first --snapshot-days 20 --format csv"
"$lode" propagate $set_args --out "$work/prop1" > "$work/prop1.csv"
mpi 2 "$lode" propagate $set_args --threads 1 --out "$work/prop2" > "$work/prop2.csv"
cmp "$work/prop1.csv" "$work/prop2.csv"
cmp "$work/prop1/shock_sets.csv" "$work/prop2/shock_sets.csv"
for s in shocks first last; do
  for f in daily.csv firms.csv groups.csv run.json snapshot_day20.csv; do
    cmp "$work/prop1/$s/$f" "$work/prop2/$s/$f"
  done
done

# A bad input: every rank fails, exit 2, the message printed once.
code=0
mpi 2 "$lode" simulate "$work/no_such.toml" --runs 4 2> "$work/bad.err" >/dev/null || code=$?
test "$code" -eq 2
test "$(grep -c 'no_such.toml' "$work/bad.err")" -eq 1
# A command that would only run twice is refused.
code=0
mpi 2 "$lode" info 2> "$work/info.err" >/dev/null || code=$?
test "$code" -eq 2
grep -q 'only simulate and propagate' "$work/info.err"
echo "identical for 1, 2 and 3 ranks"
