#!/bin/sh
# tmux.sh: the real ttdb screen inside tmux at a fixed size: keys are typed
# with send-keys and the captured screen is checked.  Each check polls the
# screen (bounded) for the text it expects.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 27

command -v tmux >/dev/null 2>&1 || skip_all 27 "terminal test" "tmux is missing"

. "${top_srcdir:-.}/tests/tui/tmux-lib.sh"
tmux_init ttdbtest

# The status line's lint count is checked exactly: under valgrind a sparkle
# can take longer than the giant-sparkle limit (50 ms), so raise it there.
start_ttdb ttdb 100x30 ${VALGRIND:+-ex} ${VALGRIND:+"set giant-sparkle 60000"} "$COUNTER"

check "start: panes, status line and prompt" wait_for "(ttdb)" "5 pending" "Tonics" "1 Counter [--]" "not started"

keys "step" Enter
check "step runs one sparkle" wait_for "| 1 sparkles |" "1    0.000   tt_main_catalyst._ttss__on_start()"
keys Enter
check "Enter on an empty line repeats the step" wait_for "| 2 sparkles |"

keys "until state Counter idle" Enter
check "until state: the Tonics pane shows the state" wait_for "stop: contract_met" "1 Counter [idle]"

keys 'call Counter mix 7 2.5 true "two words"' Enter
check "call with arguments: the Queue pane shows the injected call" \
  wait_for '4. Counter.ttsc__mix(7, 2.5, true, "two words") <- tt'

keys "display Counter.total" Enter
check "display: the Probes pane shows the value" wait_for "Counter.total = 0.0"

keys "break sparkle Counter.mix" Enter "continue" Enter
check "a breakpoint on a sparkle is hit during continue" \
  wait_for "stop: breakpoint 1: Counter.ttsc__mix" 'Counter.ttsc__mix(7, 2.5, true, "two words") [idle]'
check "probe history: one row per change" wait_for "Counter.total = 9.5" "Counter.total = 0.0"

keys "help" Enter
check "help: the list opens in a popup" wait_for "Commands (unique prefixes" "step (s)"
keys q
check "q closes the popup" wait_gone "Commands (unique"
# As in less and tig: q, Esc and Enter only close the popup; any other key
# closes it and acts (here: goes to the command line).
keys "help keys" Enter
wait_for "help keys (" >/dev/null
keys Escape
wait_gone "help keys ("
keys "help keys" Enter
wait_for "help keys (" >/dev/null
keys s
check "q and Esc only close the popup; another key closes it and is typed" \
  eval 'wait_for "(ttdb) s" && ! grep -q "help keys (" "$SCREEN" && ! grep -q "(ttdb) q" "$SCREEN" && [ "$(grep -c "^(ttdb)" "$SCREEN")" -eq 1 ]'
keys BSpace

keys Tab Tab Tab
check "Tab moves the focus to the panes" wait_for "> Trace"
keys End Enter
check "Enter on a trace entry shows it as JSON" wait_for "entry #" '"sparkle": "ttsc__mix"'
keys q Escape

$T resize-window -t ttdb -x 80 -y 24
# 24 rows, the status line on row 23
laid_out_80x24() {
  grab && [ "$(wc -l <"$SCREEN")" -eq 24 ] && sed -n 23p "$SCREEN" | grep -q "ttdb counter.la" &&
    grep -q "Trace" "$SCREEN"
}
check "resize: the screen is laid out again at 80x24" poll laid_out_80x24

keys Tab Tab Tab
wait_for "> Trace" >/dev/null
keys / "nomatch" Enter
check "a search message shows even when the status line is full" wait_for "/nomatch: not found"
keys Escape "call Counter tts" Tab Tab
check "completion lists fit the Console pane" wait_for " ttse__on_worked" " ttse__on_finished" " ttsc__to_state"
keys C-u
keys "watch Counter." Tab Tab
# the typed tonic with its dot is no candidate (it was one of the list)
check "completing TONIC. lists its probes, not TONIC. itself" \
  eval 'wait_for "completions: Counter.count" && ! grep -v "(ttdb)" "$SCREEN" | grep -Eq "(^| )Counter\.( |\$)"'
