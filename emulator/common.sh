#!/usr/bin/env bash
# Shared helpers of the emulator scripts: SDK tool lookup and dry-run aware execution.
# Sourced, not run.

DRY_RUN="${DRY_RUN:-0}"

# The Android SDK: $ANDROID_SDK_ROOT, else $ANDROID_HOME, else ~/Android/Sdk.
sdk_root() {
  if [ -n "${ANDROID_SDK_ROOT:-}" ]; then
    echo "$ANDROID_SDK_ROOT"
  elif [ -n "${ANDROID_HOME:-}" ]; then
    echo "$ANDROID_HOME"
  else
    echo "$HOME/Android/Sdk"
  fi
}

# Path of an SDK tool (emulator, adb, sdkmanager, avdmanager); the bare name in a dry run.
sdk_tool() {
  local name="$1" root candidate
  root="$(sdk_root)"
  for candidate in \
    "$root/emulator/$name" \
    "$root/platform-tools/$name" \
    "$root/cmdline-tools/latest/bin/$name" \
    "$root/tools/bin/$name"; do
    if [ -x "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  if command -v "$name" >/dev/null 2>&1; then
    command -v "$name"
    return 0
  fi
  if [ "$DRY_RUN" = 1 ]; then
    echo "$name"
    return 0
  fi
  echo "error: $name not found; install the Android SDK and set ANDROID_SDK_ROOT" >&2
  return 1
}

# Run a command, or print it in a dry run.
run() {
  if [ "$DRY_RUN" = 1 ]; then
    printf '+'
    printf ' %q' "$@"
    printf '\n'
  else
    "$@"
  fi
}

# The system image AndroidWorld uses (API 33, Google APIs) for this machine's CPU.
system_image() {
  local arch
  case "$(uname -m)" in
    arm64 | aarch64) arch="arm64-v8a" ;;
    *) arch="x86_64" ;;
  esac
  echo "system-images;android-33;google_apis;$arch"
}
