/* mamori — the Markdown report, for tickets and wikis (CommonMark + GFM
 * tables). Our own strings are written as they are; everything that came from
 * a log goes through mm_report_md_escape (table cells, lists) or, for raw
 * evidence lines, a fenced code block, so no log text becomes a link, an
 * image, HTML or a broken table.
 * Pipeline position: report model (model.c) → Markdown. */
#include "report_int.h"

#include "mamori/version.h"

#include <string.h>

static void P(struct mm_buf *b, const char *s)
{
	mm_buf_puts(b, s);
}

static void M(struct mm_buf *b, const char *s)
{
	if (s)
		mm_report_md_escape(b, s, strlen(s));
}

/* "a, b, c" from a JSON array of strings */
static void join_cb(void *ud, const char *v)
{
	struct mm_buf *t = ud;
	if (t->n)
		mm_buf_puts(t, ", ");
	mm_buf_puts(t, v);
}

static void yen(const struct rp *r, struct mm_buf *b, double v)
{
	char t[64];
	mm__fmt_yen(r, t, sizeof(t), v);
	P(b, t);
}

static void range(const struct rp *r, struct mm_buf *b, double lo, double li, double hi)
{
	yen(r, b, lo);
	P(b, " – ");
	yen(r, b, hi);
	P(b, " (");
	P(b, RS(r, RANGE_LIKELY));
	P(b, ": ");
	yen(r, b, li);
	P(b, ")");
}

static void list_cb(void *ud, const char *v)
{
	struct mm_buf *b = ud;
	if (b->n && b->p[b->n - 1] != ' ')
		P(b, ", ");
	M(b, v);
}

static void list(struct mm_buf *b, const char *arr)
{
	if (!mm__json_strings(arr, NULL, NULL)) {
		P(b, "—");
		return;
	}
	mm__json_strings(arr, list_cb, b);
}

static void refs(const struct rp *r, struct mm_buf *b, const struct rp_inc *ri)
{
	for (size_t k = 0; k < ri->nref; k++) {
		size_t n = ri->ref0 + k;
		const struct rp_ref *f = &r->refs[n - 1];
		if (f->parent && (k == 0 || !r->refs[n - 2].parent))
			P(b, " (");
		else if (k)
			P(b, " ");
		mm_buf_printf(b, "\\[%zu\\]", n);
		if (f->parent && (k + 1 == ri->nref || !r->refs[n].parent))
			P(b, ")");
	}
	if (!ri->nref)
		P(b, "—");
}

