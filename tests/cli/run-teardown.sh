#!/bin/sh
# `loopscope run` tears Node and V8 down at exit (NodeProcess::shutdown from main), and exits with
# the script's code and nothing on stderr. gdb sees the teardown: a breakpoint on
# node::TearDownOncePerProcess that prints a marker and continues.
#   run-teardown.sh LOOPSCOPE SCRIPT
set -eu
loopscope=$1 script=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/gdb.cmd" <<'GDB'
set breakpoint pending on
set pagination off
break node::TearDownOncePerProcess
commands 1
  silent
  printf "loopscope-test: node teardown\n"
  continue
end
run
GDB
gdb -q -batch -x "$work/gdb.cmd" --args "$loopscope" run "$script" >"$work/out" 2>"$work/err" </dev/null || true
cat "$work/out"
fail() { echo "FAIL: $*"; echo "--- stderr"; cat "$work/err"; exit 1; }
grep -q '^worker online$' "$work/out" || fail "the script did not run"
grep -q '^loopscope-test: node teardown$' "$work/out" || fail "node::TearDownOncePerProcess was never called"
grep -q 'exited with code 03\]$' "$work/out" || fail "did not exit with the script's code 3"
# gdb's own chatter goes to stdout; stderr must hold nothing from loopscope.
grep -v '^warning: \|^Error while mapping shared library sections\|^$' "$work/err" | grep . && fail "unexpected stderr"
# And without gdb: the same exit code, no signal.
set +e
"$loopscope" run "$script" >/dev/null 2>"$work/err2"
code=$?
set -e
[ "$code" = 3 ] || { cat "$work/err2"; echo "FAIL: exit code $code, expected 3"; exit 1; }
[ -s "$work/err2" ] && { cat "$work/err2"; echo "FAIL: stderr not empty"; exit 1; }
echo "teardown ran; exit code 3"
