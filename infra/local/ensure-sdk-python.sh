#!/usr/bin/env bash
# What the Python SDK (clients/python) needs: requests and numpy.
exec bash "$(dirname "$0")/ensure-debian-python.sh" 'requests numpy' python3-requests python3-numpy
