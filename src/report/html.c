/* mamori — the HTML report: one self-contained file (inline CSS, inline SVG
 * charts, no script, a Content-Security-Policy that forbids every external
 * request), readable on a phone and printable on A4. Every string that came
 * from a log goes through mm_report_html_escape; so do our own strings.
 * Pipeline position: report model (model.c) → HTML. */
#include "report_int.h"

#include "mamori/version.h"

#include <string.h>

static const char g_css[] =
	":root{--fg:#1d2330;--muted:#5b6475;--line:#d9dee7;--bg:#fff;--soft:#f4f6fa;"
	"--accent:#1f5fbf;--crit:#b3261e;--high:#d0591b;--med:#b88600;--low:#3d7a46}"
	"*{box-sizing:border-box}"
	"body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.6 system-ui,-apple-system,"
	"'Segoe UI','Hiragino Sans','Hiragino Kaku Gothic ProN','Noto Sans CJK JP','IPAGothic',"
	"'IPAexGothic','Yu Gothic',Meiryo,sans-serif}"
	"main{max-width:980px;margin:0 auto;padding:24px 16px 48px}"
	"header.top{border-bottom:3px solid var(--accent);margin-bottom:16px}"
	"h1{font-size:1.7em;margin:0 0 4px}h2{font-size:1.3em;margin:32px 0 10px;padding-bottom:4px;"
	"border-bottom:1px solid var(--line)}h3{font-size:1.1em;margin:0 0 8px}"
	"h4{font-size:.95em;margin:14px 0 6px;color:var(--muted)}"
	".sub{color:var(--muted);margin:0 0 8px}"
	".meta{display:flex;flex-wrap:wrap;gap:4px 24px;color:var(--muted);font-size:.9em;margin:0 0 12px}"
	"nav ol{columns:2;margin:0;padding-left:20px;font-size:.92em}"
	"a{color:var(--accent)}"
	".kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:10px;margin:12px 0}"
	".kpi{background:var(--soft);border-radius:8px;padding:10px 12px}"
	".kpi b{display:block;font-size:1.45em;line-height:1.3}.kpi span{color:var(--muted);font-size:.85em}"
	".kpi span.badge{color:#fff;font-size:.6em;vertical-align:middle}"
	".lead{font-size:1.05em}"
	".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:14px;margin:14px 0}"
	"figure{margin:0;background:var(--soft);border-radius:8px;padding:10px}"
	"figcaption{font-size:.85em;color:var(--muted);margin-bottom:4px}"
	"svg{width:100%;height:auto;display:block}"
	"svg text{font-size:11px;fill:var(--fg);font-family:inherit}"
	".scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}"
	"table{border-collapse:collapse;width:100%;font-size:.88em;margin:6px 0}"
	"th,td{border-bottom:1px solid var(--line);padding:5px 6px;text-align:left;vertical-align:top}"
	"th{background:var(--soft);font-weight:600}td.n,th.n{text-align:right;white-space:nowrap}"
	"article.inc{border:1px solid var(--line);border-left:6px solid var(--muted);border-radius:6px;"
	"padding:12px 14px;margin:14px 0;break-inside:avoid}"
	"article.s4{border-left-color:var(--crit)}article.s3{border-left-color:var(--high)}"
	"article.s2{border-left-color:var(--med)}article.s1,article.s0{border-left-color:var(--low)}"
	"dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0;font-size:.9em}"
	"dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}"
	".range{font-size:1.1em;font-weight:600}"
	".badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:.85em;color:#fff;"
	"background:var(--muted)}.b4{background:var(--crit)}.b3{background:var(--high)}"
	".b2{background:var(--med)}.b1,.b0{background:var(--low)}"
	".note{color:var(--muted);font-size:.88em}"
	".formula{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.85em;overflow-wrap:anywhere}"
	"ol.refs{padding-left:0;list-style:none}ol.refs li{margin:0 0 10px}"
	"ol.refs pre{margin:4px 0 0;padding:6px 8px;background:var(--soft);border-radius:4px;"
	"white-space:pre-wrap;overflow-wrap:anywhere;font-size:.82em}"
	".cov-no{color:var(--crit);font-weight:600}.cov-partial{color:var(--med);font-weight:600}"
	".cov-yes{color:var(--low);font-weight:600}"
	"footer{margin-top:36px;color:var(--muted);font-size:.85em;border-top:1px solid var(--line);"
	"padding-top:8px}"
	"@media (max-width:600px){body{font-size:14px}nav ol{columns:1}h1{font-size:1.4em}"
	"dl.facts{grid-template-columns:1fr}dl.facts dt{margin-top:4px}}"
	"@page{size:A4;margin:14mm 12mm}"
	"@media print{body{font-size:10pt}main{max-width:none;padding:0}nav{display:none}"
	"a{color:inherit;text-decoration:none}h2{break-after:avoid}figure,table,tr,article.inc"
	"{break-inside:avoid}.charts{grid-template-columns:1fr 1fr}"
	".scroll{overflow:visible}}";

static void E(struct mm_buf *b, const char *s)
{
	if (s)
		mm_report_html_escape(b, s, strlen(s));
}

static void P(struct mm_buf *b, const char *s)
{
	mm_buf_puts(b, s);
}

/* A string-table format with one or two %s/%n$s arguments, escaped. */
static void F(struct mm_buf *b, const char *fmt, const char *a1, const char *a2)
{
	char tmp[2048];
	snprintf(tmp, sizeof(tmp), fmt, a1, a2 ? a2 : "");
	E(b, tmp);
}

static void json_list_cb(void *ud, const char *v)
{
	struct mm_buf *b = ud;
	if (b->n && b->p[b->n - 1] != '>')
		P(b, ", ");
	E(b, v);
}

static void list(struct mm_buf *b, const char *arr)
{
	if (!arr || !mm__json_strings(arr, NULL, NULL)) {
		P(b, "—");
		return;
	}
	P(b, "<span>");
	mm__json_strings(arr, json_list_cb, b);
	P(b, "</span>");
}

