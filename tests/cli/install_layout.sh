#!/bin/sh
# install_layout.sh BUILD_DIR PREFIX SOURCE_DIR: `cmake --install` into a temporary prefix, moves the
# prefix elsewhere (nothing may point back into the build or source tree), starts the installed
# `lodestone serve` on a free loopback port and fetches the dashboard and the API from it.
# Skipped (exit 77) when web/dist is not built, unless LODE_E2E_REQUIRED=1.
build=$1
prefix=$2
src=$3
fail() { echo "FAIL: $*"; [ -n "$pid" ] && kill "$pid" 2>/dev/null; exit 1; }
if [ ! -f "$src/web/dist/index.html" ]; then
    echo "web/dist is not built (make web): skipped"
    [ "${LODE_E2E_REQUIRED:-0}" = 1 ] && exit 1
    exit 77
fi
rm -rf "$prefix" "$prefix.moved"
cmake --install "$build" --prefix "$prefix" >/dev/null || fail "cmake --install exit $?"
[ -x "$prefix/bin/lodestone" ] || fail "no $prefix/bin/lodestone"
[ -f "$prefix/share/lodestone/web/index.html" ] || fail "no $prefix/share/lodestone/web/index.html"
mv "$prefix" "$prefix.moved" || fail "mv"
root=$prefix.moved
log=$root/serve.log
XDG_DATA_HOME=$root/xdg "$root/bin/lodestone" serve --port 0 >"$log" 2>&1 &
pid=$!
i=0
while ! grep -q "listening on" "$log" 2>/dev/null; do
    i=$((i + 1))
    [ $i -gt 600 ] && fail "server did not start: $(cat "$log")"
    sleep 0.1
done
port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' "$log")
[ -n "$port" ] || fail "no port in: $(cat "$log")"
grep -q "dashboard: .*share/lodestone/web" "$log" || fail "dashboard not found beside the binary: $(cat "$log")"
curl -sf "http://127.0.0.1:$port/" -o "$root/index.got" || fail "GET / failed"
cmp -s "$root/index.got" "$root/share/lodestone/web/index.html" || fail "GET / is not the installed index.html"
curl -sf "http://127.0.0.1:$port/api/v1/dataset" >/dev/null || fail "GET /api/v1/dataset failed"
kill "$pid"
wait "$pid" 2>/dev/null
echo "install layout ok (port $port)"
