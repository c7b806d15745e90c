#!/bin/sh
# batch-basic.sh: options, batch mode, command lookup, help, exit status.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 33

run_ttdb --version
check "--version prints the version" eval 'status 0 && out_has "ttdb"'
run_ttdb --help
check "--help prints the usage" eval 'status 0 && out_has "usage: ttdb" && out_has "-batch"'
run_ttdb -batc "$COUNTER"
check "an unknown option exits 2 with a suggestion" eval 'status 2 && err_has "unknown option -batc (did you mean -batch?)"'
run_ttdb -x
check "-x without a file is a usage error" eval 'status 2 && err_has "-x needs an argument"'

run_ttdb_stdin "info tonics" "$COUNTER"
check "commands from a non-terminal stdin" eval 'status 0 && out_has "1 Counter [--]"'

printf 'echo two\n' >"$TMPD/s.ttdb"
run_ttdb -batch -ex "echo one" -x "$TMPD/s.ttdb" -ex "echo three" "$COUNTER"
check "-ex and -x run in the order given" \
  eval '[ "$(cat "$OUT")" = "$(printf "one\ntwo\nthree")" ]'
run_ttdb_stdin "echo from stdin" -batch -ex "echo only" "$COUNTER"
check "-batch with commands does not read stdin" eval 'out_has only && out_lacks "from stdin"'
run_ttdb_stdin "echo from stdin" -batch "$COUNTER"
check "-batch without commands reads stdin" eval 'out_has "from stdin"'

printf '# a comment\n\n   \necho after blank lines\n' >"$TMPD/c.ttdb"
run_ttdb -batch -x "$TMPD/c.ttdb" "$COUNTER"
check "comments and blank lines are skipped" eval 'status 0 && out_has "after blank lines" && err_empty'

run_ttdb -batch -ex help "$COUNTER"
check "help lists the commands" eval 'out_has "step (s)" && out_has "until (u)" && out_has "break (b)" && out_lacks bench-redraw'
run_ttdb -batch -ex "help step" "$COUNTER"
check "help CMD gives usage, aliases and text" eval 'out_has "usage: step [N]" && out_has "aliases: s" && out_has "sparkle_count"'
run_ttdb -batch -ex "help until probe" "$COUNTER"
check "help CMD SUB" eval 'out_has "usage: until probe TONIC.PROBE OP VALUE"'
run_ttdb -batch -ex "help keys" "$COUNTER"
check "help keys lists the screen keys" eval 'out_has "Tab" && out_has "PgUp"'

run_ttdb -batch -ex "inf ton" "$COUNTER"
check "unique prefixes of a command and a subcommand" eval 'status 0 && out_has "1 Counter"'
run_ttdb -batch -ex "s" -ex "i queue" "$COUNTER"
check "aliases s and i" eval 'status 0 && out_has "1 sparkle (#1)" && out_has "1. tt_main_catalyst.ttse__on_start()"'
run_ttdb -batch -ex "e" "$COUNTER"
check "an ambiguous prefix names the candidates" eval 'status 1 && err_has "ambiguous \"e\": enable, expect, export, echo"'
run_ttdb -batch -ex "stpe" "$COUNTER"
check "an unknown command suggests the closest" eval 'fails_with 1 "unknown command \"stpe\" (did you mean \"step\"?)"'

run_ttdb -batch -ex "echo a" -ex "quit 7" -ex "echo b" "$COUNTER"
check "quit N exits with N and stops there" eval 'status 7 && out_has a && out_lacks b'
run_ttdb -batch -ex "set echo on" -ex "echo hi" "$COUNTER"
check "set echo on echoes commands" eval 'out_has "(ttdb) echo hi"'
run_ttdb -batch -ex "set entries off" -ex "step 2" "$COUNTER"
check "set entries off prints only the summary" eval 'out_has "stopped: sparkle_count; 2 sparkles" && out_lacks "_ttss__on_start() <-"'
run_ttdb -batch -ex "set" "$COUNTER"
check "set alone lists the settings" eval 'out_has watchdog && out_has timeout && out_has keep-going'
run_ttdb -batch -k -ex "show timeout 5" -ex "show timeout" -ex "show" "$COUNTER"
check "show prints and never changes: show NAME VALUE is refused" \
  eval 'fails_with 1 "show only prints a setting; to change it: set timeout 5" && [ "$(grep -c "^timeout  *0 " "$OUT")" -eq 2 ] && out_has keep-going'

run_ttdb -batch -ex "info tonics"
check "without an app: one clear error" eval 'fails_with 1 "no app loaded (use \`file APP\`)"'
run_ttdb -batch -ex "file $COUNTER" -ex "info tonics"
check "file APP loads an app" eval 'status 0 && out_has "loaded" && out_has "1 Counter"'
run_ttdb -batch -ex "echo ok" "$COUNTER"
check "exit status 0 when every command worked" eval 'status 0 && err_empty'
run_ttdb -batch -ex "dump-screen $TMPD/d.txt" "$COUNTER"
check "dump-screen needs the screen" eval 'fails_with 1 "no screen in batch mode"'
run_ttdb -batch -ex "set entries off" -ex continue -ex "bench-redraw 3" "$COUNTER"
check "bench-redraw (hidden) works in batch mode" eval 'status 0 && out_has "trace pane redraw:" && out_has "3 redraws each"'

# complete TEXT (gdb's): what Tab offers, one completed line each. Two
# tonics with a common prefix complete to it and are both listed, bare
# (`print ChunkA` is whole); the whole name offers the members.
CHUNKED=$EXAMPLES/reference/chunked.la
run_ttdb -batch -ex "complete p Chu" -ex "complete p ChunkA" -ex "complete info states Chu" "$CHUNKED"
check "complete: tonics with a common prefix are listed bare; a whole name offers its probes" eval 'status 0 && out_has "p ChunkA" && out_has "p ChunkB" && ! grep -qx "p ChunkA\\." "$OUT" && out_has "p ChunkA.processed" && out_has "info states ChunkB"'
run_ttdb -batch -ex "step 8" -ex "complete break Counter.ttsc__m" -ex "complete b Wor" -ex "complete tbreak s" "$COUNTER"
check "complete break NAME: break's sparkles (it offered only sparkle, state, probe)" eval 'out_has "break Counter.ttsc__mix" && out_has "b Worker" && out_has "tbreak state" && out_has "tbreak start"'
run_ttdb -batch -ex "complete set entr" -ex "complete set var Counter.c" "$COUNTER"
check "complete set: the settings, then var TONIC.PROBE" eval 'out_has "set entries-max" && out_has "set var Counter.count"'
run_ttdb -batch -ex "complete nosuch x" -ex "complete p Zz" "$COUNTER"
check "complete with nothing to offer prints nothing" eval 'status 0 && err_empty && ! [ -s "$OUT" ]'
run_ttdb -batch -ex "set" "$COUNTER"
check "set lists the settings in columns (trace-ring's value pushed its help out of line)" eval 'status 0 && [ "$(wc -l <"$OUT")" -ge 16 ] && awk "substr(\$0, 28, 1) != \" \" || substr(\$0, 29, 1) == \" \" { bad = 1 } END { exit bad }" "$OUT"'
run_ttdb -batch -ex "complete set var Light." -ex "complete p Light.w" "$EXAMPLES/traffic_light.la"
check "complete set var offers only the probes it can write (fields), print every one" eval 'status 0 && out_has "set var Light.cycles" && out_lacks "set var Light.walk" && out_lacks "set var Light.finishing" && out_has "p Light.walk"'