static void yen(const struct rp *r, struct mm_buf *b, double v)
{
	char t[64];
	mm__fmt_yen(r, t, sizeof(t), v);
	E(b, t);
}

static void range(const struct rp *r, struct mm_buf *b, double lo, double li, double hi)
{
	char a[64], c[64], d[64];
	mm__fmt_yen(r, a, sizeof(a), lo);
	mm__fmt_yen(r, c, sizeof(c), li);
	mm__fmt_yen(r, d, sizeof(d), hi);
	E(b, a);
	P(b, " – ");
	E(b, d);
	P(b, " (");
	E(b, RS(r, RANGE_LIKELY));
	P(b, ": ");
	E(b, c);
	P(b, ")");
}

static void intv(struct mm_buf *b, int64_t v)
{
	char t[32];
	mm__fmt_int(t, sizeof(t), v);
	P(b, t);
}

static void badge(const struct rp *r, struct mm_buf *b, int sev)
{
	mm_buf_printf(b, "<span class=\"badge b%d\">", sev);
	E(b, mm__rs_severity(r, sev));
	P(b, "</span>");
}

static void h2(struct mm_buf *b, const char *id, const char *title)
{
	mm_buf_printf(b, "<section id=\"%s\"><h2>", id);
	E(b, title);
	P(b, "</h2>\n");
}

/* ---- charts -------------------------------------------------------------- */

static void chart_time(const struct rp *r, struct mm_buf *b)
{
	const int W = 600, H = 170, L = 34, B = 26, T = 10;
	int64_t max = 1;
	for (size_t i = 0; i < r->nbuckets; i++)
		max = MM_MAX(max, r->buckets[i]);
	mm_buf_printf(b, "<figure><figcaption>");
	E(b, RS(r, CH_TIME));
	mm_buf_printf(b, "</figcaption><svg class=\"chart\" id=\"chart-time\" viewBox=\"0 0 %d %d\" "
	                 "role=\"img\" aria-label=\"",
	              W, H);
	E(b, RS(r, CH_TIME));
	P(b, "\">");
	mm_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#9aa3b2\"/>", L,
	              H - B, W - 4, H - B);
	mm_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%lld</text>", L - 4, T + 8,
	              (long long)max);
	mm_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>", L - 4, H - B);
	size_t n = r->nbuckets ? r->nbuckets : 1;
	double bw = (double)(W - L - 8) / (double)n;
	for (size_t i = 0; i < r->nbuckets; i++) {
		double h = (double)(H - B - T) * (double)r->buckets[i] / (double)max;
		double x = L + 2 + bw * (double)i;
		if (r->buckets[i])
			mm_buf_printf(b,
			              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			              "fill=\"#1f5fbf\"><title>%lld</title></rect>",
			              x, (double)(H - B) - h, bw > 3 ? bw - 2 : bw, h,
			              (long long)r->buckets[i]);
		size_t step = n > 16 ? (n + 7) / 8 : 1;
		if (i % step == 0) {
			char d[16];
			mm__fmt_date(r, d, sizeof(d), r->bucket0 + (int64_t)i * r->bucket_ns);
			mm_buf_printf(b, "<text x=\"%.1f\" y=\"%d\">%s</text>", x, H - 8, d + 5);
		}
	}
	P(b, "</svg></figure>\n");
}

static void chart_class(const struct rp *r, struct mm_buf *b)
{
	const int W = 500, row = 24, L = 260;
	size_t rows = 0;
	int64_t max = 1;
	for (size_t c = 0; c < MM_IC__COUNT; c++)
		if (r->cls_cur[c]) {
			rows++;
			max = MM_MAX(max, r->cls_cur[c]);
		}
	int H = (int)(rows ? rows : 1) * row + 8;
	P(b, "<figure><figcaption>");
	E(b, RS(r, CH_CLASS));
	mm_buf_printf(b, "</figcaption><svg class=\"chart\" id=\"chart-class\" viewBox=\"0 0 %d %d\" "
	                 "role=\"img\" aria-label=\"",
	              W, H);
	E(b, RS(r, CH_CLASS));
	P(b, "\">");
	if (!rows) {
		mm_buf_printf(b, "<text x=\"8\" y=\"20\">");
		E(b, RS(r, CH_EMPTY));
		P(b, "</text>");
	}
	size_t y = 4;
	for (size_t c = 0; c < MM_IC__COUNT; c++) {
		if (!r->cls_cur[c])
			continue;
		double w = (double)(W - L - 50) * (double)r->cls_cur[c] / (double)max;
		char name[200];
		snprintf(name, sizeof(name), "%s", mm__rs_class(r, (enum mm_incident_class)c));
		/* the bar label is the class's short name: cut at the first '(' / '（' */
		char *cut = strstr(name, " (");
		if (!cut)
			cut = strstr(name, "（");
		if (cut)
			*cut = '\0';
		mm_buf_printf(b, "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\">", L - 6, y + 16);
		E(b, name);
		mm_buf_printf(b, "</text><rect x=\"%d\" y=\"%zu\" width=\"%.1f\" height=\"16\" "
		                 "fill=\"#d0591b\"/><text x=\"%.1f\" y=\"%zu\">%lld</text>",
		              L, y + 4, w < 2 ? 2 : w, L + (w < 2 ? 2 : w) + 4, y + 16,
		              (long long)r->cls_cur[c]);
		y += (size_t)row;
	}
	P(b, "</svg></figure>\n");
}

