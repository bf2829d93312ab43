#!/usr/bin/env bash
# Set up lorahub on Debian/Ubuntu and run the demo village (broker, database, simulator, service).
# Usage: bash scripts/demo.sh [lorahub demo options, e.g. --rate 10 --duration 60]
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pair in mosquitto:mosquitto influxd:influxdb; do
  binary=${pair%%:*}; package=${pair##*:}
  command -v "$binary" >/dev/null 2>&1 || [ -x "/usr/sbin/$binary" ] || need+=("$package")
done
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q -e .
exec .venv/bin/lorahub demo "$@"
