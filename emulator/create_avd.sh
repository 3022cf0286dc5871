#!/usr/bin/env bash
# Create AndroidWorld's virtual device: Pixel 6, API 33, a Google APIs image.
#
#   emulator/create_avd.sh [--name AndroidWorldAvd] [--dry-run]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=emulator/common.sh
source "$here/common.sh"

name="AndroidWorldAvd"
while [ $# -gt 0 ]; do
  case "$1" in
    --name) name="$2"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
done

image="$(system_image)"
sdkmanager="$(sdk_tool sdkmanager)"
avdmanager="$(sdk_tool avdmanager)"

run "$sdkmanager" --install "platform-tools" "emulator" "platforms;android-33" "$image"
# `avdmanager` asks whether to create a custom hardware profile: answer no.
if [ "$DRY_RUN" = 1 ]; then
  echo "+ echo no | $avdmanager create avd --force --name $name --package '$image' --device pixel_6"
else
  echo no | "$avdmanager" create avd --force --name "$name" --package "$image" --device pixel_6
fi
echo "created $name ($image, pixel_6); start it with: emulator/start.sh --avd $name"