static void chart_loss(const struct rp *r, struct mm_buf *b)
{
	const int W = 900, row = 22, L = 170;
	size_t idx[10], n = 0;
	/* the ten incidents with the highest "high" figure, in that order */
	bool used[4096] = {false};
	for (; n < 10; n++) {
		size_t best = SIZE_MAX;
		for (size_t i = 0; i < r->ninc && i < MM_ARRAY_LEN(used); i++)
			if (!used[i] && r->inc[i].loss.high > 0 &&
			    (best == SIZE_MAX || r->inc[i].loss.high > r->inc[best].loss.high))
				best = i;
		if (best == SIZE_MAX)
			break;
		used[best] = true;
		idx[n] = best;
	}
	double max = 1;
	for (size_t i = 0; i < n; i++)
		max = MM_MAX(max, r->inc[idx[i]].loss.high);
	int H = (int)(n ? n : 1) * row + 10;
	P(b, "<figure><figcaption>");
	E(b, RS(r, CH_LOSS));
	mm_buf_printf(b, "</figcaption><svg class=\"chart\" id=\"chart-loss\" viewBox=\"0 0 %d %d\" "
	                 "role=\"img\" aria-label=\"",
	              W, H);
	E(b, RS(r, CH_LOSS));
	P(b, "\">");
	if (!n) {
		P(b, "<text x=\"8\" y=\"20\">");
		E(b, RS(r, CH_EMPTY));
		P(b, "</text>");
	}
	for (size_t k = 0; k < n; k++) {
		const struct rp_inc *ri = &r->inc[idx[k]];
		double span = W - L - 110;
		double x0 = L + span * ri->loss.low / max, x1 = L + span * ri->loss.high / max;
		double xl = L + span * ri->loss.likely / max;
		int y = (int)k * row + 6;
		mm_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">#%lld ", L - 6, y + 13,
		              (long long)ri->inc.id);
		char ent[40];
		snprintf(ent, sizeof(ent), "%s", ri->inc.entity ? ri->inc.entity : "");
		E(b, ent);
		mm_buf_printf(b, "</text><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"12\" rx=\"3\" "
		                 "fill=\"#9cb8e6\"/><circle cx=\"%.1f\" cy=\"%d\" r=\"5\" fill=\"#1f5fbf\"/>"
		                 "<text x=\"%.1f\" y=\"%d\">",
		              x0, y + 3, x1 - x0 < 2 ? 2 : x1 - x0, xl, y + 9, x1 + 8, y + 13);
		yen(r, b, ri->loss.high);
		P(b, "</text>");
	}
	P(b, "</svg></figure>\n");
}

/* ---- sections ------------------------------------------------------------ */

static void vuln_table(const struct rp *r, struct mm_buf *b, const struct rp_inc *ri);

/* An incident's references: each alert's, and after a correlation alert the
 * events it counted, in parentheses: "[3] ([4]–[7])". */
static void refs(const struct rp *r, struct mm_buf *b, const struct rp_inc *ri)
{
	for (size_t k = 0; k < ri->nref; k++) {
		size_t n = ri->ref0 + k;
		const struct rp_ref *f = &r->refs[n - 1];
		if (f->parent && (k == 0 || !r->refs[n - 2].parent))
			P(b, " (");
		else if (k)
			P(b, " ");
		mm_buf_printf(b, "<a href=\"#ref-%zu\">[%zu]</a>", n, n);
		if (f->parent && (k + 1 == ri->nref || !r->refs[n].parent))
			P(b, ")");
	}
	if (!ri->nref)
		P(b, "—");
}

static void loss_table(const struct rp *r, struct mm_buf *b, const struct rp_inc *ri)
{
	const struct mm_loss_estimate *e = &ri->loss;
	P(b, "<div class=\"scroll\"><table class=\"loss\"><thead><tr><th>");
	E(b, RS(r, COL_CATEGORY));
	P(b, "</th><th>");
	E(b, RS(r, COL_ITEM));
	P(b, "</th><th>");
	E(b, RS(r, COL_FORMULA));
	P(b, "</th><th class=\"n\">");
	E(b, RS(r, COL_LOW));
	P(b, "</th><th class=\"n\">");
	E(b, RS(r, COL_LIKELY));
	P(b, "</th><th class=\"n\">");
	E(b, RS(r, COL_HIGH));
	P(b, "</th></tr></thead><tbody>");
	for (size_t i = 0; i < e->n; i++) {
		const struct mm_loss_item *it = &e->items[i];
		P(b, "<tr><td>");
		E(b, mm__rs_category(r, it->cat));
		P(b, "</td><td>");
		E(b, mm__rs_item(r, it->key));
		if (!it->in_total && it->cat != MM_LOSS_INTANGIBLE) {
			P(b, " <span class=\"note\">(");
			E(b, RS(r, LOSS_CROSS));
			P(b, ")</span>");
		}
		P(b, "</td><td class=\"formula\">");
		E(b, it->formula);
		if (it->cat == MM_LOSS_INTANGIBLE) {
			P(b, "</td><td class=\"n\">—</td><td class=\"n\">—</td><td class=\"n\">—</td></tr>");
			continue;
		}
		P(b, "</td><td class=\"n\">");
		yen(r, b, it->low);
		P(b, "</td><td class=\"n\">");
		yen(r, b, it->likely);
		P(b, "</td><td class=\"n\">");
		yen(r, b, it->high);
		P(b, "</td></tr>");
	}
	P(b, "<tr><th colspan=\"3\">");
	E(b, RS(r, LOSS_TOTAL));
	P(b, "</th><th class=\"n\">");
	yen(r, b, e->low);
	P(b, "</th><th class=\"n\">");
	yen(r, b, e->likely);
	P(b, "</th><th class=\"n\">");
	yen(r, b, e->high);
	P(b, "</th></tr></tbody></table></div>");
	if (e->records_unknown) {
		P(b, "<p class=\"note\">");
		E(b, RS(r, LOSS_RECORDS_UNKNOWN));
		P(b, "</p>");
	}
	if (e->profit_unknown) {
		P(b, "<p class=\"note\">");
		E(b, RS(r, LOSS_PROFIT_UNKNOWN));
		P(b, "</p>");
	}
}

static void fact(struct mm_buf *b, const char *dt)
{
	P(b, "<dt>");
	E(b, dt);
	P(b, "</dt><dd>");
}

