#!/usr/bin/env bash
# Makes sure ffmpeg and ffprobe are on PATH (libs/video shells out to both).
# Idempotent: does nothing when both are already installed, so it is safe to call from CI and demos.
set -euo pipefail

if command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; then
  exit 0
fi

# Containers usually run as root without sudo; developer machines usually need it.
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg

command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null
