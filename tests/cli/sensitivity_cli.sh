#!/bin/sh
# simulate --sensitivity: the exit code of lodestone itself is checked (not only the text), then
# the CSV is checked as one table. Usage: sensitivity_cli.sh LODESTONE SCENARIO N_PARAMS CHECKER
lode=$1; scenario=$2; n=$3; checker=$4
out=$("$lode" simulate "$scenario" --sensitivity --runs 3 --horizon 16 --threads 2 --format csv)
rc=$?
if [ "$rc" -ne 0 ]; then
  echo "lodestone exited $rc"
  exit 1
fi
printf '%s\n' "$out" | python3 "$checker" "$n" || exit 1
