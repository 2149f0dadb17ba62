#!/usr/bin/env bash
# Makes sure ffmpeg and ffprobe are on PATH (libs/video shells out to both).
# Idempotent: does nothing when both are already installed, so it is safe to call from CI and demos.
# MASKLET_APT_VERIFY=1 runs the apt step even then (a no-op install that still takes apt's locks).
set -euo pipefail

if [ "${MASKLET_APT_VERIFY:-0}" != "1" ] && command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; then
  exit 0
fi

bash "$(dirname "$0")/apt-install.sh" ffmpeg

command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null
