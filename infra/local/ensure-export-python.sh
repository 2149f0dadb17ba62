#!/usr/bin/env bash
# What the exporter's unit tests need (models/export/test_*.py): torch (CPU), numpy and PIL; not the sam2 package.
exec bash "$(dirname "$0")/ensure-debian-python.sh" 'torch numpy PIL' python3-torch python3-numpy python3-pil