static void incident_card(const struct rp *r, struct mm_buf *b, const struct rp_inc *ri)
{
	const struct mm_incident *in = &ri->inc;
	char t1[40], t2[40];
	mm_buf_printf(b, "<article class=\"inc s%d\" id=\"inc-%lld\"><h3>#%lld ", in->severity,
	              (long long)in->id, (long long)in->id);
	E(b, mm__rs_class(r, in->cls));
	P(b, " — ");
	E(b, in->entity);
	P(b, "</h3><dl class=\"facts\">");
	fact(b, RS(r, L_OUTCOME));
	E(b, mm__rs_inc_outcome(r, in));
	P(b, "</dd>");
	fact(b, RS(r, COL_SEV));
	badge(r, b, in->severity);
	P(b, "</dd>");
	fact(b, RS(r, COL_STATUS));
	E(b, mm__rs_status(r, in->status));
	P(b, "</dd>");
	fact(b, RS(r, L_SEEN));
	mm__fmt_time(r, t1, sizeof(t1), in->first_ts);
	mm__fmt_time(r, t2, sizeof(t2), in->last_ts);
	E(b, t1);
	P(b, " – ");
	E(b, t2);
	P(b, "</dd>");
	fact(b, RS(r, COL_IPA));
	E(b, mm__rs_ipa(r, in->cls));
	P(b, "</dd>");
	fact(b, RS(r, COL_ATTACK));
	list(b, in->techniques);
	P(b, "</dd>");
	fact(b, RS(r, COL_ASSETS));
	list(b, in->assets);
	P(b, "</dd>");
	if (in->cls != MM_IC_VULNERABILITY) {
		char est[1024];
		mm__estimate_accounts(r, ri, est, sizeof(est));
		fact(b, RS(r, L_EST_ACC));
		E(b, est);
		if (mm__json_strings(in->accounts, NULL, NULL)) {
			/* the names on a line of their own: after a sentence with its
			 * basis, "…成功）: root" reads as if root were the basis */
			P(b, "<br>");
			E(b, RS(r, COL_ACCOUNTS));
			P(b, ": ");
			list(b, in->accounts);
		}
		P(b, "</dd>");
		mm__estimate_records(r, ri, est, sizeof(est));
		fact(b, RS(r, L_EST_REC));
		E(b, est);
		P(b, "</dd>");
	}
	fact(b, in->cls == MM_IC_VULNERABILITY ? RS(r, COL_VULNID) : RS(r, COL_RULES));
	list(b, in->rules);
	P(b, "</dd>");
	fact(b, RS(r, COL_ALERTS));
	intv(b, in->alerts);
	P(b, "</dd></dl><h4>");
	E(b, RS(r, L_LOSS));
	P(b, "</h4><p class=\"range\">");
	range(r, b, ri->loss.low, ri->loss.likely, ri->loss.high);
	P(b, "</p>");
	loss_table(r, b, ri);
	P(b, "<h4>");
	E(b, RS(r, L_ACTIONS));
	P(b, "</h4><p>");
	E(b, mm__rs_action(r, in->cls));
	P(b, "</p>");
	if (in->cls == MM_IC_VULNERABILITY)
		vuln_table(r, b, ri);
	P(b, "<h4>");
	E(b, RS(r, L_EVIDENCE));
	P(b, "</h4><p>");
	refs(r, b, ri);
	if ((int64_t)ri->nev < in->alerts) {
		char more[32], id[32];
		mm__fmt_int(more, sizeof(more), in->alerts - (int64_t)ri->nev);
		snprintf(id, sizeof(id), "%lld", (long long)in->id);
		P(b, " <span class=\"note\">");
		F(b, RS(r, EV_MORE), more, id);
		P(b, "</span>");
	}
	P(b, "</p></article>\n");
}

static void summary(const struct rp *r, struct mm_buf *b)
{
	char n[32], s[32];
	h2(b, "summary", RS(r, SEC_SUMMARY));
	P(b, "<p class=\"lead\">");
	if (!r->ninc) {
		E(b, RS(r, SUM_NONE));
	} else {
		int64_t succ = 0;
		for (size_t i = 0; i < r->ninc; i++)
			succ += r->inc[i].inc.outcome != MM_OUTCOME_ATTEMPTED;
		mm__fmt_int(n, sizeof(n), (int64_t)r->ninc);
		mm__fmt_int(s, sizeof(s), succ);
		F(b, RS(r, SUM_COUNT), n, s);
		P(b, " <strong>");
		char lo[64], li[64], hi[64], tmp[512];
		mm__fmt_yen(r, lo, sizeof(lo), r->low);
		mm__fmt_yen(r, li, sizeof(li), r->likely);
		mm__fmt_yen(r, hi, sizeof(hi), r->high);
		/* three arguments: format into tmp by hand */
		snprintf(tmp, sizeof(tmp), RS(r, SUM_LOSS), lo, hi, li);
		E(b, tmp);
		P(b, "</strong> ");
		E(b, RS(r, SUM_LOSS_NOTE));
	}
	P(b, "</p><div class=\"kpis\">");
	int64_t sev[5] = {0};
	for (size_t i = 0; i < r->ninc; i++)
		sev[MM_MAX(0, MM_MIN(4, r->inc[i].inc.severity))]++;
	P(b, "<div class=\"kpi\"><b>");
	intv(b, (int64_t)r->ninc);
	P(b, "</b><span>");
	E(b, RS(r, TR_TOTAL));
	P(b, "</span></div><div class=\"kpi\"><b>");
	intv(b, r->succ_cur);
	P(b, "</b><span>");
	E(b, RS(r, TR_SUCC));
	P(b, "</span></div><div class=\"kpi\"><b>");
	yen(r, b, r->likely);
	P(b, "</b><span>");
	E(b, RS(r, L_LOSS));
	P(b, " (");
	E(b, RS(r, COL_LIKELY));
	P(b, ")</span></div><div class=\"kpi\"><b>");
	for (int k = 4; k >= 1; k--) {
		mm_buf_printf(b, "%s<span class=\"badge b%d\">", k < 4 ? " " : "", k);
		E(b, mm__rs_severity(r, k));
		mm_buf_printf(b, " %lld</span>", (long long)sev[k]);
	}
	P(b, "</b><span>");
	E(b, RS(r, SUM_SEVERITY));
	P(b, "</span></div></div>");
	if (r->ninc) {
		P(b, "<h4>");
		E(b, RS(r, SUM_TOP_RISKS));
		P(b, "</h4><ol>");
		for (size_t i = 0; i < r->ninc && i < 3; i++) {
			const struct rp_inc *ri = &r->inc[i];
			mm_buf_printf(b, "<li><a href=\"#inc-%lld\">#%lld</a> ", (long long)ri->inc.id,
			              (long long)ri->inc.id);
			E(b, mm__rs_class(r, ri->inc.cls));
			P(b, " — ");
			E(b, ri->inc.entity);
			P(b, ": ");
			E(b, mm__rs_inc_outcome(r, &ri->inc));
			P(b, "; ");
			range(r, b, ri->loss.low, ri->loss.likely, ri->loss.high);
			P(b, "</li>");
		}
		P(b, "</ol>");
	}
	char tot[16], bl[16];
	snprintf(tot, sizeof(tot), "%d", (int)MM_IC__COUNT - 1);
	snprintf(bl, sizeof(bl), "%zu", r->blind);
	P(b, "<p>");
	F(b, RS(r, SUM_BLIND), tot, bl);
	P(b, "</p><div class=\"charts\">");
	chart_time(r, b);
	chart_class(r, b);
	P(b, "</div>");
	chart_loss(r, b);
	P(b, "</section>\n");
}

