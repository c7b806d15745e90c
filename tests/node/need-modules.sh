# need-modules.sh: sourced by the tests that run under node (tests/dap/dap.sh,
# tests/tui/chrome-flows.sh).  need_node_module PACKAGE WHAT checks that node
# exists and that ./bootstrap installed PACKAGE into the build tree's
# tests/node/node_modules.  When it did not, the test fails, naming the fix,
# unless bootstrap recorded that the npm registry could not be reached (no
# network, or a TLS error such as an intercepting proxy's certificate): then
# the test is skipped with that reason, since nothing in the project can
# mend the network.
NODE_TESTS_DIR=$top_builddir/tests/node
export NODE_TESTS_DIR
need_node_module() {
  if ! command -v node >/dev/null 2>&1; then
    echo "1..1"
    echo "not ok 1 - node is missing: ./bootstrap installs nodejs and npm"
    exit 1
  fi
  [ -d "$NODE_TESTS_DIR/node_modules/$1" ] && return 0
  if [ -s "$NODE_TESTS_DIR/npm-unreachable" ]; then
    echo "1..0 # SKIP $2: the npm registry was unreachable when bootstrap ran ($(head -n 1 "$NODE_TESTS_DIR/npm-unreachable"))"
    exit 0
  fi
  echo "1..1"
  echo "not ok 1 - $2 is missing: run ./bootstrap (npm ci in $NODE_TESTS_DIR)"
  exit 1
}
