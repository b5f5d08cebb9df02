#!/usr/bin/env bash
# Runs Doppel's whole test suite. First installs, when missing, what the integration tests need:
# Node.js and the compatibility tests' npm packages (from their lockfile), Mosquitto (the MQTT bridge
# tests and `doppel bench ingest` start their own instance on a free loopback port) and its command-line clients
# (mosquitto_pub and mosquitto_sub, which the tests run against `doppel serve` as a user would), and Debian's Chromium
# (the console's browser tests drive it with Playwright; Playwright's own browser download is not used), and Debian's
# Python with numpy, scipy, pandas and matplotlib (the glucose tests run the simglucose peer beside Doppel), and Eclipse
# SUMO with its tools (the traffic tests run SUMO on the same files as Doppel and compare).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
{ [ -x /usr/bin/mosquitto_pub ] && [ -x /usr/bin/mosquitto_sub ]; } || missing+=(mosquitto-clients)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# The simglucose peer (tests/peers/simglucose) runs on Debian's Python and its packages: the glucose tests compare with it.
/usr/bin/python3 -c 'import numpy, scipy, pandas, matplotlib, pkg_resources' >/dev/null 2>&1 ||
  missing+=(python3-numpy python3-scipy python3-pandas python3-matplotlib python3-pkg-resources)
# SUMO (sumo, netgenerate) and its Python tools (randomTrips.py): the mobility pack is validated against SUMO itself.
{ [ -x /usr/bin/sumo ] && [ -x /usr/bin/netgenerate ]; } || missing+=(sumo)
[ -f /usr/share/sumo/tools/randomTrips.py ] || missing+=(sumo-tools)
if ((${#missing[@]} > 0)); then
  echo "Installing ${missing[*]} with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

(cd tests/compat && npm ci --no-audit --no-fund --loglevel=error)

# The console's vendored libraries (checked in) are byte-identical with the npm packages its lockfile pins.
eng/console-vendor.sh --check

# Formatting and code style as .editorconfig sets them (STYLE.md: `dotnet format --verify-no-changes` passes).
if ! dotnet format Doppel.slnx --verify-no-changes --severity warn; then
  echo "dotnet format found changes to make: run 'dotnet format Doppel.slnx --severity warn'" >&2
  exit 1
fi

log=$(mktemp)
status=0
dotnet test Doppel.slnx -c Release 2>&1 | tee "$log" || status=$?

# One plain summary line over every test assembly.
awk '/(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit $status