static void card(const struct rp *r, struct mm_buf *b, const struct rp_inc *ri)
{
	const struct mm_incident *in = &ri->inc;
	char t1[40], t2[40];
	mm_buf_printf(b, "### #%lld %s — ", (long long)in->id, mm__rs_class(r, in->cls));
	M(b, in->entity);
	P(b, "\n\n");
	mm_buf_printf(b, "- %s: %s\n", RS(r, L_OUTCOME), mm__rs_inc_outcome(r, in));
	mm_buf_printf(b, "- %s: %s\n", RS(r, COL_SEV), mm__rs_severity(r, in->severity));
	mm_buf_printf(b, "- %s: %s\n", RS(r, COL_STATUS), mm__rs_status(r, in->status));
	mm__fmt_time(r, t1, sizeof(t1), in->first_ts);
	mm__fmt_time(r, t2, sizeof(t2), in->last_ts);
	mm_buf_printf(b, "- %s: %s – %s\n", RS(r, L_SEEN), t1, t2);
	mm_buf_printf(b, "- %s: %s\n", RS(r, COL_IPA), mm__rs_ipa(r, in->cls));
	mm_buf_printf(b, "- %s: ", RS(r, COL_ATTACK));
	list(b, in->techniques);
	mm_buf_printf(b, "\n- %s: ", RS(r, COL_ASSETS));
	list(b, in->assets);
	P(b, "\n");
	if (in->cls != MM_IC_VULNERABILITY) {
		char est[1024];
		mm__estimate_accounts(r, ri, est, sizeof(est));
		mm_buf_printf(b, "- %s: %s", RS(r, L_EST_ACC), est);
		if (mm__json_strings(in->accounts, NULL, NULL)) {
			mm_buf_printf(b, "\n- %s: ", RS(r, COL_ACCOUNTS));
			list(b, in->accounts);
		}
		mm__estimate_records(r, ri, est, sizeof(est));
		mm_buf_printf(b, "\n- %s: %s\n", RS(r, L_EST_REC), est);
	}
	mm_buf_printf(b, "- %s: ", RS(r, COL_RULES));
	list(b, in->rules);
	mm_buf_printf(b, "\n- %s: %lld\n- %s: ", RS(r, COL_ALERTS), (long long)in->alerts,
	              RS(r, L_LOSS));
	range(r, b, ri->loss.low, ri->loss.likely, ri->loss.high);
	mm_buf_printf(b, "\n- %s: ", RS(r, L_EVIDENCE));
	refs(r, b, ri);
	P(b, "\n\n");
	mm_buf_printf(b, "| %s | %s | %s | %s | %s | %s |\n|---|---|---|--:|--:|--:|\n",
	              RS(r, COL_CATEGORY), RS(r, COL_ITEM), RS(r, COL_FORMULA), RS(r, COL_LOW),
	              RS(r, COL_LIKELY), RS(r, COL_HIGH));
	for (size_t i = 0; i < ri->loss.n; i++) {
		const struct mm_loss_item *it = &ri->loss.items[i];
		mm_buf_printf(b, "| %s | %s%s%s%s | `%s` | ", mm__rs_category(r, it->cat),
		              mm__rs_item(r, it->key),
		              !it->in_total && it->cat != MM_LOSS_INTANGIBLE ? " (" : "",
		              !it->in_total && it->cat != MM_LOSS_INTANGIBLE ? RS(r, LOSS_CROSS) : "",
		              !it->in_total && it->cat != MM_LOSS_INTANGIBLE ? ")" : "", it->formula);
		if (it->cat == MM_LOSS_INTANGIBLE) {
			P(b, "— | — | — |\n");
			continue;
		}
		yen(r, b, it->low);
		P(b, " | ");
		yen(r, b, it->likely);
		P(b, " | ");
		yen(r, b, it->high);
		P(b, " |\n");
	}
	mm_buf_printf(b, "| **%s** | | | ", RS(r, LOSS_TOTAL));
	yen(r, b, ri->loss.low);
	P(b, " | ");
	yen(r, b, ri->loss.likely);
	P(b, " | ");
	yen(r, b, ri->loss.high);
	P(b, " |\n\n");
	if (ri->loss.records_unknown)
		mm_buf_printf(b, "%s\n\n", RS(r, LOSS_RECORDS_UNKNOWN));
	if (ri->loss.profit_unknown)
		mm_buf_printf(b, "%s\n\n", RS(r, LOSS_PROFIT_UNKNOWN));
	mm_buf_printf(b, "**%s**: %s\n\n", RS(r, L_ACTIONS), mm__rs_action(r, in->cls));
}

/* The vulnerability section, as the HTML report's: per vulnerability
 * incident, its findings with the version to patch to (the global list is
 * `mamori vuln`'s output and the incident's own command). */
