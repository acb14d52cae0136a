#!/usr/bin/env bash
# CLI contract: --help on every command, usage errors exit 2, the man page
# documents every command and every scan option that --help lists.
set -euo pipefail
src=${MM_SOURCE_DIR:?}; bin=${MM_BINARY:?}
"$bin" --help | grep -q "usage: mamori"
"$bin" version | grep -qE '^mamori [0-9]+\.[0-9]+\.[0-9]+$'
cmds=$("$bin" --help | awk '/^Commands:/{f=1;next} f&&/^  [a-z]/{print $1} /^$/{if(f)exit}')
[[ -n "$cmds" ]]
for c in $cmds; do
  [[ $c == version || $c == help ]] && continue
  "$bin" "$c" --help > /tmp/mm_help.$$ || { echo "FAIL: $c --help exited non-zero"; exit 1; }
  grep -q "usage: mamori $c" /tmp/mm_help.$$ || { echo "FAIL: $c --help has no usage line"; exit 1; }
  grep -q "^\.SS $c\|^\.B mamori $c\|mamori $c" "$src/docs/mamori.1" || { echo "FAIL: man page lacks $c"; exit 1; }
done
# every long option of scan --help is in the man page
for o in $("$bin" scan --help | grep -oE '^ +(-[a-z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+'); do
  grep -q -- "${o//-/\\\\-}" "$src/docs/mamori.1" || grep -q -- "$o" "$src/docs/mamori.1" || { echo "FAIL: man page lacks scan $o"; exit 1; }
done
rm -f /tmp/mm_help.$$
set +e
"$bin" nosuchcommand 2>/dev/null; [[ $? -eq 2 ]] || { echo "FAIL: unknown command"; exit 1; }
"$bin" scan 2>/dev/null; [[ $? -eq 2 ]] || { echo "FAIL: scan without PATH"; exit 1; }
"$bin" scan --format nosuch x 2>/dev/null; [[ $? -eq 2 ]] || { echo "FAIL: bad format"; exit 1; }
"$bin" scan --tz Nowhere/Atlantis x 2>/dev/null; [[ $? -eq 2 ]] || { echo "FAIL: bad tz"; exit 1; }
"$bin" scan --year 12 x 2>/dev/null; [[ $? -eq 2 ]] || { echo "FAIL: bad year"; exit 1; }
"$bin" scan --rules /nonexistent x 2>/dev/null; [[ $? -eq 4 ]] || { echo "FAIL: missing rules"; exit 1; }
"$bin" scan --db /nonexistent/dir/x.db --no-progress /dev/null 2>/dev/null; [[ $? -eq 5 ]] || { echo "FAIL: bad db"; exit 1; }
printf 'scan:\n  dbb: x\n' > /tmp/mm_cfg.$$.yaml
"$bin" scan -c /tmp/mm_cfg.$$.yaml x 2>/tmp/mm_cfgerr.$$; [[ $? -eq 2 ]] || { echo "FAIL: config typo"; exit 1; }
grep -q "unknown key 'dbb'" /tmp/mm_cfgerr.$$ || { echo "FAIL: config typo message"; exit 1; }
# bounded integer settings: out of range or not a number → exit 2, naming the key and range
printf 'analyzers:\n  credential_stuffing:\n    min_sources: x\n' > /tmp/mm_cfg.$$.yaml
"$bin" scan -c /tmp/mm_cfg.$$.yaml --no-db x 2>/tmp/mm_cfgerr.$$; [[ $? -eq 2 ]] || { echo "FAIL: bad min_sources"; exit 1; }
grep -q "analyzers.credential_stuffing.min_sources must be an integer from 2 to 1000000" /tmp/mm_cfgerr.$$ \
  || { echo "FAIL: min_sources message"; cat /tmp/mm_cfgerr.$$; exit 1; }
printf 'mail:\n  thresholds:\n    phishing: 5000\n' > /tmp/mm_cfg.$$.yaml
"$bin" mail -c /tmp/mm_cfg.$$.yaml x 2>/tmp/mm_cfgerr.$$; [[ $? -eq 2 ]] || { echo "FAIL: bad mail threshold"; exit 1; }
grep -q "mail.thresholds.phishing must be an integer from 1 to 1000" /tmp/mm_cfgerr.$$ \
  || { echo "FAIL: mail threshold message"; cat /tmp/mm_cfgerr.$$; exit 1; }
rm -f /tmp/mm_cfg.$$.yaml /tmp/mm_cfgerr.$$
# the documented example configuration works as written
tmpd=$(mktemp -d)
( cd "$src" && "$bin" scan -c docs/mamori.example.yaml --db "$tmpd/x.db" --no-progress -q \
    data/demo > "$tmpd/a.jsonl" ) || { echo "FAIL: docs/mamori.example.yaml"; exit 1; }
[[ -s "$tmpd/a.jsonl" ]] || { echo "FAIL: example config scan found nothing"; exit 1; }
rm -rf "$tmpd"
echo "cli: ok"
