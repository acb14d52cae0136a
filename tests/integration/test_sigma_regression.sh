#!/usr/bin/env bash
# SigmaHQ regression suite (shared/data/external/sigma-full/regression_data,
# Detection Rule License 1.1, used in place): every info.yml's Windows event
# (the JSON rendering of its .evtx) is scanned with ALL SigmaHQ rules loaded,
# and the rule named in rule_metadata must match at least match_count times
# (`mamori rules test`, type evtx). Prints the pass/fail counts; fails on any
# failure (known failures are listed in docs/sigma-compat.md — none today).
set -euo pipefail
bin=${MM_BINARY:?}
ext=${MM_EXTERNAL:-${MM_SOURCE_DIR:?}/../shared/data/external}
sig="$ext/sigma-full"
if [[ ! -d "$sig/regression_data" ]]; then
  echo "SKIP: $sig/regression_data is absent (the shared external data folder is not there); cannot run the SigmaHQ regression suite"
  exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
rc=0
"$bin" rules test -r "$sig/rules" -r "$sig/rules-emerging-threats" -r "$sig/rules-threat-hunting" \
  -r "$sig/rules-compliance" -r "$sig/rules-placeholder" "$sig/regression_data" > "$tmp/out.txt" 2>&1 || rc=$?
grep -E '^(FAIL|SKIP) ' "$tmp/out.txt" || true
summary=$(tail -n 1 "$tmp/out.txt")
echo "SigmaHQ regression suite: $summary"
ninfo=$(find "$sig/regression_data" -name info.yml | wc -l)
read -r passed _ failed _ skipped _ <<<"$(echo "$summary" | tr -d ',')"
skipped=${skipped:-0}
echo "info.yml files: $ninfo; passed $passed, failed $failed, skipped $skipped (no test event)"
[[ $((passed + failed + skipped)) -eq $ninfo ]] || { echo "FAIL: not every info.yml was run"; exit 1; }
[[ $passed -gt 0 ]] || { echo "FAIL: nothing passed"; exit 1; }
[[ $rc -eq 0 && $failed -eq 0 ]] || { echo "FAIL: $failed regression tests failed"; exit 1; }
echo "pass rate: $passed/$((passed + failed)) = $(awk -v p="$passed" -v f="$failed" 'BEGIN{printf "%.1f%%", 100*p/(p+f)}')"
