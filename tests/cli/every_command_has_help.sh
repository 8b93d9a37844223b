#!/bin/sh
# `--help` works on every subcommand listed by `lodestone --help`, and exits 0.
LODE=$1
CMDS=$("$LODE" --help | awk '/^Subcommands:/{on=1; next} on && NF {print $1}')
[ -n "$CMDS" ] || { echo "no subcommands found"; exit 1; }
for c in $CMDS; do
  "$LODE" "$c" --help > /dev/null || { echo "$c --help failed"; exit 1; }
done
echo "help ok for: $CMDS"
