#!/usr/bin/env bash
# `mamori mail` on the bundled .eml samples (data/demo/mail/eml/): every
# message gets its expected verdict with the expected reasons
# (expected-verdicts.txt); the Japanese subjects and bodies (ISO-2022-JP,
# Shift_JIS base64 HTML, EUC-JP, RFC 2047 words) decode to the right UTF-8;
# attacker-controlled text (ESC sequences, a bidi override, quotes, a bell)
# comes out escaped and the output is valid JSON; suspicious and phishing
# verdicts land in the store as alerts of the phishing-mail incident class;
# --fail-on and the text mode behave; an mbox is split into its messages.
set -euo pipefail
src=${MM_SOURCE_DIR:?}; bin=${MM_BINARY:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$src"
eml=data/demo/mail/eml
"$bin" mail -c data/demo/mamori.yaml --db "$tmp/m.db" "$eml" > "$tmp/v.jsonl" 2> "$tmp/err.txt"
cat "$tmp/err.txt"
# raw control bytes / bidi overrides never reach the output
if LC_ALL=C grep -q $'\x1b' "$tmp/v.jsonl" || LC_ALL=C grep -q $'\x07' "$tmp/v.jsonl" \
   || grep -q $'\u202e' "$tmp/v.jsonl"; then
  echo "FAIL: raw control or bidi characters in the JSON output"; exit 1
fi
python3 - "$tmp/v.jsonl" data/demo/mail/expected-verdicts.txt <<'PY'
import json, os, sys
got = {}
for line in open(sys.argv[1], encoding="utf-8"):
    v = json.loads(line)            # every line is valid JSON
    got[os.path.basename(v["file"])] = v
want = {}
for l in open(sys.argv[2], encoding="utf-8"):
    if l.strip() and not l.startswith("#"):
        f, verdict, codes = l.split()
        want[f] = (verdict, [] if codes == "-" else codes.split(","))
assert set(got) == set(want), (sorted(got), sorted(want))
bad = 0
for f, (verdict, codes) in sorted(want.items()):
    v = got[f]
    have = {r["code"] for r in v["reasons"]} | {r["code"] for u in v["urls"] for r in u["reasons"]}
    ok = v["verdict"] == verdict and all(c in have for c in codes)
    if verdict == "clean":
        ok = ok and not have
    print(f"{'ok ' if ok else 'BAD'} {f:28} {v['verdict']:10} {v['score']:4} {sorted(have)}")
    bad += not ok
assert not bad, f"{bad} samples without their expected verdict"
# Japanese decoding
jp = got["jp_phish_iso2022jp.eml"]
assert jp["subject"] == "【重要】アカウント停止のお知らせ", jp["subject"]
assert jp["from"]["name"] == "Example サポート", jp["from"]
assert "24時間以内に下記URLから本人確認を行ってください。" in jp["body_excerpt"], jp["body_excerpt"]
assert jp["parts"][0]["charset"] == "ISO-2022-JP"
sj = got["jp_phish_sjis_html.eml"]
assert sj["subject"] == "お支払い情報の確認のお願い", sj["subject"]
assert sj["from"]["name"] == "Example 請求センター", sj["from"]
u = [x for x in sj["urls"] if x["text"]][0]
assert u["text"] == "https://www.example.co.jp/mypage" and u["host"] == "203.0.113.77", u
assert u["url"] == "http://203.0.113.77/example/login.php?session=a&u=1", u   # &amp; decoded
assert "お支払い情報の有効期限が切れています。" in sj["body_excerpt"], sj["body_excerpt"]
eu = got["jp_internal_eucjp.eml"]
assert eu["subject"] == "社内システム定期メンテナンスのお知らせ" and eu["from"]["name"] == "情報システム部"
assert "社内ポータルのメンテナンスを行います" in eu["body_excerpt"], eu["body_excerpt"]
assert got["ioc_domain.eml"]["subject"] == "不在通知"
idn = got["idn_homoglyph.eml"]["urls"][0]
assert idn["host"] == "xn--exmple-4nf.co.jp" and idn["host_unicode"] == "ex\u0430mple.co.jp", idn
# escaping: the decoded control characters are there, as escapes
esc = got["escape_controls.eml"]
assert esc["subject"] == 'Invoice \x1b[31mPAID\x1b[0m \u202eexe.pdf "q" \\', esc["subject"]
assert esc["from"]["name"] == "Support \u202egnp.exe"
assert esc["message_id"] == 'esc"1@exarnple.co.jp'
print("mail check: all samples as expected")
PY
raw=$(grep escape_controls "$tmp/v.jsonl")
[[ "$raw" == *'\u001b[31m'* && "$raw" == *'\u202e'* ]] || { echo "FAIL: escapes missing"; exit 1; }
# the store: one alert per suspicious/phishing message, in the phishing-mail class
n=$(grep -c '"verdict":"\(phishing\|suspicious\)"' "$tmp/v.jsonl")
stored=$(sqlite3 "$tmp/m.db" "select count(*) from alerts")
[[ "$stored" == "$n" ]] || { echo "FAIL: $stored alerts stored, $n expected"; exit 1; }
"$bin" mail -q -c data/demo/mamori.yaml --db "$tmp/m.db" "$eml" > /dev/null
stored2=$(sqlite3 "$tmp/m.db" "select count(*) from alerts")
[[ "$stored2" == "$n" ]] || { echo "FAIL: a second run stored duplicates ($stored2)"; exit 1; }
"$bin" report --db "$tmp/m.db" --format json > "$tmp/r.json" 2>/dev/null || true
if [[ -s "$tmp/r.json" ]]; then
  grep -q 'phishing-mail' "$tmp/r.json" || { echo "FAIL: no phishing-mail incident in the report"; exit 1; }
fi
# --fail-on and the exit status
set +e
"$bin" mail -q --no-db -c data/demo/mamori.yaml --fail-on phishing "$eml/jp_phish_iso2022jp.eml" >/dev/null; rc1=$?
"$bin" mail -q --no-db -c data/demo/mamori.yaml --fail-on phishing "$eml/newsletter_benign.eml" >/dev/null; rc2=$?
"$bin" mail -q --no-db /nonexistent.eml >/dev/null 2>&1; rc3=$?
set -e
[[ $rc1 == 1 && $rc2 == 0 && $rc3 == 3 ]] || { echo "FAIL: exit codes $rc1 $rc2 $rc3"; exit 1; }
# text mode: one line per message, escaped
"$bin" mail -q --no-db --text -c data/demo/mamori.yaml "$eml" > "$tmp/t.txt"
[[ $(wc -l < "$tmp/t.txt") == $(wc -l < "$tmp/v.jsonl") ]] || { echo "FAIL: text mode lines"; exit 1; }
if LC_ALL=C grep -q $'\x1b' "$tmp/t.txt" || grep -q $'\u202e' "$tmp/t.txt"; then
  echo "FAIL: raw control characters in text mode"; exit 1
fi
# an mbox of two messages
{ echo "From a@b Thu Nov 26 00:00:00 2026"; cat "$eml/newsletter_benign.eml"; echo
  echo "From c@d Thu Nov 26 00:00:01 2026"; cat "$eml/jp_phish_iso2022jp.eml"; } > "$tmp/box.mbox"
"$bin" mail -q --no-db -c data/demo/mamori.yaml "$tmp/box.mbox" > "$tmp/mb.jsonl"
python3 - "$tmp/mb.jsonl" <<'PY'
import json, sys
v = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert [x["verdict"] for x in v] == ["clean", "phishing"], [(x["file"], x["verdict"]) for x in v]
assert v[1]["file"].endswith("#2") and v[1]["subject"] == "【重要】アカウント停止のお知らせ"
PY
# attacker text in MTA logs (a sender with an ESC sequence and a bidi
# override, relayed) comes out of scan escaped, in JSON and in --text
esc=$'\x1b[31m'
for i in 1 2 3 4; do
  q=$(printf 'A1B2C3D4E%d' "$i")
  printf 'Nov 26 10:0%d:00 mx1 postfix/smtpd[1]: %s: client=unknown[203.0.113.66]\n' "$i" "$q"
  printf 'Nov 26 10:0%d:00 mx1 postfix/qmgr[2]: %s: from=<%sx\u202e@evil.test>, size=1, nrcpt=1 (queue active)\n' "$i" "$q" "$esc"
  printf 'Nov 26 10:0%d:01 mx1 postfix/smtp[3]: %s: to=<v%d@gmail.example>, relay=mx[192.0.2.1]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok %s)\n' "$i" "$q" "$i" "$esc"
done > "$tmp/esc.log"
"$bin" scan "$tmp/esc.log" --no-db --format syslog --no-progress -q > "$tmp/esc.jsonl"
"$bin" scan "$tmp/esc.log" --no-db --format syslog --no-progress -q --text > "$tmp/esc.txt"
grep -q mail_unauthenticated_relay "$tmp/esc.jsonl" || { echo "FAIL: no relay alert on the escape log"; exit 1; }
if LC_ALL=C grep -q $'\x1b' "$tmp/esc.jsonl" "$tmp/esc.txt"; then
  echo "FAIL: raw ESC from a log line in scan output"; exit 1
fi
grep -q '"senders":\["\\u001b\[31mx' "$tmp/esc.jsonl" || { echo "FAIL: the sender is not listed escaped"; exit 1; }
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$tmp/esc.jsonl"
echo "mail check: ok"
