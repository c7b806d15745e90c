#!/bin/sh
# batch-errors.sh: bad input ends in one clear line and a non-zero exit
# status; with -k the script goes on and no trace is lost.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 39

run_ttdb -batch -ex "info tonics" "$TMPD/missing.so"
check "a missing app file" eval 'fails_with 1 "missing.so: No such file or directory" && [ ! -s "$OUT" ]'
run_ttdb -batch -ex "info tonics" "$TMPD"
check "a folder instead of an app" eval 'fails_with 1 "is a directory, not an app module"'
echo "not a module" >"$TMPD/text.so"
run_ttdb -batch -ex "info tonics" "$TMPD/text.so"
check "a file that is not a module" eval 'fails_with 1 "cannot load $TMPD/text.so"'
printf 'int x;\n' >"$TMPD/app.c"
run_ttdb -batch -ex "info tonics" "$TMPD/app.c"
check "a C source file instead of the module says to build it" eval 'fails_with 1 "app.c: C source, not an app module: build the module first (cc -shared -fPIC -o APP.so"'
run_ttdb -batch -ex "info tonics" "${COUNTER%.la}"
check "an app named without its extension: the module that is there is suggested" eval 'fails_with 1 "counter: No such file or directory (did you mean $APPS/counter.la?)"'
echo "garbage" >"$TMPD/bad.la"
run_ttdb -batch -ex "info tonics" "$TMPD/bad.la"
check "a .la without a shared object" eval 'fails_with 1 "bad.la"'
run_ttdb -batch -ex "info tonics" "$APPS/noformula.la"
check "a module without the formula entry point" eval 'fails_with 1 "no tt_formula entry point"'
run_ttdb -batch -ex "info tonics" "$top_builddir/tests/mod-oldabi.la"
check "a module built against another tasktonic ABI: one line" \
  eval 'fails_with 1 "mod-oldabi.la: built against tasktonic ABI 99, this libtasktonic has " && err_has "rebuild the module"'
run_ttdb -batch -ex "info tonics" "$APPS/badformula.la"
check "a formula that fails" eval 'fails_with 1 "the formula failed: invalid argument"'
run_ttdb -batch -ex "file $TMPD/missing.so" -ex "info tonics"
check "file with a missing app" eval 'fails_with 1 "missing.so: No such file or directory"'

printf '{"tonics": {"Counter": {"till_stat_in": ["done"]}}}\n' >"$TMPD/c1.json"
run_ttdb -batch -ex "until contract $TMPD/c1.json" "$COUNTER"
check "a contract with an unknown key: file, line, column, suggestion" eval 'fails_with 1 "c1.json:1:" && err_has "unknown key \"till_stat_in\"" && err_has "(did you mean \"till_state_in\"?)"'
printf '{"tonics":\n  {"Counter": [1,\n' >"$TMPD/c2.json"
run_ttdb -batch -ex "until contract $TMPD/c2.json" "$COUNTER"
check "a contract that is not JSON" eval 'fails_with 1 "c2.json:"'
run_ttdb -batch -ex "until contract $TMPD/none.json" "$COUNTER"
check "a missing contract file" eval 'fails_with 1 "none.json"'
run_ttdb -batch -ex "sparkle contract='{\"timeout\": \"x\"}'" "$COUNTER"
check "an inline contract with a wrong type" eval 'fails_with 1 "timeout must be a number"'

printf 'echo one\nstpe\necho three\n' >"$TMPD/s.ttdb"
run_ttdb -batch -x "$TMPD/s.ttdb" "$COUNTER"
check "a script stops at its first error, named by file and line" eval 'status 1 && out_has one && out_lacks three && err_has "s.ttdb:2: unknown command \"stpe\" (did you mean \"step\"?)"'
run_ttdb -batch -k -x "$TMPD/s.ttdb" "$COUNTER"
check "-k keeps going; the exit status still says it failed" eval 'status 1 && out_has one && out_has three'
run_ttdb -batch -ex "set keep-going on" -ex "set entries off" -ex "step 3" -ex "call Counter nope" -ex "info trace 2" "$COUNTER"
check "no trace is lost after an error" eval 'status 1 && out_has "2 tt_main_catalyst.ttse__on_start()" && out_has "3 tt_main_catalyst._ttss__add_tonic_to_catalyst(1)"'

