#!/usr/bin/env bash
# Rule regression tests: every bundled rule loads, and every
# tests/rules/**/info.yml (SigmaHQ regression-data layout) passes through
# `mamori rules test`, which runs the same engine as `scan`.
set -euo pipefail
src=${MM_SOURCE_DIR:?}; bin=${MM_BINARY:?}
cd "$src"
"$bin" rules check            # exit 1 if any bundled rule is unsupported or invalid
n=$("$bin" rules list | wc -l)
[[ $n -gt 0 ]] || { echo "FAIL: no bundled rules"; exit 1; }
# every bundled rule has a regression test directory
missing=0
while read -r id; do
  grep -rqs -- "id: $id" tests/rules --include=info.yml || { echo "no test for rule $id"; missing=1; }
done < <("$bin" rules list | awk '{print $1}')
[[ $missing -eq 0 ]] || { echo "FAIL: rules without tests"; exit 1; }
"$bin" rules test tests/rules
