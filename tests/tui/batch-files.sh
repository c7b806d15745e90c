#!/bin/sh
# batch-files.sh: what `export` may write and how (the shared file writer),
# for the plugins and for the library's built-in JSON writer; the bounds of
# virtual time.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 21

# The built-in writer: no plugin anywhere on the path.
mkdir "$TMPD/noplugins"
NOPLUG="env TTDB_PLUGIN_PATH=$TMPD/noplugins"
LIGHT=$EXAMPLES/traffic_light.la

# export_to WRITER FILE: run a little and export FILE (WRITER: plugin|builtin).
export_to() {
  if [ "$1" = builtin ]; then
    $NOPLUG $VALGRIND "$TTDB" -batch -ex "set entries off" -ex "step 5" -ex "export $2 json" "$COUNTER" >"$OUT" 2>"$ERR" </dev/null
  else
    $VALGRIND "$TTDB" -batch -ex "set entries off" -ex "step 5" -ex "export $2 json" "$COUNTER" >"$OUT" 2>"$ERR" </dev/null
  fi
  rc=$?
}
mode_of() { stat -c %a "$1"; }

for w in plugin builtin; do
  d=$TMPD/$w
  mkdir "$d"
  echo keep >"$d/ro.json"
  chmod 0444 "$d/ro.json"
  export_to $w "$d/ro.json"
  check "$w: a read-only file is refused, not replaced" eval 'fails_with 1 "read-only" && [ "$(cat "$d/ro.json")" = keep ] && [ "$(mode_of "$d/ro.json")" = 444 ] && [ -z "$(ls "$d" | grep tmp)" ]'

  echo old >"$d/target.json"
  chmod 0640 "$d/target.json"
  ln -s target.json "$d/link.json"
  export_to $w "$d/link.json"
  check "$w: a symlink is written through to its target, mode kept" eval 'status 0 && [ -L "$d/link.json" ] && grep -q sparkle_trace "$d/target.json" && [ "$(mode_of "$d/target.json")" = 640 ]'

  ln -s /dev/null "$d/null.json"
  export_to $w "$d/null.json"
  check "$w: a link to /dev/null stays a link, /dev/null a device" eval 'status 0 && [ -L "$d/null.json" ] && [ -c /dev/null ]'

  export_to $w /dev/null
  check "$w: /dev/null is written directly" eval 'status 0 && [ -c /dev/null ]'

  export_to $w /dev/full
  check "$w: /dev/full: one line, it stays a device" eval 'fails_with 1 "No space left on device" && [ -c /dev/full ]'

  (umask 027 && export_to $w "$d/new.json" && [ "$(mode_of "$d/new.json")" = 640 ])
  check "$w: a new file gets 0666 & ~umask" [ $? -eq 0 ]

  mkfifo "$d/fifo.json"
  export_to $w "$d/fifo.json"
  check "$w: a FIFO nobody reads: one line, no hang" eval 'fails_with 1 "no process reads this FIFO" && [ -p "$d/fifo.json" ]'

  mkdir "$d/dir.json"
  export_to $w "$d/dir.json"
  check "$w: a folder is refused" eval 'fails_with 1 "it is a folder"'
done

# Virtual time is bounded as timer periods are.
run_ttdb -batch -ex "advance 1e308" "$LIGHT"
check "advance beyond the bound: one line" eval 'fails_with 1 "virtual time stops at 1e+13s"'
run_ttdb -batch -ex "advance 1e12" -ex "set entries off" -ex "step 50" "$LIGHT"
check "at the largest advance runs still run" eval 'status 0 && out_has "stopped: sparkle_count; 50 sparkles"'
run_ttdb -batch -ex "advance 1e12" -ex "step 20" -ex "export $TMPD/big.csv" "$LIGHT"
check "csv at a huge virtual time has the exact time column" eval 'status 0 && grep -q ",1000000000000.000000," "$TMPD/big.csv" && ! tr -d "\r" <"$TMPD/big.csv" | grep -q "[^ -~]"'
run_ttdb -batch -ex "advance 1e12" -ex "step 20" -ex "export $TMPD/big.chrome.json" "$LIGHT"
check "chrome at a huge virtual time" eval 'status 0 && [ -s "$TMPD/big.chrome.json" ]'
run_ttdb -batch -ex "advance -1" "$LIGHT"
check "a negative advance is refused" eval 'fails_with 1 "advance"'
