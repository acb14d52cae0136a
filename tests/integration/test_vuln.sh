#!/usr/bin/env bash
# mamori — `mamori vuln` end to end. Bundled fixtures (tests/data/vuln/):
# dpkg status × Debian OSV (source packages, '~', deinstalled entries), CSV
# appliances. Real advisories from $MM_EXTERNAL (NVD 2.0, CVE 5.x, OSV for
# CVE-2023-22278 and CVE-2023-21835): the m-FILTER and Java cases, the
# Bitnami/NVD conflict, --fail-on, stable output, re-index skipping, this
# machine's own dpkg status with every finding justified by dpkg itself.
set -euo pipefail
M=${MM_BINARY:?}; S=${MM_SOURCE_DIR:?}; E=${MM_EXTERNAL:-$S/../shared/data/external}
D=$S/tests/data/vuln
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. bundled: nginx source package vs DSA-3029-1 (fixed 1.2.1-2.2+wheezy3)
"$M" vuln -q --json --db "$T/a.db" -i "$D/inventories/nginx_status" --host web1 \
  -a "$D/advisories/DSA-3029-1.json" > "$T/nginx.jsonl"
got=$(grep -o '"package":"[^"]*"' "$T/nginx.jsonl" | sort | tr '\n' ' ')
[[ "$got" == '"package":"nginx-extras" "package":"nginx-full" ' ]] || fail "nginx findings: $got"
grep -q '"vulnerability":"CVE-2014-3616"' "$T/nginx.jsonl" || fail "alias as vulnerability id"
grep -q '"fixed":\["1.2.1-2.2+wheezy3"\]' "$T/nginx.jsonl" || fail "fixed version"
grep -q '"host":"web1"' "$T/nginx.jsonl" || fail "--host"
[[ $(sqlite3 "$T/a.db" 'select count(*) from findings') == 2 ]] || fail "findings table"

# 2. bundled CSV; m-FILTER without external data needs NVD: below
"$M" vuln -q --json --db "$T/b.db" --inventory-format dpkg -i "$D/inventories/malformed_status" \
  -a "$D/advisories" > /dev/null || fail "malformed status must not fail"

# 3. usage errors
set +e
"$M" vuln --db "$T/c.db" > /dev/null 2>&1; [[ $? == 2 ]] || fail "no inventory: exit 2"
"$M" vuln -i "$D/inventories/mfilter.csv" --fail-on bogus > /dev/null 2>&1; [[ $? == 2 ]] || fail "bad --fail-on"
"$M" vuln -i /nonexistent --db "$T/c.db" > /dev/null 2>&1; [[ $? == 3 ]] || fail "missing inventory: exit 3"
set -e
echo "not json" > "$T/bad.json"; printf '{"id": "X", "affected": [{"package": 7}]}' > "$T/bad2.json"
"$M" vuln --db "$T/c.db" -i "$D/inventories/mfilter.csv" -a "$T" > /dev/null 2> "$T/err" \
  || fail "malformed advisories are counted, not fatal"
grep -q '1 unreadable or not advisories' "$T/err" || fail "bad file not counted: $(cat "$T/err")"
grep -q '1 malformed parts' "$T/err" || fail "bad entry not counted: $(cat "$T/err")"

