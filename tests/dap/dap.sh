#!/bin/sh
# dap.sh: the Debug Adapter tests (dap.test.mjs) under node's test runner,
# printing TAP.  The client, npm's @vscode/debugadapter-testsupport, is
# installed by ./bootstrap into the build tree (tests/node/node_modules).
: "${top_builddir:?}" "${top_srcdir:?}" "${TTDB:?}"
NODE_TESTS_DIR=$top_builddir/tests/node
export NODE_TESTS_DIR
if ! command -v node >/dev/null 2>&1; then
  echo "1..1"
  echo "not ok 1 - node is missing: ./bootstrap installs nodejs and npm"
  exit 1
fi
if [ ! -d "$NODE_TESTS_DIR/node_modules/@vscode/debugadapter-testsupport" ]; then
  echo "1..1"
  echo "not ok 1 - the DAP test client is missing: run ./bootstrap" \
       "(npm ci in $NODE_TESTS_DIR)"
  exit 1
fi
exec node --test --test-reporter=tap "$top_srcdir/tests/dap/dap.test.mjs"
