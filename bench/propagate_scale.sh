#!/bin/sh
# propagate_scale.sh BUILD [WORK]: the national-scale figures of docs/propagate.md ("Performance").
# BUILD is a build folder with the benchmarks, e.g. build/release configured with
#   cmake --preset release -DLODE_BUILD_BENCH=ON && cmake --build --preset release
# Runs propagate_scale (triad bandwidth, s/day with 1 and 2 threads and both rationing rules, bytes
# streamed, peak memory) at 1e5 and 1e6 firms, then the CLI on the 1e6-firm CSV files under
# /usr/bin/time -v for the memory a user sees (reader included). About 1 minute and 0.7 GB;
# WORK (default /tmp/lodestone_scale) takes 200 MB of generated files.
set -e
build=$1; work=${2:-/tmp/lodestone_scale}
test -x "$build/bench/propagate_scale" || { echo "usage: propagate_scale.sh BUILD [WORK] (BUILD with LODE_BUILD_BENCH=ON)" >&2; exit 2; }
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
for n in 100000 1000000; do
  echo "== propagate_scale --firms $n --days 10"
  "$build/bench/propagate_scale" --firms $n --days 10
done
echo "== lodestone propagate on the 1e6-firm CSV files, 10 days, 2 threads"
rm -rf "$work"
"$build/bench/gen_firmnet" --firms 1000000 --seed 7 --out "$work" >/dev/null
/usr/bin/time -v "$build/apps/cli/lodestone" propagate --firms "$work/csv/firms.csv" --links "$work/csv/links.csv" \
  --shock "$work/csv/shocks.csv" --days 10 --threads 2 --format csv 2>&1 >/dev/null |
  grep -E "Elapsed|Maximum resident|Exit status"
rm -rf "$work"
