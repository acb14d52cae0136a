#!/usr/bin/env bash
# The bundled demo data is reproducible: the committed generator writes the
# committed files byte for byte.
set -euo pipefail
src=${MM_SOURCE_DIR:?}; gen=${MM_GEN_DEMO:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$gen" "$tmp"
for f in access.log auth.log expected-alerts.txt README.md; do
  cmp "$tmp/$f" "$src/data/demo/$f" || { echo "FAIL: data/demo/$f differs from the generator's output"; exit 1; }
done
echo "demo data reproduced byte for byte"
