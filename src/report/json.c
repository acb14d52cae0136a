/* mamori — the JSON report, for machines: the same model as the HTML and
 * Markdown reports (incidents, loss items with formulas, numbered evidence,
 * coverage, trends), with stable keys and no localised prose except names.
 * Pipeline position: report model (model.c) → JSON. */
#include "report_int.h"

#include "mamori/version.h"

#include <string.h>

static void js(struct mm_buf *b, const char *s)
{
	if (!s) {
		mm_buf_puts(b, "null");
		return;
	}
	mm_buf_putc(b, '"');
	mm_json_escape(b, s, strlen(s));
	mm_buf_putc(b, '"');
}

static void key(struct mm_buf *b, const char *k)
{
	mm_buf_printf(b, "\"%s\":", k);
}

static void ts(const struct rp *r, struct mm_buf *b, int64_t t)
{
	char buf[40];
	(void)r;
	mm_time_format(t, buf, sizeof(buf));
	js(b, buf);
}

static void num(struct mm_buf *b, double v)
{
	mm_buf_printf(b, "%.0f", v);
}

int mm__report_json(const struct rp *r, struct mm_buf *b)
{
	mm_buf_puts(b, "{\"mamori_report\":1,");
	key(b, "version");
	js(b, MM_VERSION);
	mm_buf_puts(b, ",\"lang\":");
	js(b, RS(r, LANG));
	mm_buf_puts(b, ",\"period\":{\"label\":");
	js(b, r->o->period_label);
	mm_buf_puts(b, ",\"from\":");
	ts(r, b, r->o->from);
	mm_buf_puts(b, ",\"to\":");
	ts(r, b, r->o->to);
	mm_buf_puts(b, "},\"generated\":");
	ts(r, b, r->o->generated);
	mm_buf_printf(b, ",\"summary\":{\"incidents\":%zu,\"succeeded_or_possible\":%lld,"
	                 "\"alerts\":%lld,\"loss\":{\"low\":",
	              r->ninc, (long long)r->succ_cur, (long long)r->alerts_cur);
	num(b, r->low);
	mm_buf_puts(b, ",\"likely\":");
	num(b, r->likely);
	mm_buf_puts(b, ",\"high\":");
	num(b, r->high);
	mm_buf_puts(b, ",\"currency\":\"JPY\"},\"undetectable_classes\":[");
	bool first = true;
	for (size_t c = 0; c < MM_IC__COUNT; c++)
		if (c != MM_IC_OTHER && r->cov[c] == RP_COV_NO) {
			if (!first)
				mm_buf_putc(b, ',');
			first = false;
			js(b, mm_incident_class_id((enum mm_incident_class)c));
		}
	mm_buf_puts(b, "]},\"incidents\":[");
	for (size_t i = 0; i < r->ninc; i++) {
		const struct rp_inc *ri = &r->inc[i];
		const struct mm_incident *in = &ri->inc;
		if (i)
			mm_buf_putc(b, ',');
		mm_buf_printf(b, "{\"id\":%lld,\"class\":", (long long)in->id);
		js(b, mm_incident_class_id(in->cls));
		mm_buf_puts(b, ",\"class_name\":");
		js(b, mm__rs_class(r, in->cls));
		mm_buf_printf(b, ",\"ipa_rank\":%d,\"ipa_entry\":", mm_incident_class_ipa_rank(in->cls));
		js(b, mm__rs_ipa(r, in->cls));
		mm_buf_puts(b, ",\"entity\":");
		js(b, in->entity);
		mm_buf_puts(b, ",\"entity_kind\":");
		js(b, in->entity_kind);
		mm_buf_puts(b, ",\"first_seen\":");
		ts(r, b, in->first_ts);
		mm_buf_puts(b, ",\"last_seen\":");
		ts(r, b, in->last_ts);
		mm_buf_printf(b, ",\"severity\":%d,\"outcome\":", in->severity);
		js(b, mm_incident_outcome_name(in->outcome));
		mm_buf_puts(b, ",\"status\":");
		js(b, mm_incident_status_name(in->status));
		mm_buf_printf(b, ",\"alerts\":%lld,\"techniques\":%s,\"assets\":%s,\"accounts\":%s,"
		                 "\"rules\":%s,\"accounts_targeted\":%lld,\"accounts_compromised\":%lld,",
		              (long long)in->alerts, in->techniques ? in->techniques : "[]",
		              in->assets ? in->assets : "[]", in->accounts ? in->accounts : "[]",
		              in->rules ? in->rules : "[]", (long long)in->accounts_targeted,
		              (long long)in->accounts_compromised);
		{
			char est[1024];
			mm_buf_printf(b, "\"estimate\":{\"accounts_basis\":\"%s\",\"accounts\":",
			              !in->accounts_targeted && !ri->acc_alerts ? "unknown"
			              : ri->acc_corr >= ri->acc_alerts && ri->acc_corr > 0
			                  ? "correlation.distinct_count"
			                  : "alerts.user.name");
			mm__estimate_accounts(r, ri, est, sizeof(est));
			js(b, est);
			mm_buf_printf(b, ",\"records_basis\":\"%s\",\"records\":",
			              in->records_estimate >= 0 ? "evidence"
			              : ri->loss.people[2] > 0 ? "loss.records_held"
			                                       : "unknown");
			mm__estimate_records(r, ri, est, sizeof(est));
			js(b, est);
			mm_buf_puts(b, "},");
		}
		mm_buf_puts(b, "\"loss\":{\"low\":");
		num(b, ri->loss.low);
		mm_buf_puts(b, ",\"likely\":");
		num(b, ri->loss.likely);
		mm_buf_puts(b, ",\"high\":");
		num(b, ri->loss.high);
		mm_buf_printf(b, ",\"records_unknown\":%s,\"profit_unknown\":%s,\"items\":[",
		              ri->loss.records_unknown ? "true" : "false",
		              ri->loss.profit_unknown ? "true" : "false");
		for (size_t k = 0; k < ri->loss.n; k++) {
			const struct mm_loss_item *it = &ri->loss.items[k];
			if (k)
				mm_buf_putc(b, ',');
			mm_buf_puts(b, "{\"category\":");
			js(b, mm_loss_category_id(it->cat));
			mm_buf_puts(b, ",\"key\":");
			js(b, it->key);
			mm_buf_puts(b, ",\"label\":");
			js(b, mm__rs_item(r, it->key));
			mm_buf_puts(b, ",\"low\":");
			num(b, it->low);
			mm_buf_puts(b, ",\"likely\":");
			num(b, it->likely);
			mm_buf_puts(b, ",\"high\":");
			num(b, it->high);
			mm_buf_printf(b, ",\"in_total\":%s,\"formula\":", it->in_total ? "true" : "false");
			js(b, it->formula);
			mm_buf_putc(b, '}');
		}
		mm_buf_puts(b, "]},\"action\":");
		js(b, mm__rs_action(r, in->cls));
		if (in->cls == MM_IC_VULNERABILITY) {
			mm_buf_puts(b, ",\"findings\":[");
			for (size_t k = 0; k < ri->nfnd; k++) {
				const struct rp_finding *f = &ri->fnd[k];
				mm_buf_puts(b, k ? ",{\"package\":" : "{\"package\":");
				js(b, f->package);
				mm_buf_puts(b, ",\"version\":");
				js(b, f->version);
				mm_buf_puts(b, ",\"vulnerability\":");
				js(b, f->vuln_id);
				mm_buf_puts(b, ",\"severity\":");
				js(b, f->severity);
				mm_buf_printf(b, ",\"score\":%.1f,\"fixed\":", f->score);
				js(b, f->fixed);
				mm_buf_printf(b, ",\"evidence\":%zu}", f->ref);
			}
			mm_buf_putc(b, ']');
		}
		mm_buf_puts(b, ",\"evidence\":[");
		for (size_t k = 0; k < ri->nref; k++)
			mm_buf_printf(b, "%s%zu", k ? "," : "", ri->ref0 + k);
		mm_buf_puts(b, "]}");
	}
	mm_buf_puts(b, "],\"evidence\":[");
	first = true;
	for (size_t n = 1; n <= r->nrefs; n++) {
		const struct rp_ref *e = &r->refs[n - 1];
		if (!first)
			mm_buf_putc(b, ',');
		first = false;
		mm_buf_printf(b, "{\"ref\":%zu,\"incident\":%lld,\"alert_id\":", n,
		              (long long)r->inc[e->inc].inc.id);
		js(b, e->alert ? e->alert->alert_id : NULL);
		if (e->parent)
			mm_buf_printf(b, ",\"correlation_ref\":%zu,\"event\":%zu,\"events_total\":%zu",
			              e->parent, e->part, e->parts);
		mm_buf_puts(b, ",\"@timestamp\":");
		ts(r, b, e->ts);
		mm_buf_puts(b, ",\"rule\":");
		js(b, e->rule);
		mm_buf_puts(b, ",\"file\":");
		js(b, e->file);
		mm_buf_printf(b, ",\"offset\":%lld,\"line\":%lld,\"raw\":", (long long)e->offset,
		              (long long)e->line);
		js(b, e->raw);
		mm_buf_putc(b, '}');
	}
	mm_buf_puts(b, "],\"coverage\":[");
	static const char *const cov[] = {"no", "partial", "yes"};
	first = true;
	for (size_t c = 0; c < MM_IC__COUNT; c++) {
		if (c == MM_IC_OTHER)
			continue;
		if (!first)
			mm_buf_putc(b, ',');
		first = false;
		mm_buf_puts(b, "{\"class\":");
		js(b, mm_incident_class_id((enum mm_incident_class)c));
		mm_buf_printf(b, ",\"detectable\":\"%s\",\"missing\":", cov[r->cov[c]]);
		js(b, mm__rs_cov_text(r, (enum mm_incident_class)c));
		mm_buf_puts(b, ",\"add\":");
		js(b, mm__rs_cov_add(r, (enum mm_incident_class)c));
		mm_buf_putc(b, '}');
	}
	mm_buf_puts(b, "],\"datasets\":{");
	for (size_t i = 0; i < r->nds; i++) {
		if (i)
			mm_buf_putc(b, ',');
		js(b, r->ds[i].name);
		mm_buf_printf(b, ":%lld", (long long)r->ds[i].n);
	}
	mm_buf_puts(b, "},\"trends\":{\"previous\":{\"from\":");
	ts(r, b, r->prev_from);
	mm_buf_puts(b, ",\"to\":");
	ts(r, b, r->prev_to);
	mm_buf_printf(b, "},\"incidents\":[%zu,%lld],\"succeeded_or_possible\":[%lld,%lld],"
	                 "\"alerts\":[%lld,%lld],\"accounts_targeted\":[%lld,%lld],\"by_class\":{",
	              r->ninc, (long long)r->inc_prev, (long long)r->succ_cur,
	              (long long)r->succ_prev, (long long)r->alerts_cur, (long long)r->alerts_prev,
	              (long long)r->accounts_cur, (long long)r->accounts_prev);
	first = true;
	for (size_t c = 0; c < MM_IC__COUNT; c++) {
		if (!r->cls_cur[c] && !r->cls_prev[c])
			continue;
		if (!first)
			mm_buf_putc(b, ',');
		first = false;
		js(b, mm_incident_class_id((enum mm_incident_class)c));
		mm_buf_printf(b, ":[%lld,%lld]", (long long)r->cls_cur[c], (long long)r->cls_prev[c]);
	}
	mm_buf_puts(b, "}},\"vulnerabilities\":");
	if (!r->vuln_checked) {
		mm_buf_puts(b, "{\"available\":false,\"note\":");
		js(b, RS(r, VULN_MISSING));
		mm_buf_putc(b, '}');
	} else {
		mm_buf_printf(b, "{\"available\":true,\"findings\":%lld,\"critical_or_high\":%lld}",
		              (long long)r->nfindings, (long long)r->nfindings_high);
	}
	mm_buf_printf(b, ",\"personal_data\":{\"available\":%s", r->dlp_checked ? "true" : "false");
	if (!r->dlp_checked) {
		mm_buf_puts(b, ",\"note\":");
		js(b, RS(r, PII_MISSING));
	} else {
		mm_buf_printf(b, ",\"files\":%lld,\"records_pii\":%lld,\"top_files\":[",
		              (long long)r->dlp_files, (long long)r->dlp_people);
		for (size_t i = 0; i < r->ndlp; i++) {
			const struct rp_dlp *d = &r->dlp[i];
			mm_buf_puts(b, i ? ",{\"host\":" : "{\"host\":");
			js(b, d->host);
			mm_buf_puts(b, ",\"path\":");
			js(b, d->path);
			mm_buf_printf(b, ",\"records\":%lld,\"records_pii\":%lld,\"types\":%s}",
			              (long long)d->records, (long long)d->records_pii,
			              d->types && d->types[0] == '[' ? d->types : "[]");
		}
		mm_buf_putc(b, ']');
	}
	mm_buf_printf(b, ",\"records_held\":%lld}}\n", (long long)r->lp.records_held);
	return b->cap_hits ? MM_ELIMIT : MM_OK;
}
