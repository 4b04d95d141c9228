#!/usr/bin/env bash
# The demo's picture in the README (docs/demo.png): the host with a window, Debian's godot3
# (3.2.3, the build with a renderer) on a virtual X display (xvfb-run), and one joiner
# headless (godot3-server), through the signalling server on a free loopback port
# (scripts/run-demo.mjs --screenshot). The host saves its window once both squares, the chat
# and the link's stats are on screen. Installs godot3, godot3-server and xvfb when missing
# (apt-get, as root or with sudo).
#
#   bash scripts/screenshot-demo.sh [output.png]     # default docs/demo.png
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node.sh
out=${1:-docs/demo.png}

missing=()
command -v godot3 >/dev/null 2>&1 || missing+=(godot3)
command -v xvfb-run >/dev/null 2>&1 || missing+=(xvfb xauth)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo -n)
  echo "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-cache show godot3 >/dev/null 2>&1 || "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" libgl1-mesa-dri >/dev/null
fi
GODOT3=${GODOT3:-$(bash scripts/godot3.sh)}
export GODOT3
bash scripts/assemble-addon.sh --quiet
mkdir -p "$(dirname "$out")"
"$NODE" scripts/run-demo.mjs --players 2 --screenshot "$out"
echo "$out: $(du -k "$out" | cut -f1) KB"
