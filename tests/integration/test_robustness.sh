#!/usr/bin/env bash
# Integration: hostile inputs — binary junk, truncated gzip, a 10 MB line,
# NUL bytes, invalid UTF-8, CRLF — give a summary with counted errors and the
# documented exit code, never a crash; alerts stay valid JSON.
set -euo pipefail
bin=${MM_BINARY:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# a combined log with a 10 MB line, NUL bytes, invalid UTF-8 and CRLF in it
{
  printf '203.0.113.5 - - [05/Jan/2023:10:00:00 +0000] "GET /index.html HTTP/1.1" 200 12 "-" "curl/8"\r\n'
  head -c 10485760 /dev/zero | tr '\0' 'A'; printf '\n'
  printf '203.0.113.5 - - [05/Jan/2023:10:00:01 +0000] "GET /a\0b HTTP/1.1" 200 12 "-" "x"\n'
  printf '203.0.113.5 - - [05/Jan/2023:10:00:02 +0000] "GET /\xff\xfe/../../etc/passwd HTTP/1.1" 404 0 "-" "x"\n'
  printf 'this is not an access log line\n'
  printf '203.0.113.5 - - [99/Foo/2023:10:00:02 +0000] "GET / HTTP/1.1" 200 1 "-" "x"\n'
} > "$tmp/mixed.log"
rc=0
"$bin" scan --format combined --no-db --no-progress --max-line 4096 \
  --summary-json "$tmp/s.json" "$tmp/mixed.log" > "$tmp/a.jsonl" 2> "$tmp/err.txt" || rc=$?
cat "$tmp/err.txt"
[[ $rc -eq 0 ]] || { echo "FAIL: exit $rc on malformed lines (want 0)"; exit 1; }
python3 - "$tmp/s.json" "$tmp/a.jsonl" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["lines"] == 6, s
assert s["truncated"] == 1, s
assert s["malformed"] >= 2, s          # the junk line, the bad date, the cut 10 MB line
assert s["events"] + s["malformed"] == s["lines"], s
for line in open(sys.argv[2], encoding="utf-8"):
    json.loads(line)                    # every alert is valid JSON
PY
grep -q "cut at the line-length limit" "$tmp/err.txt"

# binary junk and a truncated gzip: counted per file, exit 3, no crash
head -c 200000 /dev/urandom > "$tmp/junk.bin"
seq 1 20000 | sed 's/^/Jan  5 10:00:00 host sshd[1]: Failed password for root from 203.0.113.9 port 22 ssh2 #/' | gzip > "$tmp/t.log.gz"
truncate -s -100 "$tmp/t.log.gz"
: > "$tmp/empty.log"
rc=0
"$bin" scan --no-db --no-progress --summary-json "$tmp/s2.json" \
  "$tmp/junk.bin" "$tmp/t.log.gz" "$tmp/empty.log" "$tmp/does-not-exist.log" \
  > /dev/null 2> "$tmp/err2.txt" || rc=$?
cat "$tmp/err2.txt"
[[ $rc -eq 3 ]] || { echo "FAIL: exit $rc, want 3 (some input unreadable)"; exit 1; }
python3 - "$tmp/s2.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["files"] == 4, s
assert s["files_failed"] >= 2, s          # truncated gzip, missing file
assert s["events"] > 10000, s             # the readable part of the gzip was scanned
PY
grep -q "does-not-exist.log" "$tmp/err2.txt"
grep -q "gzip" "$tmp/err2.txt"

# the same junk forced through each decoder: all lines counted, no crash
for f in $("$bin" formats | awk '{print $1}'); do
  rc=0
  "$bin" scan --format "$f" --no-db --no-progress --summary-json "$tmp/s3.json" "$tmp/junk.bin" \
    > /dev/null 2>&1 || rc=$?
  [[ $rc -eq 0 ]] || { echo "FAIL: --format $f on junk exited $rc"; exit 1; }
  python3 -c "import json,sys; s=json.load(open('$tmp/s3.json')); assert s['events']+s['malformed']+sum(v for k,v in s['malformed_by_reason'].items() if k=='skipped')>=s['lines'], s"
done
echo "robustness: ok"
