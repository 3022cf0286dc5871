#!/usr/bin/env bash
# Stop the emulators start.sh booted (console ports 5554, 5556, ...).
#
#   emulator/stop.sh [--count N] [--dry-run]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=emulator/common.sh
source "$here/common.sh"

count=1
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) sed -n '2,4p' "$0"; exit 0 ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
done
case "$count" in
  '' | *[!0-9]* | 0) echo "error: --count must be a positive integer" >&2; exit 2 ;;
esac

adb="$(sdk_tool adb)"
for ((i = 0; i < count; i++)); do
  run "$adb" -s "emulator-$((5554 + 2 * i))" emu kill || true
done
