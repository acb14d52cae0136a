#!/usr/bin/env bash
# CTest wrapper: source style checks (scripts/checksrc).
exec bash "${MM_SOURCE_DIR:-$(dirname "$0")/..}/scripts/checksrc"