# 3b. NVD AND configuration (synthetic record, NVD 2.0 shape): webmail < 2.0
# only on Windows or macOS 12-13; CVE-2099-0002 (< 1.5) on any platform.
# Default: reported, conditional when the host lacks the platform;
# --strict-platform: dropped then.
plat() { python3 -c '
import sys, json
for l in sys.stdin:
    d = json.loads(l)
    print(d["host"], d["vulnerability"], "cond" if d["conditional"] else "-", d["platform"] or "-")' | sort; }
"$M" vuln -q --json --db "$T/p.db" -i "$D/inventories/platforms.csv" \
  -a "$D/advisories/nvd-and-platform.json" | plat > "$T/plat"
REQ='(cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:* or cpe:2.3:o:apple:macos:*:*:*:*:*:*:*:* >=12.0 <14.0)'
cat > "$T/plat.want" <<EOW
host-lin CVE-2099-0001 cond $REQ
host-mac CVE-2099-0001 - -
host-old CVE-2099-0001 cond $REQ
host-old CVE-2099-0002 - -
host-oldmac CVE-2099-0001 cond $REQ
host-win CVE-2099-0001 - -
EOW
diff "$T/plat.want" "$T/plat" || fail "AND configuration, default (conditional)"
"$M" vuln -q --json --strict-platform --db "$T/p.db" -i "$D/inventories/platforms.csv" \
  -a "$D/advisories/nvd-and-platform.json" | plat > "$T/plat"
printf 'host-mac CVE-2099-0001 - -\nhost-old CVE-2099-0002 - -\nhost-win CVE-2099-0001 - -\n' > "$T/plat.want"
diff "$T/plat.want" "$T/plat" || fail "AND configuration, --strict-platform"
"$M" vuln --db "$T/p.db" -i "$D/inventories/platforms.csv" \
  -a "$D/advisories/nvd-and-platform.json" 2> /dev/null > "$T/plat.txt"
[[ $(grep -c '^  conditional: only with (cpe:2.3:o:microsoft:windows' "$T/plat.txt") == 3 ]] \
  || fail "table: conditional lines: $(cat "$T/plat.txt")"

# 3c. OSV ECOSYSTEM ranges compare PyPI versions with PEP 440 and Alpine
# versions with apk's order (a generic order gets both pre-releases wrong):
# requests 2.31.0rc1 and 2.30.0.post1 < 2.31.0; libcrypto3 3.1.4_rc1-r5 < 3.1.4-r1
"$M" vuln -q --json --db "$T/pa.db" -i "$D/inventories/pyalpine.cdx.json" \
  -a "$D/advisories/osv-pypi-alpine.json" \
  | python3 -c 'import sys, json
for l in sys.stdin:
    d = json.loads(l); print(d["package"], d["version"], d["vulnerability"])' > "$T/pa"
printf '%s\n' "requests 2.31.0rc1 CVE-2099-1001" "requests 2.30.0.post1 CVE-2099-1001" \
  "libcrypto3 3.1.4_rc1-r5 CVE-2099-1002" > "$T/pa.want"
diff "$T/pa.want" "$T/pa" || fail "PEP 440 / apk ranges"

if [[ ! -d "$E/nvd-json-data-feeds" || ! -d "$E/cvelistV5" || ! -d "$E/vulndb" ]]; then
  echo "SKIP (partly): external data folder $E is absent; bundled cases passed" >&2
  exit 77
fi
ADV=(-a "$E/nvd-json-data-feeds" -a "$E/cvelistV5" -a "$E/vulndb")

# 4. m-FILTER (CVE-2023-22278, NVD CPE with versionEndExcluding 5.70r01 / 4.87r04)
for src in nvd-json-data-feeds cvelistV5; do
  "$M" vuln -q --json --db "$T/m-$src.db" -i "$D/inventories/mfilter.csv" -a "$E/$src" > "$T/mf.jsonl"
  hosts=$(grep -o '"host":"[^"]*"' "$T/mf.jsonl" | sort | tr '\n' ' ')
  [[ "$hosts" == '"host":"mx-gw" "host":"old-gw" ' ]] || fail "m-FILTER via $src: $hosts"
  grep -q '"vulnerability":"CVE-2023-22278"' "$T/mf.jsonl" || fail "m-FILTER id via $src"
done

# 5. Java CVE-2023-21835: 11.0.17, 17.0.5, 19.0.1 affected; .18/.6/.2 and 8 not
jv() { # version, oracle|openjdk
  if [[ $2 == oracle ]]; then
    printf 'java version "%s" 2022-10-18 LTS\nJava(TM) SE Runtime Environment (build %s+8-LTS-191)\n' "$1" "$1"
  else
    printf 'openjdk version "%s" 2022-10-18\nOpenJDK Runtime Environment Temurin-%s+8 (build %s+8)\n' "$1" "$1" "$1"
  fi
}
for v in 11.0.17 17.0.5 19.0.1 11.0.18 17.0.6 19.0.2; do jv $v oracle > "$T/java-$v.txt"; done
printf 'java version "1.8.0_361"\nJava(TM) SE Runtime Environment (build 1.8.0_361-b09)\n' > "$T/java-8.txt"
for src in nvd-json-data-feeds cvelistV5 vulndb; do
  for v in 11.0.17 17.0.5 19.0.1 11.0.18 17.0.6 19.0.2 8; do
    "$M" vuln -q --json --db "$T/j-$src.db" -i "$T/java-$v.txt" -a "$E/$src" > "$T/j.jsonl"
    n=$(grep -c CVE-2023-21835 "$T/j.jsonl" || true)
    want=0
    case $v in
      11.0.17|19.0.1) want=1 ;;
      17.0.5) [[ $src == vulndb ]] || want=1 ;; # Bitnami says fixed in 17.0.5
    esac
    [[ $n == "$want" ]] || fail "java $v via $src: $n findings, want $want"
  done