static void vulns(const struct rp *r, struct mm_buf *b)
{
	char tmp[1024];
	mm_buf_printf(b, "## %s\n\n", RS(r, SEC_VULN));
	size_t nv = 0;
	for (size_t i = 0; i < r->ninc; i++)
		nv += r->inc[i].inc.cls == MM_IC_VULNERABILITY;
	if (!r->vuln_checked || !nv) {
		mm_buf_printf(b, "%s\n\n", r->vuln_checked ? RS(r, VULN_NONE) : RS(r, VULN_MISSING));
		return;
	}
	char a[32], c[32];
	mm__fmt_int(a, sizeof(a), r->nfindings);
	mm__fmt_int(c, sizeof(c), r->nfindings_high);
	snprintf(tmp, sizeof(tmp), RS(r, VULN_COUNT), a, c);
	mm_buf_printf(b, "%s\n\n", tmp);
	for (size_t i = 0; i < r->ninc; i++) {
		const struct rp_inc *ri = &r->inc[i];
		if (ri->inc.cls != MM_IC_VULNERABILITY)
			continue;
		mm_buf_printf(b, "### #%lld ", (long long)ri->inc.id);
		M(b, ri->inc.entity);
		mm_buf_printf(b, " (%s)\n\n| %s | %s | %s | %s | %s | %s |\n|---|---|---|---|---|---|\n",
		              mm__rs_severity(r, ri->inc.severity), RS(r, COL_PACKAGE),
		              RS(r, COL_VERSION), RS(r, COL_VULNID), RS(r, COL_SEV),
		              RS(r, COL_ACTION_PATCH), RS(r, COL_REFS));
		for (size_t k = 0; k < ri->nfnd; k++) {
			const struct rp_finding *f = &ri->fnd[k];
			const char *v[] = {f->package, f->version, f->vuln_id, f->severity};
			for (size_t j = 0; j < MM_ARRAY_LEN(v); j++) {
				P(b, "| ");
				M(b, v[j]);
				if (j == 3 && f->score > 0)
					mm_buf_printf(b, " (%.1f)", f->score);
				P(b, " ");
			}
			P(b, "| ");
			if (f->fixed && *f->fixed) {
				/* the version comes from an advisory: escaped, then put in */
				struct mm_buf e;
				mm_buf_init(&e, 512);
				mm_report_md_escape(&e, f->fixed, strlen(f->fixed));
				snprintf(tmp, sizeof(tmp), RS(r, PATCH_TO), e.p ? e.p : "");
				mm_buf_free(&e);
				P(b, tmp);
			} else {
				P(b, RS(r, PATCH_NONE));
			}
			if (f->ref)
				mm_buf_printf(b, " | [%zu] |\n", f->ref);
			else
				P(b, " | — |\n");
		}
		P(b, "\n");
		if ((int64_t)ri->nfnd < ri->inc.alerts) {
			char more[32], id[32];
			mm__fmt_int(more, sizeof(more), ri->inc.alerts - (int64_t)ri->nfnd);
			snprintf(id, sizeof(id), "%lld", (long long)ri->inc.id);
			snprintf(tmp, sizeof(tmp), RS(r, VULN_MORE), more, id);
			mm_buf_printf(b, "%s\n\n", tmp);
		}
	}
	mm_buf_printf(b, "%s\n\n", mm__rs_action(r, MM_IC_VULNERABILITY));
}