static bool is_access(enum mm_incident_class c)
{
	return c != MM_IC_VULNERABILITY && c != MM_IC_PERSONAL_DATA;
}

static void access_table(const struct rp *r, struct mm_buf *b)
{
	h2(b, "access", RS(r, SEC_ACCESS));
	size_t n = 0;
	for (size_t i = 0; i < r->ninc; i++)
		n += is_access(r->inc[i].inc.cls);
	if (!n) {
		P(b, "<p>");
		E(b, RS(r, ACCESS_NONE));
		P(b, "</p></section>\n");
		return;
	}
	P(b, "<p>");
	E(b, RS(r, ACCESS_INTRO));
	P(b, "</p><div class=\"scroll\"><table><thead><tr>");
	const enum rp_str cols[] = {RS_COL_ID,      RS_COL_CLASS,  RS_COL_ENTITY,
	                            RS_COL_FIRST,   RS_COL_ALERTS, RS_COL_OUTCOME,
	                            RS_COL_SEV,     RS_COL_STATUS, RS_COL_LOSS, RS_COL_REFS};
	for (size_t i = 0; i < MM_ARRAY_LEN(cols); i++) {
		P(b, cols[i] == RS_COL_ALERTS ? "<th class=\"n\">" : "<th>");
		E(b, mm__rs(r->o->lang, cols[i]));
		P(b, "</th>");
	}
	P(b, "</tr></thead><tbody>");
	for (size_t i = 0; i < r->ninc; i++) {
		const struct rp_inc *ri = &r->inc[i];
		if (!is_access(ri->inc.cls))
			continue;
		char t[40];
		mm_buf_printf(b, "<tr><td><a href=\"#inc-%lld\">#%lld</a></td><td>",
		              (long long)ri->inc.id, (long long)ri->inc.id);
		E(b, mm__rs_class(r, ri->inc.cls));
		P(b, "</td><td>");
		E(b, ri->inc.entity);
		P(b, "</td><td>");
		mm__fmt_time(r, t, sizeof(t), ri->inc.first_ts);
		E(b, t);
		P(b, "</td><td class=\"n\">");
		intv(b, ri->inc.alerts);
		P(b, "</td><td>");
		E(b, mm__rs_inc_outcome(r, &ri->inc));
		P(b, "</td><td>");
		badge(r, b, ri->inc.severity);
		P(b, "</td><td>");
		E(b, mm__rs_status(r, ri->inc.status));
		P(b, "</td><td class=\"n\">");
		yen(r, b, ri->loss.low);
		P(b, " – ");
		yen(r, b, ri->loss.high);
		P(b, "</td><td>");
		refs(r, b, ri);
		P(b, "</td></tr>");
	}
	P(b, "</tbody></table></div>");
	/* the remaining incidents in full, after the top ones */
	size_t top = r->o->top ? r->o->top : 5;
	for (size_t i = top; i < r->ninc; i++)
		if (is_access(r->inc[i].inc.cls))
			incident_card(r, b, &r->inc[i]);
	P(b, "</section>\n");
}

/* "patch to X" lines of a vulnerability incident: package, installed
 * version → fixed version, vulnerability, severity, inventory reference. */
static void vuln_table(const struct rp *r, struct mm_buf *b, const struct rp_inc *ri)
{
	P(b, "<div class=\"scroll\"><table><thead><tr>");
	const enum rp_str cols[] = {RS_COL_PACKAGE, RS_COL_VERSION, RS_COL_VULNID, RS_COL_SEV,
	                            RS_COL_ACTION_PATCH, RS_COL_REFS};
	for (size_t i = 0; i < MM_ARRAY_LEN(cols); i++) {
		P(b, "<th>");
		E(b, mm__rs(r->o->lang, cols[i]));
		P(b, "</th>");
	}
	P(b, "</tr></thead><tbody>");
	for (size_t i = 0; i < ri->nfnd; i++) {
		const struct rp_finding *f = &ri->fnd[i];
		P(b, "<tr><td>");
		E(b, f->package);
		P(b, "</td><td>");
		E(b, f->version);
		P(b, "</td><td>");
		E(b, f->vuln_id);
		P(b, "</td><td>");
		E(b, f->severity);
		if (f->score > 0)
			mm_buf_printf(b, " (%.1f)", f->score);
		P(b, "</td><td>");
		if (f->fixed && *f->fixed)
			F(b, RS(r, PATCH_TO), f->fixed, NULL);
		else
			E(b, RS(r, PATCH_NONE));
		P(b, "</td><td>");
		if (f->ref)
			mm_buf_printf(b, "<a href=\"#ref-%zu\">[%zu]</a>", f->ref, f->ref);
		else
			P(b, "—");
		P(b, "</td></tr>");
	}
	P(b, "</tbody></table></div>");
	if ((int64_t)ri->nfnd < ri->inc.alerts) {
		char more[32], id[32];
		mm__fmt_int(more, sizeof(more), ri->inc.alerts - (int64_t)ri->nfnd);
		snprintf(id, sizeof(id), "%lld", (long long)ri->inc.id);
		P(b, "<p class=\"note\">");
		F(b, RS(r, VULN_MORE), more, id);
		P(b, "</p>");
	}
}