run_ttdb -batch -ex "until state Counter idel" "$COUNTER"
check "an unknown state is suggested" eval 'fails_with 1 "Counter has no state \"idel\" (did you mean \"idle\"?)"'
run_ttdb -batch -ex "until probe Counter.cont == 1" "$COUNTER"
check "an unknown probe is suggested" eval 'fails_with 1 "Counter has no probe \"cont\" (did you mean \"count\"?)"'
run_ttdb -batch -ex "info tonix" "$COUNTER"
check "an unknown subcommand is suggested" eval 'fails_with 1 "unknown info subcommand \"tonix\" (did you mean \"tonics\"?)"'
run_ttdb -batch -ex "set watchdog soon" "$COUNTER"
check "a bad setting value" eval 'fails_with 1 "set watchdog: expected seconds >= 0, not \"soon\""'
run_ttdb -batch -ex "sparkle count=-2" "$COUNTER"
check "a bad sparkle option value" eval 'fails_with 1 "count=-2: expected a whole number >= 0"'
run_ttdb -batch -ex "sparkle cuont=2" "$COUNTER"
check "an unknown sparkle option is suggested" eval 'fails_with 1 "unknown sparkle option \"cuont\" (did you mean \"count\"?)"'
run_ttdb -batch -ex "call Counter label \"open" "$COUNTER"
check "an unterminated quote" eval 'fails_with 1 "unterminated double quote"'
printf 'echo a\000b\n' >"$TMPD/nul.ttdb"
run_ttdb -batch -x "$TMPD/nul.ttdb" "$COUNTER"
check "a NUL byte in a script line" eval 'fails_with 1 "nul.ttdb:1: a NUL byte"'

run_ttdb -batch -k -ex "until foo" -ex "info tonix" "$COUNTER"
check "an unknown subcommand lists the valid ones, or suggests the nearest" eval 'status 1 && err_has "unknown until subcommand \"foo\" (one of: state, sparkle, probe, contract)" && err_has "unknown info subcommand \"tonix\" (did you mean \"tonics\"?)"'

run_ttdb -batch -ex "sparkle till_sparkle_in=on_start count=1" -ex "sparkle till_state_in=idle,nostate count=1" "$COUNTER"
check "sparkle warns about till_* names nothing has, suggesting the full one" eval 'status 0 && err_has "till_sparkle_in \"on_start\": no tonic has it by that exact name (did you mean \"ttse__on_start\"?)" && err_has "till_state_in \"nostate\": no tonic has it" && ! err_has "\"idle\""'

run_ttdb -batch -k -ex frame -ex "info locals" -ex si -ex fram "$COUNTER"
check "gdb habits with no ttdb command say what to use instead" eval 'status 1 && err_has "unknown command \"frame\" (a sparkle has no stack frames: \`why\` (bt) is its causal chain" && err_has "unknown info subcommand \"locals\" (a tonic'"'"'s data are its probes" && err_has "unknown command \"si\" (the smallest step is one sparkle: \`step\`)" && err_has "unknown command \"fram\""'
run_ttdb -batch -ex "watch Counter.count" -ex "info watchpoints" "$COUNTER"
check "info watchpoints lists the watchpoints (as info breakpoints)" eval 'status 0 && out_has "Num Type" && out_has "watch   y   0    Counter.count"'
run_ttdb -batch -k -ex finish -ex "until 40" -ex "ptype Counter" -ex "watch Counter.count > 2" "$COUNTER"
check "gdb's finish, until LOCATION, ptype and watch EXPR say what ttdb has" eval 'status 1 && err_has "finish needs a TONIC: it finishes that tonic" && err_has "unknown until subcommand \"40\" (\`goto #N\` goes to entry N" && err_has "unknown command \"ptype\" (\`info probes TONIC\` lists its probes" && err_has "\`watch Counter.count if count > 2\` stops at each change while it holds, \`until probe Counter.count > 2\` runs until it holds"'
run_ttdb -batch -k -ex detach -ex "thread 2" -ex apropos -ex "catch throw" -ex tbreak -ex "info s" -ex ex -ex "show version" "$COUNTER"
check "more gdb habits say what ttdb has (detach, thread, apropos, catch, tbreak alone); an ambiguous word lists the candidates" \
  eval 'status 1 && err_has "unknown command \"detach\" (\`quit\` detaches from a live app" && err_has "unknown command \"thread\" (the tonics are the threads" && ! err_has "did you mean \"tbreak\"" && err_has "unknown command \"apropos\" (\`help\` lists the commands" && err_has "unknown command \"catch\" (a crash always stops the run" && err_has "tbreak needs what to stop at; usage: tbreak [sparkle]" && err_has "info: ambiguous \"s\": sparkles, states, stats" && err_has "ttdb: ambiguous \"ex\": expect, export" && ! err_has "unknown command ambiguous" && out_has "ttdb (ttdb) "'
