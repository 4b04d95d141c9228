#!/usr/bin/env bash
# The multiplayer demo (godot-project/demo/), headless, as setup.sh's last step: the
# signalling server on a free loopback port and three Godot 3 processes, a host and two
# joiners, each a scripted player (scripts/run-demo.mjs). Prints what they exchanged (joins,
# positions, chat, each link's RTT and route) and exits non-zero when the demo fails.
# Uses $GODOT3, else godot3-server, else a `godot` that is Godot 3; installs Debian's
# godot3-server when none is found and apt can be used; otherwise prints one line saying how
# to get a Godot 3 and exits 0 (setup goes on without the demo).
# The Godot 4 variant: GODOT4=/path/to/godot4 node scripts/run-demo.mjs --engine godot4
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node.sh

godot=${GODOT3:-}
if [ -z "$godot" ]; then
  if command -v godot3-server >/dev/null 2>&1; then
    godot=$(command -v godot3-server)
  elif command -v godot >/dev/null 2>&1 && godot --version 2>/dev/null | grep -q '^3\.'; then
    godot=$(command -v godot)
  elif command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; }; then
    echo "installing godot3-server (Debian's headless Godot 3) for the demo"
    godot=$(bash scripts/godot3.sh) || godot=""
  fi
fi
if [ -z "$godot" ]; then
  echo "Godot demo skipped: no Godot 3 found. Install Debian's godot3-server (sudo apt-get install godot3-server) or set GODOT3=/path/to/a/godot-3.2+ binary, then run: bash scripts/run-godot3-demo.sh"
  exit 0
fi

bash scripts/assemble-addon.sh --quiet || { echo "demo: could not assemble the addon" >&2; exit 1; }
echo "Godot demo: three $godot processes meet in a lobby of the signalling server (godot-project/demo/)"
GODOT3=$godot exec "$NODE" scripts/run-demo.mjs --engine godot3 --players 3
