#!/bin/sh
# batch-guard.sh: ttdb survives its debuggee.  Every entry into code that is
# not ttdb's (the module's constructors in dlopen, the formula, sparkles,
# probe callbacks, a class's destroy, an exporter's write) is contained as a
# sparkle is: a crash, a hang or a call to exit() is reported in one line,
# the session is marked, and ttdb and the trace survive.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 19

HOSTILE_APP=$APPS/hostile.la
hostile() {
  what=$1
  shift
  HOSTILE=$what $VALGRIND "$TTDB" "$@" >"$OUT" 2>"$ERR" </dev/null
  rc=$?
}

hostile none -batch -ex "set entries off" -ex "call Hostile leave 3" -ex continue -ex "echo alive" "$HOSTILE_APP"
check "a sparkle that calls exit(): reported, ttdb goes on" eval 'out_has "exited: 3 in Hostile.ttsc__leave" && out_has alive'

hostile none -batch -ex "set entries off" -ex "call Hostile leave 3" -ex continue -ex "export $TMPD/after-exit.json" "$HOSTILE_APP"
check "the trace survives exit() in a sparkle" eval 'grep -q "ttsc__leave" "$TMPD/after-exit.json"'

hostile none -batch -k -ex "set entries off" -ex "call Hostile arm" -ex continue -ex "info probes Hostile" -ex "echo alive" "$HOSTILE_APP"
check "a probe callback that crashes: one line, ttdb goes on" eval 'err_has "crashed: SIGSEGV in probe Hostile.bad" && out_has alive'

hostile none -batch -k -ex "set entries off" -ex "watch Hostile.bad" -ex "call Hostile arm" -ex continue -ex "echo alive" "$HOSTILE_APP"
check "watch on a crashing probe: ttdb survives" eval 'out_has alive && grep -q "crashed: SIGSEGV in probe Hostile.bad" "$OUT" "$ERR"'

hostile formula-segv -batch -ex "echo alive" "$HOSTILE_APP"
check "a crashing formula: crashed: ..." eval 'err_has "crashed: SIGSEGV in the formula of" && [ "$rc" -ne 139 ]'

hostile formula-exit -batch -ex "echo alive" "$HOSTILE_APP"
check "a formula that calls exit(5): exited: 5 in ..." eval 'err_has "exited: 5 in the formula of" && [ "$rc" -ne 5 ]'

hostile formula-loop -batch -k -ex "set watchdog 0.2" -ex "file $HOSTILE_APP" -ex "echo alive"
check "a formula that never returns: the watchdog stops it" eval 'err_has "watchdog: the formula of" && out_has alive'

hostile ctor-segv -batch -k -ex "file $HOSTILE_APP" -ex "echo alive"
check "a constructor that crashes inside dlopen: reported" eval 'err_has "crashed: SIGSEGV in loading" && out_has alive'

hostile ctor-exit -batch -k -ex "file $HOSTILE_APP" -ex "echo alive"
check "a constructor that calls exit(7): reported" eval 'err_has "exited: 7 in loading" && out_has alive'

hostile destroy-segv -batch -k -ex "set entries off" -ex "step 3" -ex restart -ex "info trace" \
  -ex "export $TMPD/destroy.json" -ex restart -ex "step 3" -ex "echo alive" "$HOSTILE_APP"
check "a class destroy that crashes at restart: reported in one line, session marked" \
  eval 'err_has "crashed: SIGSEGV in Hostile destroy" && err_has "no longer trustworthy" && status 3'
check "... its trace is kept, the next restart goes ahead" \
  eval 'out_has "3 tt_main_catalyst._ttss__add_tonic_to_catalyst(1)" && grep -q ttse__on_start "$TMPD/destroy.json" && out_has "restarted" && out_has alive'

# ... and at quit, at the end of the commands, and at `file` (another app)
hostile destroy-segv -batch -ex "set entries off" -ex "step 3" -ex quit "$HOSTILE_APP"
check "a class destroy that crashes at quit: reported, exit status 3" \
  eval 'err_has "crashed: SIGSEGV in Hostile destroy" && status 3'
hostile destroy-exit -batch -ex "set entries off" -ex "step 3" "$HOSTILE_APP"
check "a class destroy that calls exit(9) after the last command: reported, exit status 3" \
  eval 'err_has "exited: 9 in Hostile destroy" && status 3'
hostile destroy-loop -batch -ex "set entries off" -ex "set watchdog 0.2" -ex "step 3" -ex quit "$HOSTILE_APP"
check "a class destroy that never returns at quit: the watchdog stops it, exit status 3" \
  eval 'err_has "watchdog: Hostile destroy ran longer than 0.2s" && status 3'
hostile destroy-segv -batch -k -ex "set entries off" -ex "step 3" -ex "file $HOSTILE_APP" -ex "info trace" \
  -ex "export $TMPD/destroy-file.json" -ex "file $HOSTILE_APP" -ex "echo alive" "$HOSTILE_APP"
check "a class destroy that crashes at file: reported in one line, session marked" \
  eval 'err_has "crashed: SIGSEGV in Hostile destroy" && err_has "then \`file\` again" && status 3'
check "... its trace is kept, the next file goes ahead" \
  eval 'out_has "3 tt_main_catalyst._ttss__add_tonic_to_catalyst(1)" && grep -q ttse__on_start "$TMPD/destroy-file.json" && out_has "loaded $HOSTILE_APP" && out_has alive'

# A truncated module: SIGBUS or a clean dlopen error, never a dead ttdb.
so=$(sed -n "s/^dlname='\(.*\)'/\1/p" "$HOSTILE_APP")
head -c 3000 "$APPS/.libs/$so" >"$TMPD/truncated.so"
hostile none -batch -k -ex "file $TMPD/truncated.so" -ex "echo alive"
check "a truncated module: one line, ttdb goes on" eval 'out_has alive && err_has "truncated.so"'

hostile none -batch -ex "set entries off" -ex "call Hostile nest 100000" -ex continue -ex "info tonics" -ex "echo alive" "$HOSTILE_APP"
check "info tonics on 100000 nested tonics: no stack overflow, rows stay short" eval 'status 0 && out_has alive && out_has "(depth 100000) " && [ "$(wc -L <"$OUT")" -lt 200 ]'

hostile none -batch -ex "info probes Hostile" "$HOSTILE_APP"
check "values nest at most TT_VALUE_DEPTH_MAX (64) deep" eval 'status 0 && out_has "deep = 64"'
