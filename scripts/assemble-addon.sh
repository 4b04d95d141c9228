#!/usr/bin/env bash
# Fills godot-project/addons/webrtc_ts/ with what the addon needs at run time (all of it
# git-ignored: addons/*/lib/ and addons/*/worker/):
#   lib/libwebrtc_ts.so                  the Godot 3 shim (bridge/gdnative), built here if stale
#   lib/libwebrtc_ts_gdextension.linux.x86_64.so   the Godot 4 shim (bridge/gdextension)
#   webrtc_ts.gdextension                a copy of plugin.gdextension (the one source)
#   worker/worker.mjs                    the worker bundle (node scripts/build.mjs)
#   worker/shm.node                      the worker's shared-memory addon (make -C bridge addon)
#   worker/node_modules/                 node-datachannel, its platform package, detect-libc
#   worker/LICENSES/                     their licences
#
#   bash scripts/assemble-addon.sh            optimized shim
#   bash scripts/assemble-addon.sh --asan     ASan + UBSan shim (Godot then needs
#                                             LD_PRELOAD of the ASan runtime; see
#                                             scripts/run-godot3-tests.sh)
#   bash scripts/assemble-addon.sh --quiet    no summary line
set -euo pipefail
cd "$(dirname "$0")/.."

variant=release
quiet=0
for arg in "$@"; do
  case $arg in
    --asan) variant=asan ;;
    --quiet) quiet=1 ;;
    *) echo "usage: $0 [--asan] [--quiet]" >&2; exit 2 ;;
  esac
done

addon=godot-project/addons/webrtc_ts
lib_dir=$addon/lib
worker_dir=$addon/worker

# ---- build what is missing or stale (each is a no-op when up to date) ----
if [ "$variant" = asan ]; then
  make -s -C bridge/gdnative asan >/dev/null
  shim=bridge/gdnative/build/asan/libwebrtc_ts.so
else
  make -s -C bridge/gdnative >/dev/null
  shim=bridge/gdnative/build/libwebrtc_ts.so
fi
if [ ! -f bridge/node/build/shm.node ] || [ bridge/node/shm.c -nt bridge/node/build/shm.node ]; then
  make -s -C bridge addon >/dev/null
fi
node scripts/build.mjs >/dev/null # esbuild: well under a second

# ---- the platform package node-datachannel loads on this machine ----
arch=$(node -p 'process.arch')
libc=gnu
if ldd --version 2>&1 | grep -qi musl; then libc=musl; fi
platform_package=@node-datachannel/linux-$arch-$libc
for package in node-datachannel "$platform_package" detect-libc; do
  if [ ! -f "node_modules/$package/package.json" ]; then
    echo "node_modules/$package is missing: run npm ci first" >&2
    exit 1
  fi
done

# Copy into a fresh directory, then swap, so a running Godot never sees half a worker.
copy_file() { # src dest
  mkdir -p "$(dirname "$2")"
  cp -f "$1" "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"
}

copy_file "$shim" "$lib_dir/libwebrtc_ts.so"
# Godot 4: the GDExtension shim and its descriptor (plugin.gdextension is the one source).
if [ "$variant" = asan ]; then
  make -s -C bridge/gdextension asan >/dev/null
  gde_shim=bridge/gdextension/build/asan/libwebrtc_ts_gdextension.linux.x86_64.so
else
  make -s -C bridge/gdextension >/dev/null
  gde_shim=bridge/gdextension/build/release/libwebrtc_ts_gdextension.linux.x86_64.so
fi
copy_file "$gde_shim" "$lib_dir/libwebrtc_ts_gdextension.linux.x86_64.so"
copy_file plugin.gdextension "$addon/webrtc_ts.gdextension"

staging=$addon/.worker.staging.$$
rm -rf "$staging"
mkdir -p "$staging/node_modules/@node-datachannel" "$staging/LICENSES"
cp build/worker/worker.mjs "$staging/worker.mjs"
[ -f build/worker/worker.mjs.map ] && cp build/worker/worker.mjs.map "$staging/worker.mjs.map"
cp bridge/node/build/shm.node "$staging/shm.node"
# node-datachannel: its package.json, the JavaScript it loads, and its licence.
mkdir -p "$staging/node_modules/node-datachannel"
cp -R node_modules/node-datachannel/package.json node_modules/node-datachannel/dist \
  node_modules/node-datachannel/LICENSE "$staging/node_modules/node-datachannel/"
cp -R "node_modules/$platform_package" "$staging/node_modules/@node-datachannel/"
cp -R node_modules/detect-libc "$staging/node_modules/detect-libc"
cp node_modules/node-datachannel/LICENSE "$staging/LICENSES/node-datachannel.MPL-2.0.txt"
cp node_modules/detect-libc/LICENSE "$staging/LICENSES/detect-libc.Apache-2.0.txt"
cat >"$staging/LICENSES/README.txt" <<TXT
Third-party code shipped in this folder:
- node-datachannel $(node -p "require('./node_modules/node-datachannel/package.json').version") (MPL-2.0), with its
  prebuilt binary $platform_package, which contains libdatachannel, libjuice and usrsctp
  (MPL-2.0 / BSD): node-datachannel.MPL-2.0.txt
- detect-libc (Apache-2.0): detect-libc.Apache-2.0.txt
TXT
rm -rf "$worker_dir.old.$$"
if [ -d "$worker_dir" ]; then mv "$worker_dir" "$worker_dir.old.$$"; fi
mv "$staging" "$worker_dir"
rm -rf "$worker_dir.old.$$"

if [ "$quiet" -eq 0 ]; then
  echo "assembled $addon ($variant shim, worker $(du -sh "$worker_dir" | cut -f1))"
fi