run_ttdb -batch -ex "watch Counter.count" -ex "info watch" -ex "insp Counter" -ex "back" "$COUNTER"
check "a unique prefix of an alias works as one of a name (info watch, insp, back)" \
  eval 'status 1 && out_has "watch   y   0    Counter.count" && out_has "Counter = {class" && err_has "no sparkle has run yet" && ! err_has "unknown"'
run_ttdb -batch -k -ex "step 5" -ex "step x" -ex "reverse-step 0" -ex "advance soon" -ex "goto here" -ex "info entry #3" -ex "info trace #4" -ex "info trace #2-#3" -ex "info trace 5-3" -ex "info entry x" "$COUNTER"
check "a wrong number names the word and what was wanted; entries are N or #N everywhere" \
  eval 'status 1 && err_has "step: \"x\" is not a count (1 or more); usage: step [N]" && err_has "reverse-step: \"0\" is not a count" && err_has "advance: \"soon\" is not seconds (0 or more)" && err_has "goto: \"here\" is not an entry (#N)" && err_has "info trace: \"5-3\" is not a range FROM-TO (FROM at most TO)" && err_has "info entry: \"x\" is not an entry (N or #N, from 1)" && out_has "\"seq\": 3" && grep -q "^4 Counter._ttss__on_start()" "$OUT" && grep -q "^2 tt_main_catalyst.ttse__on_start()" "$OUT" && [ "$(grep -c "^[0-9]" "$OUT")" -eq 3 ]'
run_ttdb -batch -k -ex "display Counter.count" -ex "continue 5" -ex "delete display 1" -ex "info display" "$COUNTER"
check "gdb's continue N and delete display N" \
  eval 'status 1 && err_has "continue takes no count: \`ignore N COUNT\` lets breakpoint N pass COUNT hits, \`step 5\` runs 5 sparkles" && out_has "no displays"'
run_ttdb -batch -k -ex "set entries off" -ex "step 3" -ex "break Counter" -ex "until sparkle Counter" -ex "print count" -ex "watch count" -ex "info breakpoints" "$COUNTER"
check "a tonic given for a sparkle, a probe without its tonic: the line says how to name them" \
  eval 'status 1 && [ "$(grep -c "\"Counter\" is a tonic: name one of its sparkles as Counter.SPARKLE (\`info sparkles Counter\`)" "$ERR")" -eq 2 ] && [ "$(grep -c "\"count\": name the probe as TONIC.PROBE (Counter.count)" "$ERR")" -eq 2 ] && out_has "no breakpoints"'
run_ttdb -batch -k -ex "x/4x 0" -ex "p/x Counter.count" -ex disas -ex "output Counter" -ex "info registers" "$COUNTER"
check "gdb's /FORMAT, disassemble, output and info registers say what ttdb has" \
  eval 'status 1 && err_lines 5 && err_has "unknown command \"x/4x\" (ttdb'"'"'s commands take no /FORMAT" && err_has "unknown command \"p/x\" (ttdb'"'"'s commands take no /FORMAT" && err_has "unknown command \"disas\" (\`info sparkles TONIC\` names" && err_has "unknown command \"output\" (\`print TONIC.PROBE\` shows a value" && err_has "unknown info subcommand \"registers\" (a tonic'"'"'s data are its probes"'

# gdb's k (kill) and commands N: what ttdb has instead
run_ttdb -batch -k -ex k -ex "commands 1" "$COUNTER"
check "k and commands say what ttdb has" eval 'status 1 && err_has "unknown command \"k\" (\`restart\` starts the app afresh" && err_has "unknown command \"commands\" (a breakpoint runs no commands: \`display TONIC.PROBE\`"'

# A prefix of several tonics names them all (it suggested the first only)
run_ttdb -batch -k -ex "p Chunk" "$EXAMPLES/reference/chunked.la"
check "an unknown tonic that starts several names them" fails_with 1 'unknown tonic "Chunk": ChunkA, ChunkB start so'

# A gdb script's preamble does not stop a batch: ttdb says it ignores it
run_ttdb -batch -ex "set pagination off" -ex "set confirm off" -ex "set height 0" -ex "set print pretty on" -ex "echo AFTER" "$COUNTER"
check "set pagination/confirm/height/print: ignored with a warning, the script goes on" eval 'status 0 && out_has AFTER && err_has "set pagination: a gdb setting that ttdb has no use for" && err_has "set print: a gdb setting" && [ "$(wc -l <"$ERR")" -eq 4 ]'
