#!/usr/bin/env bash
# mamori — `mamori dlp` end to end on the generated customer exports
# (tools/gen_dlp.c): --json record counts equal the ground truth for every
# file and encoding, also inside .gz and .zip; the store holds the same;
# --types and --min-confidence filter; binaries are skipped; and no full PII
# value from the ground truth appears in stdout, stderr, the JSON or the
# SQLite file (raw bytes).
set -euo pipefail
M=${MM_BINARY:?}; G=${MM_GEN_DLP:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$G" "$T/set" 7 3000
mkdir -p "$T/in/sub"
cp "$T/set"/customers.csv "$T/set"/customers_sjis.csv "$T/set"/customers_utf16.csv \
   "$T/set"/customers_eucjp.tsv "$T/in/"
cp "$T/set"/customers.jsonl "$T/set"/shop_dump.sql "$T/set"/support_notes.txt "$T/in/sub/"
gzip -c "$T/set/customers.csv" > "$T/in/sub/customers_gz.csv.gz"
(cd "$T/set" && zip -q "$T/in/exports.zip" customers_sjis.csv shop_dump.sql)
head -c 20000 "$M" > "$T/in/binary.bin"

"$M" dlp --json --no-progress --db "$T/d.db" "$T/in" > "$T/out.jsonl" 2> "$T/err.txt" ||
  fail "exit status $?"

# record counts per file vs the truth ("F file records records_pii")
check() { # path-in-output truth-file-name
  local want got
  want=$(awk -F'\t' -v f="$2" '$1=="F" && $2==f {print $4}' "$T/set/truth.tsv")
  [[ -n "$want" ]] || fail "no truth for $2"
  got=$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    o=json.loads(l)
    if o["path"].endswith(sys.argv[2]): print(o["records_pii"])' "$T/out.jsonl" "$1")
  [[ "$got" == "$want" ]] || fail "$1: records_pii $got, truth $want"
}
check /customers.csv customers.csv
check /customers_sjis.csv customers_sjis.csv
check /customers_utf16.csv customers_utf16.csv
check /customers_eucjp.tsv customers_eucjp.tsv
check /sub/customers.jsonl customers.jsonl
check /sub/shop_dump.sql shop_dump.sql
check /sub/support_notes.txt support_notes.txt
check /customers_gz.csv.gz customers.csv
check 'exports.zip!customers_sjis.csv' customers_sjis.csv
check 'exports.zip!shop_dump.sql' shop_dump.sql
grep -q '"path":"[^"]*binary.bin","skipped":"binary"' "$T/out.jsonl" || fail "binary not skipped"
"$M" dlp --json --no-db --include-binary "$T/in/binary.bin" | grep -q '"encoding":"binary"' ||
  fail "--include-binary did not scan the binary"
grep -q '"encoding":"CP932"' "$T/out.jsonl" || fail "CP932 not detected"
grep -q '"encoding":"EUC-JP"' "$T/out.jsonl" || fail "EUC-JP not detected"
grep -q '"encoding":"UTF-16LE"' "$T/out.jsonl" || fail "UTF-16 not detected"

# the store: one dlp_files row per file with PII, counts equal to the JSON
n=$(sqlite3 "$T/d.db" 'select count(*) from dlp_files')
[[ "$n" == 10 ]] || fail "dlp_files rows: $n"
want=$(awk -F'\t' '$1=="F" && $2=="shop_dump.sql" {print $4}' "$T/set/truth.tsv")
got=$(sqlite3 "$T/d.db" "select records_pii from dlp_files where path like '%exports.zip!shop_dump.sql'")
[[ "$got" == "$want" ]] || fail "stored records_pii $got, truth $want"
got=$(sqlite3 "$T/d.db" "select sample from dlp_findings where path like '%/customers.csv' and type='card_number'")
[[ "$got" =~ ^[*\ -]+[0-9]{1,4}$ ]] || fail "stored card sample not masked: $got"
# a re-scan replaces, not duplicates
"$M" dlp -q --no-progress --db "$T/d.db" "$T/in" > "$T/out2.txt" 2>> "$T/err.txt"
n=$(sqlite3 "$T/d.db" 'select count(*) from dlp_files')
[[ "$n" == 10 ]] || fail "re-scan duplicated rows: $n"

# incidents and the report: each host's files form one personal-data
# incident whose affected records are its files' records with PII; the
# report lists the files
cp -r "$T/in/sub" "$T/in2"
"$M" dlp -q --no-progress --db "$T/d.db" --host contractor-srv1 "$T/in2" > /dev/null
sum=$(sqlite3 "$T/d.db" 'select sum(records_pii) from dlp_files')
"$M" report --db "$T/d.db" --format json -o "$T/report.json" 2>> "$T/err.txt"
python3 - "$T/report.json" "$sum" <<'EOF2' || fail "report: personal-data incidents / DLP section"
import json,sys
r=json.load(open(sys.argv[1])); want=int(sys.argv[2])
pd=r["personal_data"]
assert pd["available"] and pd["files"]==14 and pd["records_pii"]==want, pd
incs=[i for i in r["incidents"] if i["class"]=="personal-data"]
assert sorted(i["entity"] for i in incs)[0]=="contractor-srv1" and len(incs)==2, incs
n=[int(i["estimate"]["records"].split()[0].replace(",","")) for i in incs]
assert all(i["estimate"]["records_basis"]=="evidence" for i in incs)
assert sum(n)==want, (n, want)
assert all(i["loss"]["high"]>0 for i in incs)
# card numbers were found: the JNSA sensitivity is that of cards (y = 3)
for i in incs:
    f=[it["formula"] for it in i["loss"]["items"] if it["key"]=="jnsa_damages"]
    assert f and "5^(3" in f[0], f
EOF2

# the personal data removed and re-scanned: the host's incident closes
for f in "$T/in2"/*; do printf 'nothing personal\n' > "$f"; done
"$M" dlp -q --no-progress --db "$T/d.db" --host contractor-srv1 "$T/in2" > /dev/null
"$M" incident list --db "$T/d.db" > /dev/null
got=$(sqlite3 "$T/d.db" "select status || ' ' || records_estimate from incidents where entity='contractor-srv1'")
[[ "$got" == "closed 0" ]] || fail "re-scan without PII: incident $got"

# standard input (the first 101 lines: multi-line notes make that fewer records)
head -n 101 "$T/set/customers.csv" | "$M" dlp --json --no-db --format csv - > "$T/stdin.json"
recs=$(grep -o '"records":[0-9]*' "$T/stdin.json" | head -n 1 | cut -d: -f2)
got=$(grep -o '"records_pii":[0-9]*' "$T/stdin.json" | cut -d: -f2)
want=$(awk -F'\t' -v n="$recs" '$1=="I" && $2=="customers.csv" && $3<=n {print $3}' "$T/set/truth.tsv" | sort -u | wc -l)
[[ "$recs" -ge 90 && "$got" == "$want" ]] || fail "stdin: $got of $recs, truth $want"

# --types and --min-confidence
"$M" dlp --json --no-db --types email "$T/set/customers.csv" > "$T/types.jsonl"
python3 - "$T/types.jsonl" <<'EOF' || fail "--types email"
import json,sys
o=json.loads(open(sys.argv[1]).readline())
assert list(o["types"])==["email"], o["types"]
EOF
"$M" dlp --json --no-db --min-confidence 100 "$T/set/customers.csv" > "$T/conf.jsonl"
grep -q '"records_pii":0' "$T/conf.jsonl" || fail "--min-confidence 100 keeps findings"
set +e
"$M" dlp --types nope "$T/in" > /dev/null 2>&1; [[ $? == 2 ]] || fail "bad --types: exit 2"
"$M" dlp --no-db > /dev/null 2>&1; [[ $? == 2 ]] || fail "no path: exit 2"
"$M" dlp --no-db --fail "$T/set/customers.csv" > /dev/null 2>&1; [[ $? == 1 ]] || fail "--fail: exit 1"
"$M" dlp --no-db "$T/missing.csv" > /dev/null 2>&1; [[ $? == 3 ]] || fail "unreadable: exit 3"
set -e

# no full value anywhere: every truth value, and for numbers of 10+ digits
# the digits alone. (Shorter digit strings — 7-digit accounts, 8-digit dates —
# cannot be told from sizes and timestamps in a binary file; their written
# forms with separators are still checked.)
awk -F'\t' '$1=="I" {print $5}' "$T/set/truth.tsv" | sort -u > "$T/values.txt"
awk -F'\t' '$1=="I" {v=$5; gsub(/[- ]/,"",v); if (v ~ /^[0-9]+$/ && length(v) >= 10) print v}' \
  "$T/set/truth.tsv" | sort -u >> "$T/values.txt"
grep -Ev '^[0-9]{1,9}$' "$T/values.txt" > "$T/needles.txt"
[[ $(wc -l < "$T/needles.txt") -gt 10000 ]] || fail "too few values to check"
# the check itself can fail: a probe holding one value is caught
tail -n 1 "$T/needles.txt" | sed 's/^/x /' > "$T/probe.txt"
LC_ALL=C grep -a -q -F -f "$T/needles.txt" "$T/probe.txt" || fail "leak check cannot see a value"
"$M" dlp --no-progress --db "$T/d2.db" "$T/in" > "$T/table.txt" 2> "$T/err2.txt"
for f in out.jsonl err.txt out2.txt table.txt err2.txt d.db d2.db report.json; do
  if LC_ALL=C grep -a -F -f "$T/needles.txt" "$T/$f" > "$T/leak.txt"; then
    fail "full PII in $f: $(head -c 200 "$T/leak.txt")"
  fi
done
grep -q 'records hold personal data' "$T/table.txt" || fail "summary table"

# the demo data (data/demo/dlp) is the generator's, byte for byte
"$G" --demo "$T/demo"
for f in customers_2026-10_sjis.csv shop_backup.sql support_notes.txt; do
  cmp "$T/demo/$f" "${MM_SOURCE_DIR:?}/data/demo/dlp/$f" || fail "data/demo/dlp/$f differs from mamori-gen-dlp --demo"
done
echo "ok"
