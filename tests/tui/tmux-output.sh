#!/bin/sh
# tmux-output.sh: the terminal habits of issue 9 under tmux: an app that
# prints never draws over the screen (its lines go to the Console, marked
# "app|", or to a file), Enter repeats the last run command after other
# commands, and TERM=dumb gets the plain line interface.
. "${top_srcdir:-.}/tests/tui/lib.sh"
plan 13

command -v tmux >/dev/null 2>&1 || skip_all 13 "terminal test" "tmux is missing"

CHATTY=$APPS/chatty.la
. "${top_srcdir:-.}/tests/tui/tmux-lib.sh"
tmux_init ttdbout
# ttdb on the chatty app with TERM=$1.
start() { TTDB_TERM=$1 && start_ttdb "ttdb-$1" 100x30 "$CHATTY"; }

start screen
wait_for "(ttdb)" >/dev/null
keys "call Chatty talk 40" Enter "continue" Enter
wait_for "q closes" >/dev/null
keys q
check "an app printing 40 lines: its lines are in the Console (a popup first: long output)" wait_for "app| chatty line 40 of 40" "stop: idle"
check "... and the screen stays intact (panes, status line, prompt)" eval 'grab; [ "$(wc -l <"$SCREEN")" -eq 30 ] && sed -n 1p "$SCREEN" | grep -q "^  Tonics" && sed -n 29p "$SCREEN" | grep -q "ttdb chatty.la" && sed -n 30p "$SCREEN" | grep -q "^(ttdb)" && ! grep -q "^chatty" "$SCREEN"'
keys "set app-output $TMPD/app.txt" Enter "call Chatty talk 2" Enter "continue" Enter
check "set app-output FILE: the lines go to the file" eval 'wait_for "| 7 sparkles |" && ! grep -q "of 2" "$SCREEN" && poll grep -q "chatty line 2 of 2" "$TMPD/app.txt"'

keys "step" Enter
wait_for "no sparkle ran" >/dev/null
keys "call Chatty talk 1" Enter "info tonics" Enter Enter
check "Enter repeats the last run command, also after other commands" wait_for "| 8 sparkles |"
keys Tab Tab Tab
wait_for "> Trace" >/dev/null
keys Up Up Up
check "the Trace pane says it is not following after the user scrolled up" wait_for "NOT FOLLOWING: a run or End goes back to #8"
keys Escape "call Chatty talk 1" Enter "step" Enter
check "a run command brings it back to the newest entry" wait_for "| 9 sparkles |" "Trace  #1-#9" "   9    0.000   Chatty.ttsc__talk(1)"
keys "quit" Enter
check "quit leaves with status 0" wait_for "TTDB-EXIT=0"

start dumb
check "TERM=dumb: the plain line interface" eval 'wait_for "(line interface)" && wait_for "(ttdb)" && ! grep -q "Tonics" "$SCREEN"'
keys "step" Enter Enter "quit" Enter
check "... with the commands and output of batch mode" wait_for "TTDB-EXIT=0" "stopped: sparkle_count; 1 sparkle (#2)" "  2 tt_main_catalyst.ttse__on_start()"
# A long run at the prompt lists its end only (it listed every entry: a
# continue of millions scrolled for minutes).
TTDB_TERM=dumb
start_ttdb ttdb-dumb-chain 100x30 "$CHAIN"
wait_for "(ttdb)" >/dev/null
keys "call Chain next 1000" Enter "continue" Enter
check "the line interface lists the last 20 entries of a long run, naming the others" \
  eval 'wait_for "stopped: idle; 1006 sparkles (#1-#1006)" "  ... 986 earlier entries (\`info trace 1-986\`)" "  1006 Chain.ttsc__next(0)" && ! grep -q "  986 Chain" "$SCREEN"'
# Tab completes in the line interface too (it completed file names): the
# tonic, then its dot, then a list of its probes.
keys "p Cha" Tab Tab Tab Tab
check "the line interface completes with Tab: TONIC, TONIC., then the list" \
  wait_for "(ttdb) p Chain." "Chain.n" "Chain.finishing"
keys C-u "quit" Enter
wait_for "TTDB-EXIT=0" >/dev/null

# 80x24: long console lines wrap, the Probes pane shows the values.
TTDB_TERM=screen
start_ttdb ttdb-small 80x24 "$COUNTER"
wait_for "(ttdb)" >/dev/null
keys "display Counter.total" Enter "display Counter.count" Enter "call Counter mix 7 2.5 true two" Enter "continue" Enter
check "at 80x24 the Probes pane shows the values" eval 'wait_for "stop: idle" && grep -q "^#8     total = 9.5" "$SCREEN" && grep -q "^start  count = 0 " "$SCREEN"'
check "a long console line wraps instead of being cut" eval 'grep -q "queued Counter.ttsc__mix(7, 2.5, true, \"two\") at" "$SCREEN" && grep -q "   position 6" "$SCREEN"'
