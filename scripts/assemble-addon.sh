#!/usr/bin/env bash
# Fills godot-project/addons/webrtc_ts/ with what the addon needs at run time (the built
# parts are git-ignored; the descriptors, README, plugin and licences are committed):
#   lib/libwebrtc_ts.so                              the Godot 3 shim (bridge/gdnative)
#   lib/libwebrtc_ts_gdextension.linux.x86_64.so     the Godot 4 shim (bridge/gdextension)
#   webrtc_ts.gdextension                            a copy of plugin.gdextension (the one source)
#   worker/worker.mjs                                the worker bundle, node-datachannel's
#                                                    JavaScript inside (scripts/build.mjs)
#   worker/shm.node                                  the worker's shared-memory addon
#   worker/node_datachannel.node                     node-datachannel's native binary
#   runtime/node                                     Node.js from the lock file, stripped
#   LICENSES/node.LICENSE, node-datachannel.LICENSE  copied from those packages
# Every file the worker needs is flat in worker/ and runtime/, so an export can carry them
# beside the game's executable (the .gdnlib's and .gdextension's [dependencies]).
#
#   bash scripts/assemble-addon.sh            optimized shims
#   bash scripts/assemble-addon.sh --asan     ASan + UBSan shims (Godot then needs
#                                             LD_PRELOAD of the ASan runtime; see
#                                             scripts/run-godot3-tests.sh)
#   bash scripts/assemble-addon.sh --quiet    no summary line
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node.sh

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

# ---- build what is missing or stale (each is a no-op when up to date) ----
if [ "$variant" = asan ]; then
  make -s -C bridge/gdnative asan >/dev/null
  make -s -C bridge/gdextension asan >/dev/null
  shim=bridge/gdnative/build/asan/libwebrtc_ts.so
  gde_shim=bridge/gdextension/build/asan/libwebrtc_ts_gdextension.linux.x86_64.so
else
  make -s -C bridge/gdnative >/dev/null
  make -s -C bridge/gdextension >/dev/null
  shim=bridge/gdnative/build/libwebrtc_ts.so
  gde_shim=bridge/gdextension/build/release/libwebrtc_ts_gdextension.linux.x86_64.so
fi
if [ ! -f bridge/node/build/shm.node ] || [ bridge/node/shm.c -nt bridge/node/build/shm.node ]; then
  make -s -C bridge addon >/dev/null
fi
"$NODE" scripts/build.mjs >/dev/null # esbuild: well under a second

runtime_package=node_modules/$("$NODE" scripts/lib/platform.mjs runtime.package)
runtime_binary=$runtime_package/$("$NODE" scripts/lib/platform.mjs runtime.binary)
runtime_name=$("$NODE" scripts/lib/platform.mjs runtime.name)
if [ ! -x "$runtime_binary" ]; then
  echo "$runtime_binary is missing: run npm ci (the runtime is an optional dependency in the lock file)" >&2
  exit 1
fi

# Each file is copied beside its target, then renamed over it, so a running Godot never
# sees half a file.
copy_file() { # src dest
  mkdir -p "$(dirname "$2")"
  cp -f "$1" "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"
}

# The plugin's version is package.json's (the one definition): refuse a drifted plugin.cfg.
version=$("$NODE" -p "require('./package.json').version")
if ! grep -qx "version=\"$version\"" "$addon/plugin.cfg"; then
  echo "$addon/plugin.cfg must say version=\"$version\" (package.json's version)" >&2
  exit 1
fi

copy_file "$shim" "$addon/lib/libwebrtc_ts.so"
copy_file "$gde_shim" "$addon/lib/libwebrtc_ts_gdextension.linux.x86_64.so"
copy_file plugin.gdextension "$addon/webrtc_ts.gdextension"
for file in worker.mjs shm.node node_datachannel.node; do
  copy_file "build/worker/$file" "$addon/worker/$file"
done
rm -rf "$addon/worker/node_modules" "$addon/worker/LICENSES" "$addon/worker/worker.mjs.map" # older layouts

# The runtime, stripped of its symbols (about 12 MB of 119), only when the package changed.
runtime=$addon/runtime/$runtime_name
if [ ! -x "$runtime" ] || [ "$runtime_binary" -nt "$runtime" ]; then
  mkdir -p "$addon/runtime"
  cp -f "$runtime_binary" "$runtime.tmp.$$"
  strip --strip-all "$runtime.tmp.$$" 2>/dev/null || true
  chmod 755 "$runtime.tmp.$$"
  mv -f "$runtime.tmp.$$" "$runtime"
fi
copy_file "$runtime_package/LICENSE" "$addon/LICENSES/node.LICENSE"
copy_file node_modules/node-datachannel/LICENSE "$addon/LICENSES/node-datachannel.LICENSE"

if [ "$quiet" -eq 0 ]; then
  echo "assembled $addon ($variant shims): $(du -sh "$addon" | cut -f1) in all," \
    "runtime $(du -sh "$addon/runtime" | cut -f1), worker $(du -sh "$addon/worker" | cut -f1)," \
    "shims $(du -sh "$addon/lib" | cut -f1)"
fi
