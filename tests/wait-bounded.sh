# wait-bounded.sh: sourced by the shell tests (tests/ttrun.sh, tests/tui/lib.sh).
#
# wait_bounded PID [SECONDS]: wait for background process PID and return its
# status; after SECONDS (default 900, far above any run under valgrind) it
# is killed, so that a hang fails a check instead of stopping the suite.
# The watchdog is never signalled (a shell killed before it could drop the
# test's EXIT trap would run it: the test's files would go): it sees PID
# gone within a second and ends.  It holds none of the test's descriptors:
# an open FIFO end or gate would keep a reader from its end of file.
wait_bounded() {
  (
    trap - EXIT
    i=0
    while kill -0 "$1" 2>/dev/null; do
      if [ $i -ge "${2:-900}" ]; then kill -KILL "$1"; break; fi
      sleep 1
      i=$((i + 1))
    done
  ) </dev/null >/dev/null 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
  wait "$1"
}
