#!/bin/sh
# expect_exit.sh CODE COMMAND...: runs COMMAND, passes if it exits with CODE and printed a diagnostic.
want=$1
shift
err=$("$@" 2>&1 >/dev/null)
got=$?
echo "$err"
[ "$got" -eq "$want" ] || { echo "expected exit $want, got $got"; exit 1; }
[ -n "$err" ] || { echo "expected a message on stderr"; exit 1; }
