#!/usr/bin/env bash
# README's first command: install, build everything, run the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prepare.sh
prepare
bash scripts/run-godot3-demo.sh
