#!/bin/sh
# dap.sh: the Debug Adapter tests (dap.test.mjs) under node's test runner,
# printing TAP.  The client, npm's @vscode/debugadapter-testsupport, is
# installed by ./bootstrap into the build tree (tests/node/node_modules).
: "${top_builddir:?}" "${top_srcdir:?}" "${TTDB:?}"
. "$top_srcdir/tests/node/need-modules.sh"
need_node_module @vscode/debugadapter-testsupport "the DAP test client"
exec node --test --test-reporter=tap "$top_srcdir/tests/dap/dap.test.mjs"
