#!/usr/bin/env bash
# What the interop tests (tests/interop/) run against, from Debian's
# packages: Chromium and Firefox ESR as remote WebRTC peers, coturn as a
# STUN/TURN server, and iproute2 (ip netns, veth) for the test hosts.
# Idempotent: prints nothing and changes nothing when all are present.
# Installing needs root (CI runs as root). The package lists are refreshed at
# most once, and only when a package has no candidate or the install fails
# with the lists as they are (stale lists on a fresh machine). An install
# waits up to 10 minutes for another apt or dpkg run to let go of its lock.
set -euo pipefail

# package:file that shows it is installed
wanted=(chromium:/usr/bin/chromium firefox-esr:/usr/bin/firefox-esr coturn:/usr/bin/turnserver iproute2:/usr/sbin/ip)

missing=()
for entry in "${wanted[@]}"; do
  [ -x "${entry#*:}" ] || missing+=("${entry%%:*}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-interop: ${missing[*]} missing; installing needs root (sudo apt-get install -y ${missing[*]})" >&2
  exit 1
fi
echo "install-interop: installing ${missing[*]} from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
updated=no
update() {
  updated=yes
  apt-get update -qq >>"$log" 2>&1
}
for package in "${missing[@]}"; do
  if ! apt-cache policy "$package" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    update
    break
  fi
done
if ! apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${missing[@]}" >>"$log" 2>&1; then
  if [ "$updated" = no ] && update && apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${missing[@]}" >>"$log" 2>&1; then
    :
  else
    cat "$log" >&2
    echo "install-interop: could not install ${missing[*]}" >&2
    exit 1
  fi
fi
for entry in "${wanted[@]}"; do
  if [ ! -x "${entry#*:}" ]; then
    cat "$log" >&2
    echo "install-interop: ${entry%%:*} is installed but ${entry#*:} is missing" >&2
    exit 1
  fi
done
