#!/bin/sh
# chrome-flows.sh: the chrome exporter's flow arrows bind in the Chrome
# DevTools trace engine (npm @paulirish/trace_engine, tests/node/package.json,
# installed into the build tree by ./bootstrap), for the reference scenarios
# and a demo.
. "${top_srcdir:-.}/tests/tui/lib.sh"
. "$top_srcdir/tests/node/need-modules.sh"
need_node_module @paulirish/trace_engine "the Chrome DevTools trace engine"
MODULES=$NODE_TESTS_DIR/node_modules
plan 3
n=0
for s in hierarchy chunked parent_infusions; do
  n=$((n + 1))
  if [ "$s" = parent_infusions ]; then
    run_ttdb -batch -q -ex "set entries off" -ex continue -ex "export $TMPD/$s.chrome.json" "$EXAMPLES/$s.la"
  else
    run_ttdb -batch -q -x "$SCRIPTS/$s.ttdb" -ex "export $TMPD/$s.chrome.json" "$EXAMPLES/reference/$s.la"
  fi
  node "$top_srcdir/tests/tui/chrome-flows.mjs" "$MODULES" "$TMPD/$s.chrome.json" >"$TMPD/node.out" 2>&1
  nrc=$?
  tap_n=$((tap_n + 1))
  if [ "$nrc" = 0 ]; then
    echo "ok $tap_n - $s: $(sed -n 's/^ok 2 - //p' "$TMPD/node.out")"
  else
    echo "not ok $tap_n - $s: the flows do not all bind"
    sed 's/^/# /' "$TMPD/node.out"
  fi
done
