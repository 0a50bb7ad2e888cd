#!/bin/sh
# Stage the install tree, generate the NSIS script from it and compile it with makensis.
#   build-nsis.sh BUILD_DIR SOURCE_DIR VERSION OUT_DIR
set -eu
build=$1 source=$2 version=$3 out=$4
rm -rf "$out" && mkdir -p "$out"
cmake --install "$build" --prefix "$out/stage" >/dev/null
cmake -DSTAGE="$out/stage" -DOUT="$out/loopscope.nsi" -DVERSION="$version" \
      -DOUTFILE="$out/Loopscope-$version-setup.exe" -DEXE=bin/loopscope-ide \
      -P "$source/installer/windows/generate-nsis.cmake"
makensis -V2 -WX "$out/loopscope.nsi"
test -s "$out/Loopscope-$version-setup.exe"
echo "built $(du -k "$out/Loopscope-$version-setup.exe" | cut -f1) KiB installer"
# The same script for amd64, for tst_wineinstall (Debian's amd64 Wine has no 32-bit half).
cmake -DSTAGE="$out/stage" -DOUT="$out/loopscope-amd64.nsi" -DVERSION="$version" -DTARGET=amd64-unicode \
      -DOUTFILE="$out/Loopscope-$version-setup-amd64.exe" -DEXE=bin/loopscope-ide \
      -P "$source/installer/windows/generate-nsis.cmake"
makensis -V2 -WX "$out/loopscope-amd64.nsi"
test -s "$out/Loopscope-$version-setup-amd64.exe"