static void vulns(const struct rp *r, struct mm_buf *b)
{
	h2(b, "vulnerabilities", RS(r, SEC_VULN));
	P(b, "<p>");
	if (!r->vuln_checked) {
		E(b, RS(r, VULN_MISSING));
		P(b, "</p></section>\n");
		return;
	}
	size_t nv = 0;
	for (size_t i = 0; i < r->ninc; i++)
		nv += r->inc[i].inc.cls == MM_IC_VULNERABILITY;
	if (!nv) {
		E(b, RS(r, VULN_NONE));
		P(b, "</p></section>\n");
		return;
	}
	char a[32], c[32];
	mm__fmt_int(a, sizeof(a), r->nfindings);
	mm__fmt_int(c, sizeof(c), r->nfindings_high);
	F(b, RS(r, VULN_COUNT), a, c);
	P(b, "</p>");
	for (size_t i = 0; i < r->ninc; i++) {
		const struct rp_inc *ri = &r->inc[i];
		if (ri->inc.cls != MM_IC_VULNERABILITY)
			continue;
		mm_buf_printf(b, "<h3><a href=\"#inc-%lld\">#%lld</a> ", (long long)ri->inc.id,
		              (long long)ri->inc.id);
		E(b, ri->inc.entity);
		P(b, " ");
		badge(r, b, ri->inc.severity);
		P(b, "</h3>");
		vuln_table(r, b, ri);
	}
	P(b, "<p>");
	E(b, mm__rs_action(r, MM_IC_VULNERABILITY));
	P(b, "</p></section>\n");
}

static void field_cb(void *ud, const char *v)
{
	(void)ud;
	(void)v;
}

/* `mamori dlp` results: where personal data sits and for how many people */
static void pii_dlp(const struct rp *r, struct mm_buf *b)
{
	P(b, "<p>");
	if (!r->dlp_checked) {
		E(b, RS(r, PII_MISSING));
	} else if (!r->dlp_files) {
		E(b, RS(r, PII_DLP_NONE));
	} else {
		char a[32], c[32];
		mm__fmt_int(a, sizeof(a), r->dlp_files);
		mm__fmt_int(c, sizeof(c), r->dlp_people);
		F(b, RS(r, PII_DLP), a, c);
	}
	P(b, "</p>");
	if (!r->ndlp)
		return;
	static const enum rp_str cols[] = {RS_COL_HOST, RS_COL_FILE, RS_COL_RECORDS_PII,
	                                   RS_COL_RECORDS, RS_COL_PII_TYPES};
	P(b, "<div class=\"scroll\"><table><thead><tr>");
	for (size_t i = 0; i < MM_ARRAY_LEN(cols); i++) {
		P(b, "<th>");
		E(b, mm__rs(r->o->lang, cols[i]));
		P(b, "</th>");
	}
	P(b, "</tr></thead><tbody>");
	for (size_t i = 0; i < r->ndlp; i++) {
		const struct rp_dlp *d = &r->dlp[i];
		char a[32], c[32];
		mm__fmt_int(a, sizeof(a), d->records_pii);
		mm__fmt_int(c, sizeof(c), d->records);
		P(b, "<tr><td>");
		E(b, d->host);
		P(b, "</td><td>");
		E(b, d->path);
		P(b, "</td><td class=\"num\">");
		E(b, a);
		P(b, "</td><td class=\"num\">");
		E(b, c);
		P(b, "</td><td>");
		list(b, d->types);
		P(b, "</td></tr>");
	}
	P(b, "</tbody></table></div>");
}

static void pii(const struct rp *r, struct mm_buf *b)
{
	h2(b, "personal-data", RS(r, SEC_PII));
	pii_dlp(r, b);
	P(b, "<p>");
	if (r->lp.records_held > 0) {
		char n[32], f[512] = "";
		mm__fmt_int(n, sizeof(n), r->lp.records_held);
		for (size_t i = 0; i < r->lp.nfields; i++) {
			size_t l = strlen(f);
			snprintf(f + l, sizeof(f) - l, "%s%s", i ? ", " : "", r->lp.fields[i]);
		}
		F(b, RS(r, PII_HELD), n, f);
	} else {
		E(b, RS(r, PII_HELD_UNKNOWN));
	}
	P(b, "</p></section>\n");
	(void)field_cb;
}

static void trend_row(const struct rp *r, struct mm_buf *b, const char *label, int64_t cur,
                      int64_t prev)
{
	P(b, "<tr><td>");
	E(b, label);
	P(b, "</td><td class=\"n\">");
	intv(b, cur);
	P(b, "</td><td class=\"n\">");
	intv(b, prev);
	P(b, "</td><td class=\"n\">");
	mm_buf_printf(b, "%s", cur > prev ? "+" : "");
	intv(b, cur - prev);
	P(b, "</td></tr>");
	(void)r;
}

static void trends(const struct rp *r, struct mm_buf *b)
{
	h2(b, "trends", RS(r, SEC_TRENDS));
	char a[24], c[24], per[64];
	mm__fmt_date(r, a, sizeof(a), r->prev_from);
	mm__fmt_date(r, c, sizeof(c), r->prev_to - 1);
	snprintf(per, sizeof(per), "%s – %s", a, c);
	P(b, "<p>");
	F(b, RS(r, TR_INTRO), per, NULL);
	P(b, "</p><div class=\"scroll\"><table><thead><tr><th></th><th class=\"n\">");
	E(b, RS(r, COL_THIS));
	P(b, "</th><th class=\"n\">");
	E(b, RS(r, COL_PREV));
	P(b, "</th><th class=\"n\">");
	E(b, RS(r, COL_CHANGE));
	P(b, "</th></tr></thead><tbody>");
	trend_row(r, b, RS(r, TR_TOTAL), (int64_t)r->ninc, r->inc_prev);
	for (size_t k = 0; k < MM_IC__COUNT; k++)
		if (r->cls_cur[k] || r->cls_prev[k]) {
			char l[256];
			snprintf(l, sizeof(l), "  %s", mm__rs_class(r, (enum mm_incident_class)k));
			trend_row(r, b, l, r->cls_cur[k], r->cls_prev[k]);
		}
	trend_row(r, b, RS(r, TR_SUCC), r->succ_cur, r->succ_prev);
	trend_row(r, b, RS(r, TR_ACCOUNTS), r->accounts_cur, r->accounts_prev);
	trend_row(r, b, RS(r, TR_ALERTS), r->alerts_cur, r->alerts_prev);
	P(b, "</tbody></table></div>");
	if (r->ncauses) {
		P(b, "<h4>");
		E(b, RS(r, TR_CAUSES));
		P(b, "</h4><ol>");
		for (size_t i = 0; i < r->ncauses; i++) {
			P(b, "<li>");
			E(b, r->causes[i].name);
			P(b, " (");
			intv(b, r->causes[i].n);
			P(b, ")</li>");
		}
		P(b, "</ol>");
	}
	P(b, "</section>\n");
}