int mm__report_md(const struct rp *r, struct mm_buf *b)
{
	char gen[40], tmp[2048];
	mm__fmt_time(r, gen, sizeof(gen), r->o->generated);
	mm_buf_printf(b, "# %s ", RS(r, TITLE));
	M(b, r->o->period_label);
	mm_buf_printf(b, "\n\n%s\n\n- %s: ", RS(r, SUBTITLE), RS(r, PERIOD));
	M(b, r->o->period_label);
	mm_buf_printf(b, "\n- %s: %s\n\n", RS(r, GENERATED), gen);

	mm_buf_printf(b, "## %s\n\n", RS(r, SEC_SUMMARY));
	if (!r->ninc) {
		mm_buf_printf(b, "%s\n\n", RS(r, SUM_NONE));
	} else {
		char n[32], s[32], lo[64], li[64], hi[64];
		mm__fmt_int(n, sizeof(n), (int64_t)r->ninc);
		mm__fmt_int(s, sizeof(s), r->succ_cur);
		snprintf(tmp, sizeof(tmp), RS(r, SUM_COUNT), n, s);
		mm_buf_printf(b, "%s ", tmp);
		mm__fmt_yen(r, lo, sizeof(lo), r->low);
		mm__fmt_yen(r, li, sizeof(li), r->likely);
		mm__fmt_yen(r, hi, sizeof(hi), r->high);
		snprintf(tmp, sizeof(tmp), RS(r, SUM_LOSS), lo, hi, li);
		mm_buf_printf(b, "**%s** %s\n\n", tmp, RS(r, SUM_LOSS_NOTE));
		mm_buf_printf(b, "%s:\n\n", RS(r, SUM_TOP_RISKS));
		for (size_t i = 0; i < r->ninc && i < 3; i++) {
			const struct rp_inc *ri = &r->inc[i];
			mm_buf_printf(b, "%zu. #%lld %s — ", i + 1, (long long)ri->inc.id,
			              mm__rs_class(r, ri->inc.cls));
			M(b, ri->inc.entity);
			mm_buf_printf(b, ": %s; ", mm__rs_inc_outcome(r, &ri->inc));
			range(r, b, ri->loss.low, ri->loss.likely, ri->loss.high);
			P(b, "\n");
		}
		P(b, "\n");
	}
	char tot[16], bl[16];
	snprintf(tot, sizeof(tot), "%d", (int)MM_IC__COUNT - 1);
	snprintf(bl, sizeof(bl), "%zu", r->blind);
	snprintf(tmp, sizeof(tmp), RS(r, SUM_BLIND), tot, bl);
	mm_buf_printf(b, "%s\n\n", tmp);

	mm_buf_printf(b, "## %s\n\n", RS(r, SEC_TOP));
	if (!r->ninc)
		mm_buf_printf(b, "%s\n\n", RS(r, TOP_NONE));
	size_t top = r->o->top ? r->o->top : 5;
	for (size_t i = 0; i < r->ninc && i < top; i++)
		card(r, b, &r->inc[i]);

	mm_buf_printf(b, "## %s\n\n", RS(r, SEC_ACCESS));
	if (!r->ninc) {
		mm_buf_printf(b, "%s\n\n", RS(r, ACCESS_NONE));
	} else {
		mm_buf_printf(b, "%s\n\n| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n"
		                 "|---|---|---|---|--:|---|---|--:|---|\n",
		              RS(r, ACCESS_INTRO), RS(r, COL_ID), RS(r, COL_CLASS), RS(r, COL_ENTITY),
		              RS(r, COL_FIRST), RS(r, COL_ALERTS), RS(r, COL_OUTCOME), RS(r, COL_SEV),
		              RS(r, COL_LOSS), RS(r, COL_REFS));
		for (size_t i = 0; i < r->ninc; i++) {
			const struct rp_inc *ri = &r->inc[i];
			char t[40];
			mm__fmt_time(r, t, sizeof(t), ri->inc.first_ts);
			mm_buf_printf(b, "| #%lld | %s | ", (long long)ri->inc.id,
			              mm__rs_class(r, ri->inc.cls));
			M(b, ri->inc.entity);
			mm_buf_printf(b, " | %s | %lld | %s | %s | ", t, (long long)ri->inc.alerts,
			              mm__rs_inc_outcome(r, &ri->inc),
			              mm__rs_severity(r, ri->inc.severity));
			yen(r, b, ri->loss.low);
			P(b, " – ");
			yen(r, b, ri->loss.high);
			P(b, " | ");
			refs(r, b, ri);
			P(b, " |\n");
		}
		P(b, "\n");
		for (size_t i = top; i < r->ninc; i++)
			card(r, b, &r->inc[i]);
	}

	vulns(r, b);

	mm_buf_printf(b, "## %s\n\n", RS(r, SEC_PII));
	if (!r->dlp_checked) {
		mm_buf_printf(b, "%s\n\n", RS(r, PII_MISSING));
	} else if (!r->dlp_files) {
		mm_buf_printf(b, "%s\n\n", RS(r, PII_DLP_NONE));
	} else {
		char a[32], c[32];
		mm__fmt_int(a, sizeof(a), r->dlp_files);
		mm__fmt_int(c, sizeof(c), r->dlp_people);
		snprintf(tmp, sizeof(tmp), RS(r, PII_DLP), a, c);
		M(b, tmp);
		mm_buf_printf(b, "\n\n| %s | %s | %s | %s | %s |\n|---|---|--:|--:|---|\n",
		              RS(r, COL_HOST), RS(r, COL_FILE), RS(r, COL_RECORDS_PII),
		              RS(r, COL_RECORDS), RS(r, COL_PII_TYPES));
		for (size_t i = 0; i < r->ndlp; i++) {
			const struct rp_dlp *d = &r->dlp[i];
			mm__fmt_int(a, sizeof(a), d->records_pii);
			mm__fmt_int(c, sizeof(c), d->records);
			P(b, "| ");
			M(b, d->host);
			P(b, " | ");
			M(b, d->path);
			mm_buf_printf(b, " | %s | %s | ", a, c);
			struct mm_buf t;
			mm_buf_init(&t, 4096);
			mm__json_strings(d->types, join_cb, &t);
			M(b, t.p ? t.p : "");
			mm_buf_free(&t);
			P(b, " |\n");
		}
		P(b, "\n");
	}
	if (r->lp.records_held > 0) {
		char n[32], f[512] = "";
		mm__fmt_int(n, sizeof(n), r->lp.records_held);
		for (size_t i = 0; i < r->lp.nfields; i++) {
			size_t l = strlen(f);
			snprintf(f + l, sizeof(f) - l, "%s%s", i ? ", " : "", r->lp.fields[i]);
		}
		snprintf(tmp, sizeof(tmp), RS(r, PII_HELD), n, f);
		M(b, tmp);
		P(b, "\n\n");
	} else {
		mm_buf_printf(b, "%s\n\n", RS(r, PII_HELD_UNKNOWN));
	}

	char a[24], c[24], per[64];
	mm__fmt_date(r, a, sizeof(a), r->prev_from);
	mm__fmt_date(r, c, sizeof(c), r->prev_to - 1);
	snprintf(per, sizeof(per), "%s – %s", a, c);
	snprintf(tmp, sizeof(tmp), RS(r, TR_INTRO), per);
	mm_buf_printf(b, "## %s\n\n%s\n\n| | %s | %s | %s |\n|---|--:|--:|--:|\n", RS(r, SEC_TRENDS),
	              tmp, RS(r, COL_THIS), RS(r, COL_PREV), RS(r, COL_CHANGE));
	mm_buf_printf(b, "| %s | %zu | %lld | %+lld |\n", RS(r, TR_TOTAL), r->ninc,
	              (long long)r->inc_prev, (long long)((int64_t)r->ninc - r->inc_prev));
	for (size_t k = 0; k < MM_IC__COUNT; k++)
		if (r->cls_cur[k] || r->cls_prev[k])
			mm_buf_printf(b, "| %s | %lld | %lld | %+lld |\n",
			              mm__rs_class(r, (enum mm_incident_class)k), (long long)r->cls_cur[k],
			              (long long)r->cls_prev[k],
			              (long long)(r->cls_cur[k] - r->cls_prev[k]));
	mm_buf_printf(b, "| %s | %lld | %lld | %+lld |\n", RS(r, TR_SUCC), (long long)r->succ_cur,
	              (long long)r->succ_prev, (long long)(r->succ_cur - r->succ_prev));
	mm_buf_printf(b, "| %s | %lld | %lld | %+lld |\n", RS(r, TR_ACCOUNTS),
	              (long long)r->accounts_cur, (long long)r->accounts_prev,
	              (long long)(r->accounts_cur - r->accounts_prev));
	mm_buf_printf(b, "| %s | %lld | %lld | %+lld |\n\n", RS(r, TR_ALERTS),
	              (long long)r->alerts_cur, (long long)r->alerts_prev,
	              (long long)(r->alerts_cur - r->alerts_prev));
	if (r->ncauses) {
		mm_buf_printf(b, "%s:\n\n", RS(r, TR_CAUSES));
		for (size_t i = 0; i < r->ncauses; i++) {
			mm_buf_printf(b, "%zu. ", i + 1);
			M(b, r->causes[i].name);
			mm_buf_printf(b, " (%lld)\n", (long long)r->causes[i].n);
		}
		P(b, "\n");
	}

	struct mm_buf ds;
	mm_buf_init(&ds, 0);
	for (size_t i = 0; i < r->nds; i++)
		mm_buf_printf(&ds, "%s%s (%lld)", i ? ", " : "", r->ds[i].name, (long long)r->ds[i].n);
	snprintf(tmp, sizeof(tmp), RS(r, BLIND_INTRO), ds.n ? ds.p : RS(r, NONE));
	mm_buf_free(&ds);
	mm_buf_printf(b, "## %s\n\n", RS(r, SEC_BLIND));
	M(b, tmp);
	mm_buf_printf(b, "\n\n| %s | %s | %s | %s |\n|---|---|---|---|\n", RS(r, COL_CLASS),
	              RS(r, COL_STATE), RS(r, COL_MISSING), RS(r, COL_ADD));
	static const enum rp_str word[] = {RS_COV_NO, RS_COV_PARTIAL, RS_COV_YES};
	for (size_t k = 0; k < MM_IC__COUNT; k++) {
		if (k == MM_IC_OTHER)
			continue;
		mm_buf_printf(b, "| %s | %s | %s | %s |\n", mm__rs_class(r, (enum mm_incident_class)k),
		              mm__rs(r->o->lang, word[r->cov[k]]),
		              mm__rs_cov_text(r, (enum mm_incident_class)k),
		              mm__rs_cov_add(r, (enum mm_incident_class)k));
	}
	P(b, "\n");

	mm_buf_printf(b, "## %s\n\n%s\n\n", RS(r, SEC_ACTIONS), RS(r, ACTIONS_INTRO));
	for (size_t k = 0; k < MM_IC__COUNT; k++)
		if (r->cls_cur[k])
			mm_buf_printf(b, "- **%s**: %s\n", mm__rs_class(r, (enum mm_incident_class)k),
			              mm__rs_action(r, (enum mm_incident_class)k));
	P(b, "\n");

	mm_buf_printf(b, "## %s\n\n%s\n\n%s\n\n", RS(r, SEC_LOSS), RS(r, LOSS_INTRO),
	              RS(r, LOSS_INTANGIBLE));

	mm_buf_printf(b, "## %s\n\n%s %s\n\n", RS(r, SEC_EVIDENCE), RS(r, EV_INTRO),
	              RS(r, EV_INTRO_CORR));
	for (size_t n = 1; n <= r->nrefs; n++) {
		const struct rp_ref *e = &r->refs[n - 1];
		const struct rp_inc *ri = &r->inc[e->inc];
		char t[40];
		mm__fmt_time(r, t, sizeof(t), e->ts);
		mm_buf_printf(b, "\\[%zu\\] ", n);
		M(b, e->file);
		mm_buf_printf(b, ", %s %lld, %s %lld — %s — ", RS(r, L_LINE), (long long)e->line,
		              RS(r, L_OFFSET), (long long)e->offset, t);
		if (e->parent) {
			char part[256];
			mm__fmt_ref_part(r, part, sizeof(part), e);
			M(b, part);
		} else {
			M(b, e->rule);
		}
		mm_buf_printf(b, " (#%lld)\n\n", (long long)ri->inc.id);
		if (e->raw)
			mm_report_md_code_block(b, e->raw, strlen(e->raw));
		else
			mm_buf_printf(b, "%s\n",
			              e->parent ? RS(r, EV_RAW_UNREADABLE) : RS(r, EV_RAW_MISSING));
		P(b, "\n");
	}
	snprintf(tmp, sizeof(tmp), RS(r, FOOTER), MM_VERSION);
	mm_buf_printf(b, "---\n\n%s\n", tmp);
	return b->cap_hits ? MM_ELIMIT : MM_OK;
}
