#!/bin/sh
# events_workflow.sh LODE TMPDIR DATADIR: `events add` is idempotent, a changed event is a new
# revision, a bad file is refused whole with every bad line listed, the default workspace lives
# under $XDG_DATA_HOME, and the timeline uses the workspace's events.
LODE=$1; TMP=$2; DATA=$3
rm -rf "$TMP"; mkdir -p "$TMP"
WS="$TMP/ws.sqlite"
fail() { echo "FAIL: $*"; exit 1; }
expect() { printf '%s\n' "$1" | grep -q -- "$2" || { printf '%s\n' "$1"; fail "expected /$2/"; }; }
reject() { printf '%s\n' "$1" | grep -q -- "$2" && { printf '%s\n' "$1"; fail "did not expect /$2/"; }; return 0; }

out=$("$LODE" events add "$DATA/events_a.csv" --workspace "$WS" --format csv) || fail "add a"
expect "$out" "^WS-GA-QUOTA,new,1,3$"
expect "$out" "^WS-SB-TAX,new,1,4$"
out=$("$LODE" events add "$DATA/events_a.csv" --workspace "$WS" --format csv) || fail "add a again"
expect "$out" "^WS-GA-QUOTA,unchanged,1,3$"
expect "$out" "^WS-SB-TAX,unchanged,1,4$"
out=$("$LODE" events add "$DATA/events_a_changed.jsonl" --workspace "$WS" --format csv) || fail "add changed"
expect "$out" "^WS-GA-QUOTA,revised,2,1$"
expect "$out" "^WS-SB-TAX,unchanged,1,2$"
out=$("$LODE" events history WS-GA-QUOTA --workspace "$WS" --format csv) || fail "history"
expect "$out" "^workspace,1,.*events_a.csv:3,"
expect "$out" "^workspace,2,.*events_a_changed.jsonl:1,.*,quota_tonnes,$"
out=$("$LODE" events list --origin workspace --workspace "$WS" --format csv) || fail "list"
expect "$out" "^WS-GA-QUOTA,export_quota,CHN,gallium,ALL,2026-12-15,,,inactive,workspace r2$"
out=$("$LODE" events history CN-2025-SUSP46 --workspace "$WS" --format csv) || fail "history of a dataset measure"
expect "$out" "^dataset,,,embedded data/world,"

# A bad file: every bad line listed, exit 2, nothing stored (not even its good line).
err=$("$LODE" events add "$DATA/events_bad.csv" --workspace "$WS" 2>&1 >/dev/null); code=$?
[ "$code" -eq 2 ] || fail "bad file: exit $code"
expect "$err" "events_bad.csv:2:25: materials: unknown material 'unobtainium' (E-UNKNOWN-MATERIAL)"
expect "$err" "events_bad.csv:3:37: effective: expected a date YYYY-MM-DD, got '2026-12-32' (E-DATE)"
out=$("$LODE" events list --origin workspace --workspace "$WS" --format csv) || fail "list after bad file"
reject "$out" "WS-GOOD"
err=$("$LODE" events add "$DATA/unknown_suspends.jsonl" --workspace "$WS" 2>&1 >/dev/null); code=$?
[ "$code" -eq 2 ] || fail "unknown suspends: exit $code"
expect "$err" "unknown_suspends.jsonl:1: suspends: suspends unknown measure 'CN-9999-000' (E-UNKNOWN-MEASURE)"

# The timeline uses workspace events: an extension keeps the US ban suspended past 2026-11-27.
out=$("$LODE" policies --as-of 2026-11-27 --upcoming 30d --workspace "$WS" --format table) || fail "policies before"
expect "$out" "CN-2024-046-2  *export_ban.*binds again from 2026-11-28: suspension CN-2025-SUSP46"
"$LODE" events add "$DATA/extension.jsonl" --workspace "$WS" --format csv >/dev/null || fail "add extension"
out=$("$LODE" policies --as-of 2026-11-27 --upcoming 30d --workspace "$WS" --format table) || fail "policies after"
reject "$out" "CN-2024-046-2  *export_ban.*binds again"
expect "$out" "CN-2024-046-3 binds again from 2026-11-28 unless a later event extends the suspension; CN-2024-046-2 stays suspended by another suspension"
expect "$out" "suspension WS-SUSP46-EXT starts on 2026-11-28: suspends CN-2024-046-2 to 2027-11-10 (last day)"
out=$("$LODE" policies --as-of 2026-11-27 --upcoming 30d --no-workspace --format table) || fail "policies without workspace"
expect "$out" "CN-2024-046-2  *export_ban.*binds again from 2026-11-28: suspension CN-2025-SUSP46"

# Without --workspace the workspace is $XDG_DATA_HOME/lodestone/workspace.sqlite.
XDG_DATA_HOME="$TMP/xdg" "$LODE" events add "$DATA/events_a.csv" --format csv >/dev/null || fail "default path"
[ -f "$TMP/xdg/lodestone/workspace.sqlite" ] || fail "no workspace under XDG_DATA_HOME"
echo "events workflow ok"