static void blind(const struct rp *r, struct mm_buf *b)
{
	h2(b, "coverage", RS(r, SEC_BLIND));
	struct mm_buf ds;
	mm_buf_init(&ds, 0);
	for (size_t i = 0; i < r->nds; i++) {
		char n[32];
		mm__fmt_int(n, sizeof(n), r->ds[i].n);
		mm_buf_printf(&ds, "%s%s (%s)", i ? ", " : "", r->ds[i].name, n);
	}
	P(b, "<p>");
	F(b, RS(r, BLIND_INTRO), ds.n ? ds.p : RS(r, NONE), NULL);
	mm_buf_free(&ds);
	P(b, "</p><div class=\"scroll\"><table><thead><tr><th>");
	E(b, RS(r, COL_CLASS));
	P(b, "</th><th>");
	E(b, RS(r, COL_STATE));
	P(b, "</th><th>");
	E(b, RS(r, COL_MISSING));
	P(b, "</th><th>");
	E(b, RS(r, COL_ADD));
	P(b, "</th></tr></thead><tbody>");
	static const char *const cls[] = {"cov-no", "cov-partial", "cov-yes"};
	static const enum rp_str word[] = {RS_COV_NO, RS_COV_PARTIAL, RS_COV_YES};
	for (size_t c = 0; c < MM_IC__COUNT; c++) {
		if (c == MM_IC_OTHER)
			continue;
		P(b, "<tr><td>");
		E(b, mm__rs_class(r, (enum mm_incident_class)c));
		mm_buf_printf(b, "</td><td class=\"%s\">", cls[r->cov[c]]);
		E(b, mm__rs(r->o->lang, word[r->cov[c]]));
		P(b, "</td><td>");
		E(b, mm__rs_cov_text(r, (enum mm_incident_class)c));
		P(b, "</td><td>");
		E(b, mm__rs_cov_add(r, (enum mm_incident_class)c));
		P(b, "</td></tr>");
	}
	P(b, "</tbody></table></div></section>\n");
}

static void actions(const struct rp *r, struct mm_buf *b)
{
	h2(b, "actions", RS(r, SEC_ACTIONS));
	P(b, "<p>");
	E(b, RS(r, ACTIONS_INTRO));
	P(b, "</p><dl class=\"facts\">");
	bool any = false;
	for (size_t c = 0; c < MM_IC__COUNT; c++) {
		if (!r->cls_cur[c])
			continue;
		any = true;
		fact(b, mm__rs_class(r, (enum mm_incident_class)c));
		E(b, mm__rs_action(r, (enum mm_incident_class)c));
		P(b, "</dd>");
	}
	if (!any) {
		fact(b, "—");
		E(b, RS(r, TOP_NONE));
		P(b, "</dd>");
	}
	P(b, "</dl></section>\n");
}

static void param_row(struct mm_buf *b, const char *label, const char *value, const char *src)
{
	P(b, "<tr><td>");
	E(b, label);
	P(b, "</td><td>");
	E(b, value);
	P(b, "</td><td>");
	E(b, src);
	P(b, "</td></tr>");
}

static void loss_model(const struct rp *r, struct mm_buf *b)
{
	h2(b, "loss-model", RS(r, SEC_LOSS));
	P(b, "<p>");
	E(b, RS(r, LOSS_INTRO));
	P(b, "</p><h4>");
	E(b, RS(r, LOSS_PARAMS_TITLE));
	P(b, "</h4><div class=\"scroll\"><table><thead><tr><th>");
	E(b, RS(r, COL_PARAM));
	P(b, "</th><th>");
	E(b, RS(r, COL_VALUE));
	P(b, "</th><th>");
	E(b, RS(r, COL_SOURCE));
	P(b, "</th></tr></thead><tbody>");
	char v[512];
	if (r->lp.records_held > 0)
		mm__fmt_int(v, sizeof(v), r->lp.records_held);
	else
		snprintf(v, sizeof(v), "%s", RS(r, NOT_SET));
	param_row(b, RS(r, P_RECORDS), v, RS(r, SRC_CONFIG));
	int x = 1, y = 1;
	for (size_t i = 0; i < r->lp.nfields; i++) {
		int fx, fy;
		if (!mm_loss_field_levels(r->lp.fields[i], &fx, &fy)) {
			x = MM_MAX(x, fx);
			y = MM_MAX(y, fy);
		}
	}
	size_t o = 0;
	v[0] = '\0';
	for (size_t i = 0; i < r->lp.nfields && o < sizeof(v); i++)
		o += (size_t)snprintf(v + o, sizeof(v) - o, "%s%s", i ? ", " : "", r->lp.fields[i]);
	if (o < sizeof(v))
		snprintf(v + o, sizeof(v) - o, " → x=%d, y=%d; %d", x, y,
		         mm_loss_identifiability(r->lp.fields, r->lp.nfields));
	param_row(b, RS(r, P_FIELDS), v, RS(r, SRC_JNSA_MODEL));
	snprintf(v, sizeof(v), "%d", r->lp.social);
	param_row(b, RS(r, P_SOCIAL), v, RS(r, SRC_JNSA_MODEL));
	snprintf(v, sizeof(v), "%d", r->lp.response);
	param_row(b, RS(r, P_RESPONSE), v, RS(r, SRC_JNSA_MODEL));
	if (r->lp.hourly_gross_profit > 0)
		mm__fmt_yen(r, v, sizeof(v), r->lp.hourly_gross_profit);
	else
		snprintf(v, sizeof(v), "%s", RS(r, NOT_SET));
	param_row(b, RS(r, P_PROFIT), v, RS(r, SRC_CONFIG));
	mm__fmt_yen(r, v, sizeof(v), r->lp.staff_hourly);
	param_row(b, RS(r, P_STAFF), v, RS(r, SRC_MAMORI));
	P(b, "</tbody></table></div><p class=\"note\">");
	E(b, RS(r, LOSS_INTANGIBLE));
	P(b, "</p></section>\n");
}

