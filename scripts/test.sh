#!/usr/bin/env bash
# mamori — the whole test suite, as CI runs it (README's second command).
#  1. gcc build (-Werror) and every CTest test; a gcc -O3 release build;
#  2. clang build with AddressSanitizer + UndefinedBehaviorSanitizer and
#     libFuzzer instrumentation: the same suite under the sanitizers, plus a
#     short libFuzzer run of every fuzz target (MM_FUZZ_SECONDS, default 20).
# Usage: scripts/test.sh [--quick]   (--quick: gcc build only)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${MM_JOBS:-2}

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

if [[ "${1:-}" == "--quick" ]]; then
  exit 0
fi

# -O3 finds warnings (-Werror) that -O2 does not: the release build must compile too
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DMM_TESTS=OFF >/dev/null
cmake --build build-release -j"$jobs"

CC=clang cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DMM_FUZZ=ON \
  -DMM_FUZZ_SECONDS="${MM_FUZZ_SECONDS:-20}" >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"
