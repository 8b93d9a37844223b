#!/bin/sh
# simulate_mpi.sh LODESTONE SCENARIO WORK: `mpirun -np 2 lodestone simulate` writes the same bytes
# as one process with the same seed and runs (series, summaries and run.json).
set -e
lode=$1; scn=$2; work=$3
rm -rf "$work"; mkdir -p "$work"
# Open MPI keeps some allocations until exit; LeakSanitizer would count them as leaks.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
"$lode" simulate "$scn" --runs 40 --seed 11 --threads 1 --out "$work/one" --format csv > "$work/one.txt"
mpirun --allow-run-as-root --oversubscribe -np 2 "$lode" simulate "$scn" --runs 40 --seed 11 --threads 1 \
  --out "$work/two" --format csv > "$work/two.txt"
for f in series.csv series.json summary.csv summary.json run.json; do
  cmp "$work/one/$f" "$work/two/$f"
done
cmp "$work/one.txt" "$work/two.txt"
echo "mpi identical"