keys C-u "p Cou" Tab
# `print Counter` is whole: Tab gives the name, no dot and no space
check "Tab completes a tonic bare (a dot or Enter may follow)" \
  eval 'wait_for "(ttdb) p Counter" && grep -qx "(ttdb) p Counter" "$SCREEN"'
keys C-u
keys / "ttsc__mix" Enter
check "/ on an empty command line searches the trace" wait_for "/ttsc__mix: #"

keys "call Counter ttsc__finish" Enter "step" Enter
check "the status line counts the lints (a finish from outside, ignored)" wait_for "sparkles | lints: 1 |"

# A popup is as tall as its text: w on the newest trace entry (its why).
keys Tab Tab Tab
wait_for "> Trace" >/dev/null
keys w
# (polled: a capture may hold the popup half drawn, its border not yet)
popup_fits() { grab && awk "/┌─ why #/ { top = NR; n = \$0; sub(/.*\\(/, \"\", n); n += 0 } /└─/ && top { print NR - top - 1 == n && n < 10 ? \"fits\" : \"wrong\"; exit }" "$SCREEN" | grep -q fits; }
check "a short popup is as tall as its text (why from the Trace pane)" eval 'wait_for "q closes) " && poll popup_fits'
keys q Escape

keys "call Counter spin" Enter "continue" Enter
wait_for "(ttdb) continue" >/dev/null
# Ctrl-C until the sparkle that never returns is stopped (the first one
# only asks to stop between sparkles).
n=0
while ! grep -q "CRASHED" "$SCREEN" && [ $n -lt 20 ]; do
  keys C-c
  poll_n 20 screen_has "CRASHED"
  n=$((n + 1))
done
check "Ctrl-C twice stops a sparkle that never returns" wait_for "Counter.ttsc__spin() [idle]" "CRASHED" "the second Ctrl-C stopped"

keys "quit" Enter
check "quit leaves with status 0" wait_for "TTDB-EXIT=0"

# The history: the commands typed above were saved in ~/.ttdb_history.
check "the command history is saved in ~/.ttdb_history" \
  grep -q "^until state Counter idle$" "$HOME/.ttdb_history"

# An unwritable history (a folder where the file should be): one warning
# line, and ttdb still quits with status 0.
# A new session beside the first: killing the last session would stop the
# tmux server while the new one connects to it (seen once in CI).
rm -f "$HOME/.ttdb_history"
mkdir -p "$HOME/.ttdb_history"
start_ttdb ttdb-history 100x30 "$COUNTER"
wait_for "(ttdb)" >/dev/null
keys "quit" Enter
check "an unwritable history file: one warning, exit status 0" eval 'wait_for "TTDB-EXIT=0" && tr -d "\\n" <"$SCREEN" | grep -q "cannot write the history .*ttdb_history"'

# A command whose output opens the popup (info timers after many yellow
# phases lists a finished timer each), and the next command typed at once:
# its first letter closes the popup and is typed (the g of goto used to
# scroll the popup, leaving `oto`).
# (A new session beside the others, as above.)
start_ttdb ttdb-popup 100x30 "$EXAMPLES/traffic_light.la"
wait_for "(ttdb)" >/dev/null
# A display of a tonic not created yet has no value: the Probes pane says
# so (it said "nothing displayed" under "1 displayed").
keys "display Pedestrian.steps" Enter
check "a display with no value yet: the Probes pane says so, not 'nothing displayed'" \
  eval 'wait_for "1 displayed, 0 changes" "no value yet: a display is read" && ! grep -q "nothing displayed" "$SCREEN"'
keys "undisplay" Enter
wait_for "nothing displayed" >/dev/null
keys "step 100" Enter
wait_for "| 102 sparkles |" >/dev/null
keys "info timers" Enter
wait_for "info timers (" >/dev/null
keys "goto #5" Enter
check "a letter typed over a command's popup starts the next command (goto after info timers)" \
  eval 'wait_for "stop: goto #7" && grep -q "(ttdb) goto #5" "$SCREEN" && ! grep -q "unknown command" "$SCREEN" && ! grep -q "info timers (" "$SCREEN"'
keys "quit" Enter
wait_for "TTDB-EXIT=0" >/dev/null
