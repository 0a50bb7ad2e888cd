#!/bin/sh
# Build the .deb with CPack, install it with dpkg -i into this root, use the installed
# loopscope, remove it with dpkg -r and check that every file it installed is gone.
#   test-deb.sh BUILD_DIR
set -eu
build=$1
work=$(mktemp -d)
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work" >/dev/null
deb=$(ls "$work"/*.deb)
echo "package: $(basename "$deb")"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
# libnode's package is named after its ABI (libnode137 for Node 24): the one this root builds with.
libnode=$(dpkg-query -S "$(readlink -f /usr/lib/*/libnode.so)" | cut -d: -f1)
for need in "$libnode" libqt6core6t64 libc6; do
    case "$depends" in *"$need"*) ;; *) echo "FAIL: Depends lacks $need"; exit 1 ;; esac
done
files=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }')

# One installer at a time per root; remove the package whatever happens below.
exec 9>/var/lib/dpkg/loopscope-test.lock
flock 9
trap 'dpkg -r loopscope >/dev/null 2>&1 || true' EXIT
dpkg -i "$deb" >/dev/null

/usr/bin/loopscope --version | grep -q '^Loopscope ' || { echo "FAIL: --version"; exit 1; }
# The window is loopscope-ide beside it (loopscope itself links no GUI library).
/usr/bin/loopscope-ide --version | grep -q '^Loopscope ' || { echo "FAIL: loopscope-ide --version"; exit 1; }
out=$(cd / && DISPLAY= WAYLAND_DISPLAY= /usr/bin/loopscope run /usr/share/loopscope/lessons/01-main-module/script.js)
expected=$(printf 'sync start\nsync end\nnextTick\npromise\nqueueMicrotask\nimmediate')
[ "$out" = "$expected" ] || { echo "FAIL: installed run printed:"; echo "$out"; exit 1; }
# With no argument and no display it must find its installed lessons, not the source tree.
DISPLAY= WAYLAND_DISPLAY= LOOPSCOPE_LESSONS_DIR= /usr/bin/loopscope | grep -q "Script: /usr/share/loopscope/lessons/01-main-module/script.js" \
    || { echo "FAIL: the installed app did not use its installed lessons"; exit 1; }
# TypeScript: the installed runtime finds its installed type stripper.
printf 'const n: number = 6 * 7;\nconsole.log(n);\n' > "$work/t.ts"
[ "$(cd / && DISPLAY= WAYLAND_DISPLAY= /usr/bin/loopscope run "$work/t.ts")" = 42 ] \
    || { echo "FAIL: the installed loopscope did not run a .ts file"; exit 1; }
test -f /usr/share/loopscope/amaro/index.js
grep -q '^MimeType=.*application/javascript' /usr/share/applications/loopscope.desktop
test -f /usr/share/icons/hicolor/scalable/apps/loopscope.svg
# The plain-node recorder is installed, leaves the output alone and writes a trace.
rec=$(mktemp -d)
printf 'setImmediate(() => console.log("hi"));\n' > "$rec/app.js"
(cd "$rec" && LOOPSCOPE_RECORD_FILE="$rec/t.json" node --require /usr/share/loopscope/record/loopscope-record.js app.js) | grep -qx hi \
    || { echo "FAIL: the installed recorder changed the output"; exit 1; }
grep -q '"name":"Immediate","cat":"callback"' "$rec/t.json" || { echo "FAIL: the installed recorder wrote no trace"; exit 1; }
rm -rf "$rec"

dpkg -r loopscope >/dev/null
trap - EXIT
left=0
for f in $files; do
    if [ -e "$f" ]; then echo "FAIL: left behind: $f"; left=1; fi
done
[ $left = 0 ] || exit 1
echo "installed, ran, and removed $(echo "$files" | wc -l) files cleanly"
rm -rf "$work"
