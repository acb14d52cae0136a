#!/usr/bin/env bash
# Hostile log lines through scan and report: <script>, an attribute breakout
# with onerror, Markdown links and images, backticks, pipes and control
# characters arrive in the raw line, URL, user agent and source fields, and
# none of them may survive as markup in the HTML or the Markdown report.
set -euo pipefail
src=${MM_SOURCE_DIR:?}; bin=${MM_BINARY:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
esc=$'\x1b'
{
  # each line triggers a bundled web rule (XSS probe, SQL injection, scanner UA)
  printf '203.0.113.9 - - [05/Jan/2023:10:00:00 +0000] "GET /search?q=<script>alert(1)</script> HTTP/1.1" 200 512 "-" "Mozilla/5.0"\n'
  printf '203.0.113.9 - - [05/Jan/2023:10:00:01 +0000] "GET /p.php?id=1%%27%%20union%%20select%%20\\"><img%%20src=x%%20onerror=alert(2)> HTTP/1.1" 200 512 "\\"><img src=x onerror=alert(3)>" "sqlmap/1.7 [x](http://evil.example/) ![i](http://evil.example/i.png) `rm` | col %s[31m"\n' "$esc"
  printf '203.0.113.9 - - [05/Jan/2023:10:00:02 +0000] "GET /<svg/onload=alert(4)> HTTP/1.1" 404 0 "-" "Nikto <b>bold</b> [link](javascript:alert(5)) www.evil.example"\n'
} > "$tmp/access.log"
"$bin" scan "$tmp/access.log" --format combined --tz UTC --db "$tmp/x.db" -q --no-progress > "$tmp/alerts.jsonl"
[[ $(wc -l < "$tmp/alerts.jsonl") -ge 3 ]] || { echo "FAIL: crafted lines did not alert"; cat "$tmp/alerts.jsonl"; exit 1; }
"$bin" report --month 2023-01 --tz UTC --db "$tmp/x.db" --lang en -o "$tmp/r.html"
"$bin" report --month 2023-01 --tz UTC --db "$tmp/x.db" --lang ja -o "$tmp/r.md"
python3 - "$tmp/r.html" "$tmp/r.md" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
md = open(sys.argv[2], encoding="utf-8").read()
# the payloads reached the report (escaped), so the test can fail
assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, "payload not in report"
assert "onerror" in html
low = html.lower()
for bad in ["<script", "<img", "<svg/onload", "onerror=alert", "javascript:alert(5)\">", "\x1b"]:
    if bad == "onerror=alert":
        # may appear only as text, never inside a tag
        for tag in re.findall(r"<[^>]*>", html):
            assert "onerror" not in tag.lower(), "onerror inside a tag: " + tag
        continue
    assert bad not in low, "HTML contains " + repr(bad)
# only our own tags: every tag name is in the writer's vocabulary
ours = {"!doctype", "html", "head", "meta", "title", "style", "body", "main", "header", "h1",
        "h2", "h3", "h4", "p", "div", "span", "nav", "ol", "li", "a", "section", "figure",
        "figcaption", "svg", "line", "text", "rect", "circle", "table", "thead", "tbody", "tr",
        "th", "td", "article", "dl", "dt", "dd", "strong", "b", "code", "pre", "footer"}
for name in re.findall(r"</?([a-zA-Z!][a-zA-Z0-9]*)", html):
    assert name.lower() in ours, "unexpected tag " + name
assert "<b>bold</b>" not in html
# Markdown: outside fenced code blocks, no link/image/HTML/autolink syntax survives
out, fence = [], None
for line in md.split("\n"):
    m = re.match(r"^(`{3,})", line)
    if fence:
        if line == fence: fence = None
        continue
    if m:
        fence = m.group(1); continue
    out.append(line)
text = "\n".join(out)
for pat in [r"(?<!\\)\]\(", r"(?<!\\)!\[", r"(?<!\\)<(script|img|svg|b)\b", r"(?<![\\])https?://",
            r"(?<!\\)`rm", "\x1b", r"www\.evil"]:
    assert not re.search(pat, text), "markdown keeps " + pat
# table rows keep their column count (no pipe from a log breaks a cell)
for line in out:
    if line.startswith("| #"):
        assert len(re.findall(r"(?<!\\)\|", line)) == 10, "broken table row: " + line
print("escape: ok")
PY