done
# all sources together: 17.0.5 is a finding that shows Bitnami's conflict
"$M" vuln -q --json --db "$T/all.db" -i "$T/java-17.0.5.txt" "${ADV[@]}" > "$T/j.jsonl"
grep -q '"conflicts":\["BIT-java-2023-21835 (osv) says not affected; fixed in 17.0.5"\]' "$T/j.jsonl" \
  || fail "conflict not shown: $(cat "$T/j.jsonl")"
"$M" vuln -q --db "$T/all.db" -i "$T/java-17.0.5.txt" "${ADV[@]}" > "$T/j.txt"
grep -q 'conflict: BIT-java-2023-21835' "$T/j.txt" || fail "conflict line in the table"

# 6. stable output; unchanged advisory files are not re-read
cat "$T"/java-*.txt > "$T/javas.txt"
"$M" vuln --json --db "$T/st.db" -i "$D/inventories/mfilter.csv" -i "$T/javas.txt" "${ADV[@]}" > "$T/r1" 2>/dev/null
"$M" vuln --json --db "$T/st.db" -i "$D/inventories/mfilter.csv" -i "$T/javas.txt" "${ADV[@]}" > "$T/r2" 2> "$T/err2"
cmp -s "$T/r1" "$T/r2" || fail "output differs between runs"
grep -q '(5 unchanged' "$T/err2" || fail "re-index: $(cat "$T/err2")"

# 7. --fail-on
set +e
"$M" vuln -q --db "$T/st.db" -i "$D/inventories/mfilter.csv" "${ADV[@]}" --fail-on medium > /dev/null; r1=$?
"$M" vuln -q --db "$T/st.db" -i "$D/inventories/mfilter.csv" "${ADV[@]}" --fail-on high > /dev/null; r2=$?
set -e
[[ $r1 == 1 && $r2 == 0 ]] || fail "--fail-on: medium → $r1 (want 1), high → $r2 (want 0)"

# 8. this machine's dpkg status × the Debian OSV record: every nginx source
# package installed below the fix must be a finding, per dpkg itself
if [[ -r /var/lib/dpkg/status ]]; then
  "$M" vuln -q --json --db "$T/host.db" -i /var/lib/dpkg/status -a "$D/advisories/DSA-3029-1.json" \
    -a "$E/osv.dev" > "$T/host.jsonl"
  want=$(dpkg-query -W -f='${Package} ${source:Package} ${source:Version} ${db:Status-Abbrev}\n' 2>/dev/null |
    while read -r p src sv st; do
      [[ $src == nginx && $st == ii* ]] && dpkg --compare-versions "$sv" lt 1.2.1-2.2+wheezy3 && echo "$p" || true
    done | sort | tr '\n' ' ')
  got=$( (grep -o '"package":"[^"]*"' "$T/host.jsonl" || true) | sed 's/"package":"//;s/"$//' | sort | tr '\n' ' ')
  [[ "$got" == "$want" ]] || fail "host dpkg status: got '$got', dpkg says '$want'"
fi
echo "ok"
