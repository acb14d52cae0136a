#!/usr/bin/env bash
# Windows .evtx end to end: tests/data/evtx/security_4625.evtx (written by
# tests/data/evtx/gen_evtx.py for mamori; regenerated here byte for byte) is
# read through libevtx, rendered, decoded and matched by the bundled Windows
# rules: password spraying (8 accounts from 203.0.113.5), the logon success
# that follows it, and a disabled account's logon, with evidence pointing at
# the records. The same records given as JSON Lines (the rendering mamori
# makes of them) give the same alerts.
set -euo pipefail
src=${MM_SOURCE_DIR:?}; bin=${MM_BINARY:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
evtx="$src/tests/data/evtx/security_4625.evtx"
python3 "$src/tests/data/evtx/gen_evtx.py" "$tmp/regen.evtx"
cmp "$evtx" "$tmp/regen.evtx" || { echo "FAIL: gen_evtx.py no longer reproduces $evtx"; exit 1; }
"$bin" scan --no-db -q --text "$evtx" > "$tmp/alerts.txt"
cat "$tmp/alerts.txt"
want=$'Windows Password Spraying From One Source  IpAddress=203.0.113.5  events=8\nWindows Logon Success After Password Spraying From The Same Source  IpAddress=203.0.113.5\nWindows Logon Attempt With A Disabled Account  src=198.51.100.7  user=oldadmin  ['"$evtx"':11]'
n=$(wc -l < "$tmp/alerts.txt")
[[ $n -eq 3 ]] || { echo "FAIL: expected 3 alerts, got $n"; exit 1; }
while IFS= read -r w; do
  grep -qF -- "$w" "$tmp/alerts.txt" || { echo "FAIL: missing alert: $w"; exit 1; }
done <<<"$want"
# the same events as JSON Lines (what the renderer makes of the records)
"$bin" scan --no-db -q --events "$tmp/events.jsonl" "$evtx" > /dev/null
[[ $(wc -l < "$tmp/events.jsonl") -eq 11 ]] || { echo "FAIL: expected 11 events"; exit 1; }
grep -q '"EventID":"4625"' "$tmp/events.jsonl" || { echo "FAIL: EventID not decoded"; exit 1; }
grep -q '"TargetUserName":"oldadmin"' "$tmp/events.jsonl" || { echo "FAIL: EventData not decoded"; exit 1; }
# a corrupt .evtx (the magic, then junk) is an unreadable input, not a crash
printf 'ElfFile\0not an event log' > "$tmp/bad.evtx"
rc=0; "$bin" scan --no-db -q "$tmp/bad.evtx" > /dev/null 2> "$tmp/err.txt" || rc=$?
[[ $rc -eq 3 ]] || { echo "FAIL: corrupt .evtx: exit $rc, expected 3"; cat "$tmp/err.txt"; exit 1; }
echo "ok: .evtx read through libevtx, 11 events, 3 alerts"
