#!/usr/bin/env bash
# mamori — throughput of `mamori dlp` on a generated Japanese customer export
# (tools/gen_dlp.c: every row full of PII and look-alikes, the worst case for
# a validator) next to ripgrep with the same candidate shapes (digit runs,
# 〒, e-mail, IBAN, passport, dates, the 47 prefectures). ripgrep only finds
# shapes; mamori also converts, folds widths, splits records, validates and
# counts. Prints MB/s, CPU seconds and the ratio. Environment:
#   MAMORI    mamori binary                      (default: build/mamori)
#   GEN_DLP   mamori-gen-dlp generator           (default: build/tools/mamori-gen-dlp)
#   ROWS      rows of the export                 (default: 200000, about 60 MB)
#   RUNS      timed runs, the best is kept       (default: 3)
# Generated files are cached in bench/work/ (gitignored). See bench/README.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
MAMORI=${MAMORI:-$root/build/mamori}
GEN_DLP=${GEN_DLP:-$root/build/tools/mamori-gen-dlp}
ROWS=${ROWS:-200000}
RUNS=${RUNS:-3}
work=$here/work/dlp-$ROWS
die() { echo "bench_dlp.sh: $*" >&2; exit 2; }
[ -x "$MAMORI" ] || die "no mamori binary at $MAMORI (build first, or set MAMORI=)"
[ -x "$GEN_DLP" ] || die "no generator at $GEN_DLP (build tools/, or set GEN_DLP=)"
[ -x /usr/bin/time ] || die "GNU time is needed (Debian: apt-get install time)"
if [ ! -s "$work/customers.csv" ]; then
	echo "generating $ROWS rows into $work…"
	mkdir -p "$(dirname "$work")"
	"$GEN_DLP" "$work" 42 "$ROWS" > /dev/null
fi

# best of RUNS: "elapsed user sys maxrss_kb"
best() {
	local b="" line
	for _ in $(seq "$RUNS"); do
		line=$(/usr/bin/time -f '%e %U %S %M' "$@" 2>&1 >/dev/null | tail -n 1)
		if [ -z "$b" ] || awk -v a="$line" -v b="$b" 'BEGIN{split(a,x," ");split(b,y," ");exit !(x[2]+x[3] < y[2]+y[3])}'; then
			b=$line
		fi
	done
	echo "$b"
}

prefs='北海道|青森県|岩手県|宮城県|秋田県|山形県|福島県|茨城県|栃木県|群馬県|埼玉県|千葉県|東京都|神奈川県|新潟県|富山県|石川県|福井県|山梨県|長野県|岐阜県|静岡県|愛知県|三重県|滋賀県|京都府|大阪府|兵庫県|奈良県|和歌山県|鳥取県|島根県|岡山県|広島県|山口県|徳島県|香川県|愛媛県|高知県|福岡県|佐賀県|長崎県|熊本県|大分県|宮崎県|鹿児島県|沖縄県'
shapes="(?-u:\\b)[0-9](?:[ -]?[0-9]){6,}(?-u:\\b)|〒|[A-Za-z0-9._%+-]@[A-Za-z0-9-]+\\.|(?-u:\\b)[A-Z]{2}[0-9]{2} ?[A-Z0-9]{4}|(?-u:\\b)[A-Z]{2}[0-9]{7}(?-u:\\b)|(?:明治|大正|昭和|平成|令和) ?(?:[0-9]{1,2}|元)年|(?-u:\\b)(?:19|20)[0-9][0-9](?:/|年)[0-9]{1,2}(?:/|月)[0-9]|$prefs"

printf '%-44s %8s %8s %8s %8s %9s\n' "tool (file)" "MB" "seconds" "MB/s" "CPU s" "MB/CPU-s"
row() { # label file result
	local label=$1 f=$2 r=$3 mb
	mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN{printf "%.1f", b/1e6}')
	set -- $r
	awk -v l="$label" -v mb="$mb" -v e="$1" -v u="$2" -v s="$3" 'BEGIN{
		c=u+s; printf "%-44s %8.1f %8.2f %8.0f %8.2f %9.0f\n", l, mb, e, (e>0?mb/e:0), c, (c>0?mb/c:0)}'
}
declare -A cpu
for f in customers.csv customers_sjis.csv; do
	p=$work/$f
	r=$(best "$MAMORI" dlp --no-db --no-progress -q --json "$p"); row "mamori dlp ($f)" "$p" "$r"
	cpu[m_$f]=$(echo "$r" | awk '{print $2+$3}')
done
p=$work/customers.csv
r=$(best rg -c "$shapes" "$p"); row "rg -c shapes (customers.csv)" "$p" "$r"
cpu[rgc]=$(echo "$r" | awk '{print $2+$3}')
r=$(best sh -c "rg -o '$shapes' '$p' | wc -l"); row "rg -o shapes | wc -l (customers.csv)" "$p" "$r"
cpu[rgo]=$(echo "$r" | awk '{print $2+$3}')
awk -v m="${cpu[m_customers.csv]}" -v c="${cpu[rgc]}" -v o="${cpu[rgo]}" 'BEGIN{
	printf "\nCPU-time ratio (rg / mamori, >1 = mamori faster): rg -c %.2fx, rg -o %.2fx\n", c/m, o/m}'
echo "mamori's own counts on customers.csv:"
"$MAMORI" dlp --no-db --no-progress "$p" 2>&1 >/dev/null | head -3
