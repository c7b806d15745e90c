#!/bin/sh
# batch-export.sh: `export` through the exporter plugins.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 9

run_ttdb -batch -ex "set entries off" -ex "step 3" -ex continue -ex "export $TMPD/s.json" "$COUNTER"
check "export FILE.json writes the whole session" eval 'out_has "wrote $TMPD/s.json (json, whole session)" && [ "$(grep -o "\"status\"" "$TMPD/s.json" | wc -l)" -eq 2 ]'
run_ttdb -batch -ex "set entries off" -ex "step 3" -ex continue -ex "export $TMPD/l.json -last" "$COUNTER"
check "export -last writes the last run only" eval 'out_has "(json, last run)" && [ "$(grep -o "\"status\"" "$TMPD/l.json" | wc -l)" -eq 1 ] && ! grep -q "_ttss__on_start\", \"args\": \[\], \"kwargs\": {}, \"source\": \[\"tt_main_catalyst\"" "$TMPD/l.json"'
run_ttdb -batch -ex "set entries off" -ex continue -ex "export $TMPD/t.csv" "$COUNTER"
check "export by extension: csv" eval 'out_has "(csv, whole session)" && grep -q "ttse__on_start" "$TMPD/t.csv"'
run_ttdb -batch -ex "set entries off" -ex continue -ex "export $TMPD/t.txt mermaid" "$COUNTER"
check "export FILE FORMAT by name" eval 'out_has "(mermaid, whole session)" && grep -q sequenceDiagram "$TMPD/t.txt"'
run_ttdb -batch -ex "set entries off" -ex continue -ex "export $TMPD/x jsn" "$COUNTER"
check "an unknown format is suggested" eval 'fails_with 1 "unknown export format \"jsn\" (did you mean \"json\"?)" && ! [ -e "$TMPD/x" ]'
# gdb has no export; a user may give the format first
run_ttdb -batch -ex "set entries off" -ex continue -ex "export chrome $TMPD/c.json" "$COUNTER"
check "export FORMAT FILE: says the file comes first, with the command" eval 'fails_with 1 "export takes the file first: \`export $TMPD/c.json chrome\`" && ! [ -e "$TMPD/c.json" ] && ! [ -e chrome ]'
run_ttdb -batch -ex "set entries off" -ex continue -ex "export $TMPD/x.unknownext" "$COUNTER"
check "an unknown extension asks for a FORMAT" eval 'fails_with 1 "no exporter for this file extension"'
run_ttdb -batch -ex "set entries off" -ex continue -ex "export $TMPD/no/such/dir/x.json" "$COUNTER"
check "an unwritable path: one line, no file" eval '[ "$rc" -eq 1 ] && err_lines 1 && err_has "$TMPD/no/such/dir/x.json" && ! [ -e "$TMPD/no/such/dir/x.json" ]'
run_ttdb -batch -ex "export $TMPD/e.json" "$COUNTER"
check "nothing to export before the first run" eval 'fails_with 1 "nothing to export"'