static void evidence(const struct rp *r, struct mm_buf *b)
{
	h2(b, "evidence", RS(r, SEC_EVIDENCE));
	P(b, "<p>");
	E(b, RS(r, EV_INTRO));
	P(b, " ");
	E(b, RS(r, EV_INTRO_CORR));
	P(b, "</p><ol class=\"refs\">");
	for (size_t n = 1; n <= r->nrefs; n++) {
		const struct rp_ref *e = &r->refs[n - 1];
		const struct rp_inc *ri = &r->inc[e->inc];
		char t[40];
		mm__fmt_time(r, t, sizeof(t), e->ts);
		mm_buf_printf(b, "<li id=\"ref-%zu\"><b>[%zu]</b> <code>", n, n);
		E(b, e->file);
		P(b, "</code> ");
		E(b, RS(r, L_LINE));
		mm_buf_printf(b, " %lld, ", (long long)e->line);
		E(b, RS(r, L_OFFSET));
		mm_buf_printf(b, " %lld — ", (long long)e->offset);
		E(b, t);
		P(b, " — ");
		if (e->parent) {
			char part[256], pr[32];
			mm__fmt_ref_part(r, part, sizeof(part), e);
			snprintf(pr, sizeof(pr), "[%zu]", e->parent);
			char *at = strstr(part, pr);
			if (at) { /* the parent's number becomes a link */
				mm_report_html_escape(b, part, (size_t)(at - part));
				mm_buf_printf(b, "<a href=\"#ref-%zu\">%s</a>", e->parent, pr);
				E(b, at + strlen(pr));
			} else {
				E(b, part);
			}
		} else {
			E(b, e->rule);
		}
		mm_buf_printf(b, " (<a href=\"#inc-%lld\">#%lld</a>)<pre>", (long long)ri->inc.id,
		              (long long)ri->inc.id);
		if (e->raw)
			E(b, e->raw);
		else
			E(b, e->parent ? RS(r, EV_RAW_UNREADABLE) : RS(r, EV_RAW_MISSING));
		P(b, "</pre></li>\n");
	}
	P(b, "</ol></section>\n");
}

int mm__report_html(const struct rp *r, struct mm_buf *b)
{
	char gen[40];
	mm__fmt_time(r, gen, sizeof(gen), r->o->generated);
	P(b, "<!DOCTYPE html>\n<html lang=\"");
	E(b, RS(r, LANG));
	P(b, "\"><head><meta charset=\"utf-8\">"
	     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	     "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">"
	     "<meta name=\"referrer\" content=\"no-referrer\"><meta name=\"generator\" "
	     "content=\"mamori\"><title>");
	E(b, RS(r, TITLE));
	P(b, " ");
	E(b, r->o->period_label);
	P(b, "</title><style>");
	P(b, g_css);
	P(b, "</style></head>\n<body><main><header class=\"top\"><h1>");
	E(b, RS(r, TITLE));
	P(b, " ");
	E(b, r->o->period_label);
	P(b, "</h1><p class=\"sub\">");
	E(b, RS(r, SUBTITLE));
	P(b, "</p><div class=\"meta\"><span>");
	E(b, RS(r, PERIOD));
	P(b, ": ");
	E(b, r->o->period_label);
	P(b, "</span><span>");
	E(b, RS(r, GENERATED));
	P(b, ": ");
	E(b, gen);
	P(b, "</span></div></header>\n<nav><h4>");
	E(b, RS(r, TOC));
	P(b, "</h4><ol>");
	static const struct {
		const char *id;
		enum rp_str s;
	} toc[] = {{"summary", RS_SEC_SUMMARY},      {"top", RS_SEC_TOP},
	           {"access", RS_SEC_ACCESS},        {"vulnerabilities", RS_SEC_VULN},
	           {"personal-data", RS_SEC_PII},    {"trends", RS_SEC_TRENDS},
	           {"coverage", RS_SEC_BLIND},       {"actions", RS_SEC_ACTIONS},
	           {"loss-model", RS_SEC_LOSS},      {"evidence", RS_SEC_EVIDENCE}};
	for (size_t i = 0; i < MM_ARRAY_LEN(toc); i++) {
		mm_buf_printf(b, "<li><a href=\"#%s\">", toc[i].id);
		E(b, mm__rs(r->o->lang, toc[i].s));
		P(b, "</a></li>");
	}
	P(b, "</ol></nav>\n");
	summary(r, b);
	h2(b, "top", RS(r, SEC_TOP));
	if (!r->ninc) {
		P(b, "<p>");
		E(b, RS(r, TOP_NONE));
		P(b, "</p>");
	}
	size_t top = r->o->top ? r->o->top : 5;
	for (size_t i = 0; i < r->ninc && i < top; i++)
		incident_card(r, b, &r->inc[i]);
	P(b, "</section>\n");
	access_table(r, b);
	vulns(r, b);
	pii(r, b);
	trends(r, b);
	blind(r, b);
	actions(r, b);
	loss_model(r, b);
	evidence(r, b);
	P(b, "<footer>");
	F(b, RS(r, FOOTER), MM_VERSION, NULL);
	P(b, "</footer></main></body></html>\n");
	return b->cap_hits ? MM_ELIMIT : MM_OK;
}
