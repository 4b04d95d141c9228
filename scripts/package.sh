#!/usr/bin/env bash
# Writes the release a user downloads: dist/webrtc_ts-<version>-<platform>.zip, holding
# exactly addons/webrtc_ts/ (the shims, the worker, the runtime, the descriptors, the
# editor plugin, the folder's README and every licence) for that platform, assembled fresh
# into build/package/<platform>/ (scripts/assemble-addon.sh --into). Prints its path and
# size. Unzip it into a Godot project's folder.
#
#   bash scripts/package.sh                            this machine's platform
#   bash scripts/package.sh --platform windows-x86_64  Windows x86_64 (mingw-w64 cross-build,
#                                                      the lock file's Windows packages)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node.sh

platform=
case "${1:-}" in
  '') ;;
  --platform) platform=${2:?--platform needs a name} ;;
  *) echo "usage: $0 [--platform NAME]" >&2; exit 2 ;;
esac
[ -n "$platform" ] || platform=$("$NODE" scripts/lib/platform.mjs name)
stage=build/package/$platform
bash scripts/assemble-addon.sh --quiet --platform "$platform" --into "$stage/addons/webrtc_ts"
version=$("$NODE" -p "require('./package.json').version")
mkdir -p dist
zip=dist/webrtc_ts-$version-$platform.zip
rm -f "$zip"
# Python's zipfile keeps each file's mode, so the runtime stays executable for unzip(1).
(cd "$stage" && python3 - "$OLDPWD/$zip" <<'PY'
import os, sys, zipfile
target = sys.argv[1]
with zipfile.ZipFile(target, 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
    for folder, dirs, files in os.walk('addons/webrtc_ts'):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            if '.tmp.' in name or name.endswith('.import'):
                continue
            archive.write(path, path)
PY
)
echo "$zip: $(du -h "$zip" | cut -f1) ($(python3 -c "import zipfile,sys; print(sum(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist()) // 1048576)" "$zip") MiB unpacked)"
