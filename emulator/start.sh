#!/usr/bin/env bash
# Boot N emulators of one AVD, wait until each has booted, and print artemis's addresses.
#
#   emulator/start.sh [--avd AndroidWorldAvd] [--count N] [--headless] [--timeout SECONDS]
#                     [--dry-run]
#
# Emulator i (from 0) gets console port 5554+2i (so adb port 5555+2i) and gRPC port 8554+i,
# the ports AndroidWorld expects for the first one. Several instances of one AVD run
# read-only (-read-only), so none of them writes the AVD's disk images.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=emulator/common.sh
source "$here/common.sh"

avd="AndroidWorldAvd"
count=1
headless=0
timeout=600
while [ $# -gt 0 ]; do
  case "$1" in
    --avd) avd="$2"; shift 2 ;;
    --count) count="$2"; shift 2 ;;
    --headless) headless=1; shift ;;
    --timeout) timeout="$2"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
done
case "$count" in
  '' | *[!0-9]* | 0) echo "error: --count must be a positive integer" >&2; exit 2 ;;
esac

emulator="$(sdk_tool emulator)"
adb="$(sdk_tool adb)"
logs="${TMPDIR:-/tmp}/artemis-emulators"
[ "$DRY_RUN" = 1 ] || mkdir -p "$logs"

addresses=()
for ((i = 0; i < count; i++)); do
  console=$((5554 + 2 * i))
  grpc=$((8554 + i))
  args=(-avd "$avd" -no-snapshot -port "$console" -grpc "$grpc")
  [ "$count" -gt 1 ] && args+=(-read-only)
  [ "$headless" = 1 ] && args+=(-no-window -no-audio)
  if [ "$DRY_RUN" = 1 ]; then
    run "$emulator" "${args[@]}"
  else
    echo "starting emulator-$console (gRPC $grpc), log: $logs/emulator-$console.log"
    nohup "$emulator" "${args[@]}" >"$logs/emulator-$console.log" 2>&1 &
  fi
  addresses+=("127.0.0.1:$((console + 1))")
done

for ((i = 0; i < count; i++)); do
  serial="emulator-$((5554 + 2 * i))"
  if [ "$DRY_RUN" = 1 ]; then
    run "$adb" -s "$serial" wait-for-device
    run "$adb" -s "$serial" shell getprop sys.boot_completed
    continue
  fi
  deadline=$((SECONDS + timeout))
  "$adb" -s "$serial" wait-for-device
  until [ "$("$adb" -s "$serial" shell getprop sys.boot_completed 2>/dev/null | tr -d '\r')" = 1 ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "error: $serial did not boot within $timeout s (see $logs/$serial.log)" >&2
      exit 1
    fi
    sleep 2
  done
  echo "$serial booted"
done

echo "artemis addresses (adb ports): ${addresses[*]}"
echo "e.g.: artemis devices ${addresses[*]}"
echo "If artemis cannot connect, stop the adb server that holds them: $adb kill-server"
