#!/usr/bin/env bash
# Makes Debian's headless Godot 3 (godot3-server, 3.2.3) available. Idempotent and quiet
# when it is already installed; runs `apt-get update` only when the package is unknown to
# apt. Prints the binary's path on stdout. Exits non-zero, with one line saying how to get
# a Godot 3, when it cannot install (no apt, not root, no network).
#
#   bash scripts/godot3.sh          # prints e.g. /usr/bin/godot3-server
set -uo pipefail

if command -v godot3-server >/dev/null 2>&1; then
  command -v godot3-server
  exit 0
fi

how="install Debian's godot3-server (apt-get install godot3-server) or set GODOT3 to a Godot 3.2+ binary"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "godot3-server not found and apt-get is not available: $how" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "godot3-server not found and installing it needs root: $how" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! apt-cache show godot3-server >/dev/null 2>&1; then
  "${sudo[@]}" apt-get update -qq >"$log" 2>&1 || true
fi
if ! "${sudo[@]}" apt-get install -y -qq --no-install-recommends godot3-server >>"$log" 2>&1; then
  tail -n 5 "$log" >&2
  echo "could not install godot3-server: $how" >&2
  exit 1
fi
command -v godot3-server
