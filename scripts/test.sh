#!/usr/bin/env bash
# Set up everything the tests need on Debian/Ubuntu, then run the whole test suite.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pair in mosquitto:mosquitto influxd:influxdb victoria-metrics:victoria-metrics; do
  binary=${pair%%:*}; package=${pair##*:}
  command -v "$binary" >/dev/null 2>&1 || [ -x "/usr/sbin/$binary" ] || need+=("$package")
done
[ -x /usr/bin/chromium ] || need+=(chromium)  # the page tests drive it through Playwright
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
# The Debian packages start system daemons on their default ports; the tests start their own.

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

# Static checks first (fast), then the suite against the real daemons.
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy src decoders tests benchmarks
.venv/bin/python -m pytest "$@"
