#!/bin/sh
# policy_warning.sh LODE: an as-of date later than the dataset's policy_verified date gets a warning on stderr, after
# the output, and the command still succeeds (exit 0); a date before it gets none.
lode=$1
err=$("$lode" policies --as-of 2027-06-01 --no-workspace --format csv 2>&1 >/dev/null)
code=$?
echo "$err"
[ "$code" -eq 0 ] || { echo "expected exit 0, got $code"; exit 1; }
echo "$err" | grep -q "^lodestone: warning: policy data verified to 2026-07-31; measures after that date are not known (as-of 2027-06-01)$" || exit 1
err=$("$lode" policies --as-of 2026-01-15 --no-workspace --format csv 2>&1 >/dev/null)
code=$?
[ "$code" -eq 0 ] || { echo "expected exit 0, got $code"; exit 1; }
# Notes (how old the data are) may appear; a warning may not.
echo "$err" | grep -q "warning" && { echo "expected no warning before the verification date, got: $err"; exit 1; }
out=$("$lode" brief --as-of 2027-06-01 --scenario-runs 0 --no-html --format json 2>/dev/null)
echo "$out" | grep -q '"policy_warning": *"policy data verified to 2026-07-31; measures after that date are not known"' || { echo "brief lacks the warning"; exit 1; }
echo "policy warning ok"
