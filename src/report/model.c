/* mamori — the report model: everything the writers print, read once from
 * the store — incidents of the period with their loss estimates and numbered
 * evidence, the previous period for trends, the data sources seen (runs'
 * per-dataset event counts), vulnerability findings when that table exists,
 * and which incident classes the collected logs can detect at all.
 * Pipeline position: store → model → html/md/json writers. */
#include "report_int.h"

#include "mamori/dlp.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(sqlite3 *db, struct mm_store *s, struct mm_error *err, const char *what)
{
	return mm_error_set(err, MM_EDB, mm_store_path(s), 0, 0, "%s: %s", what,
	                    sqlite3_errmsg(db));
}

static char *dup_col(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	return mm_strdup(t ? t : "");
}

size_t mm__json_strings(const char *arr, void (*fn)(void *, const char *), void *ud)
{
	size_t count = 0;
	if (!arr)
		return 0;
	for (const char *p = arr; *p; p++) {
		if (*p != '"')
			continue;
		struct mm_buf b;
		mm_buf_init(&b, 0);
		const char *e = p + 1;
		while (*e && *e != '"') {
			if (*e == '\\' && e[1]) {
				e++;
				/* \uXXXX (control characters) stay visible as written */
				char c = *e == 'n' ? '\n' : *e == 't' ? '\t' : *e == 'r' ? '\r' : *e;
				if (*e == 'u')
					mm_buf_puts(&b, "\\u");
				else
					mm_buf_putc(&b, c);
			} else {
				mm_buf_putc(&b, *e);
			}
			e++;
		}
		count++;
		if (fn)
			fn(ud, b.p ? b.p : "");
		mm_buf_free(&b);
		if (!*e)
			break;
		p = e;
	}
	return count;
}

void mm__fmt_int(char *buf, size_t n, int64_t v)
{
	char tmp[32];
	snprintf(tmp, sizeof(tmp), "%lld", (long long)(v < 0 ? -v : v));
	size_t len = strlen(tmp), o = 0;
	if (v < 0 && o + 1 < n)
		buf[o++] = '-';
	for (size_t i = 0; i < len && o + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
}

void mm__fmt_yen(const struct rp *r, char *buf, size_t n, double v)
{
	char num[48];
	if (r->o->lang == MM_LANG_JA && v >= 10000) {
		/* Japanese managers read money in 万 (10^4) and 億 (10^8) */
		int64_t man = (int64_t)(v / 10000 + 0.5);
		if (man >= 10000) {
			int64_t oku = man / 10000, rest = man % 10000;
			char a[32], b2[32];
			mm__fmt_int(a, sizeof(a), oku);
			mm__fmt_int(b2, sizeof(b2), rest);
			if (rest)
				snprintf(buf, n, "%s億%s万円", a, b2);
			else
				snprintf(buf, n, "%s億円", a);
			return;
		}
		mm__fmt_int(num, sizeof(num), man);
		snprintf(buf, n, "%s万円", num);
		return;
	}
	mm__fmt_int(num, sizeof(num), (int64_t)(v + 0.5));
	snprintf(buf, n, RS(r, YEN_FMT), num);
}

static void civil(const struct rp *r, int64_t ts, int *y, int *mo, int *d, int *h, int *mi)
{
	int s;
	long ns;
	int off = 0;
	if (r->o->tz) {
		mm_time_to_civil(ts, y, mo, d, h, mi, &s, &ns);
		off = mm_tz_offset(r->o->tz, *y, *mo, *d, *h, *mi, s);
	}
	mm_time_to_civil(ts + (int64_t)off * MM_NS_PER_SEC, y, mo, d, h, mi, &s, &ns);
}

void mm__fmt_time(const struct rp *r, char *buf, size_t n, int64_t ts)
{
	int y, mo, d, h, mi;
	civil(r, ts, &y, &mo, &d, &h, &mi);
	snprintf(buf, n, "%04d-%02d-%02d %02d:%02d", y, mo, d, h, mi);
}

void mm__fmt_date(const struct rp *r, char *buf, size_t n, int64_t ts)
{
	int y, mo, d, h, mi;
	civil(r, ts, &y, &mo, &d, &h, &mi);
	snprintf(buf, n, "%04d-%02d-%02d", y, mo, d);
}

void mm__estimate_accounts(const struct rp *r, const struct rp_inc *ri, char *buf, size_t n)
{
	const struct mm_incident *in = &ri->inc;
	char a[32], c[32];
	if (!in->accounts_targeted && !ri->acc_alerts) {
		snprintf(buf, n, "%s", RS(r, EST_ACC_UNKNOWN));
		return;
	}
	int64_t t = in->accounts_targeted ? in->accounts_targeted : ri->acc_alerts;
	mm__fmt_int(a, sizeof(a), t);
	mm__fmt_int(c, sizeof(c), in->accounts_compromised);
	size_t o = (size_t)snprintf(buf, n, RS(r, EST_ACC), a,
	                            ri->acc_corr >= ri->acc_alerts && ri->acc_corr > 0
	                                ? RS(r, BASIS_CORR)
	                                : RS(r, BASIS_ALERTS));
	if (o < n)
		snprintf(buf + o, n - o, in->accounts_compromised ? RS(r, EST_COMP) : RS(r, EST_COMP_NONE),
		         c);
}

void mm__estimate_records(const struct rp *r, const struct rp_inc *ri, char *buf, size_t n)
{
	char a[32];
	if (ri->inc.records_estimate >= 0) {
		mm__fmt_int(a, sizeof(a), ri->inc.records_estimate);
		snprintf(buf, n, RS(r, EST_REC), a);
	} else if (ri->loss.people[2] > 0) {
		mm__fmt_int(a, sizeof(a), ri->loss.people[2]);
		snprintf(buf, n, RS(r, EST_REC_HELD), a);
	} else {
		snprintf(buf, n, "%s", RS(r, EST_REC_UNKNOWN));
	}
}

void mm__fmt_ref_part(const struct rp *r, char *buf, size_t n, const struct rp_ref *f)
{
	char a[32], c[32], p[32];
	mm__fmt_int(a, sizeof(a), (int64_t)f->part);
	mm__fmt_int(c, sizeof(c), (int64_t)f->parts);
	snprintf(p, sizeof(p), "[%zu]", f->parent);
	snprintf(buf, n, RS(r, EV_PART), a, c, p);
}

static bool ds_has(const struct rp *r, const char *prefix)
{
	for (size_t i = 0; i < r->nds; i++)
		if (!strncmp(r->ds[i].name, prefix, strlen(prefix)))
			return true;
	return false;
}

static void ds_add(struct rp *r, const char *name, int64_t n)
{
	for (size_t i = 0; i < r->nds; i++)
		if (!strcmp(r->ds[i].name, name)) {
			r->ds[i].n += n;
			return;
		}
	if (r->nds < RP_MAX_DS) {
		r->ds[r->nds].name = mm_strdup(name);
		r->ds[r->nds++].n = n;
	}
}

/* Which classes can the data sources seen detect at all? The dataset names
 * are those of the decoders (web.access, linux.sshd, …) and of later ones
 * (firewall.*, netflow.*, zeek.*, postfix.*, app.auth). */
static void coverage(struct rp *r)
{
	bool web = ds_has(r, "web."), ssh = ds_has(r, "linux.sshd") || ds_has(r, "linux.auth");
	bool app = ds_has(r, "app.auth") || ds_has(r, "web.auth");
	bool fw = ds_has(r, "firewall.") || ds_has(r, "router.");
	bool flow = ds_has(r, "netflow.") || ds_has(r, "zeek.") || ds_has(r, "flow.");
	bool mta = ds_has(r, "postfix.") || ds_has(r, "mail.");
	for (size_t c = 0; c < MM_IC__COUNT; c++)
		r->cov[c] = RP_COV_NO;
	r->cov[MM_IC_WEB_ATTACK] = web ? RP_COV_PARTIAL : RP_COV_NO;
	r->cov[MM_IC_ACCOUNT_ATTACK] = ssh && app ? RP_COV_YES : (ssh || app || web) ? RP_COV_PARTIAL
	                                                                              : RP_COV_NO;
	r->cov[MM_IC_EXPLOIT] = r->nds ? RP_COV_PARTIAL : RP_COV_NO;
	r->cov[MM_IC_RECON] = fw ? RP_COV_YES : (web || ssh) ? RP_COV_PARTIAL : RP_COV_NO;
	r->cov[MM_IC_EGRESS] = fw || flow ? RP_COV_YES : RP_COV_NO;
	r->cov[MM_IC_EXFILTRATION] = flow ? RP_COV_YES : RP_COV_NO;
	r->cov[MM_IC_MAIL_RELAY] = mta ? RP_COV_YES : RP_COV_NO;
	r->cov[MM_IC_PHISHING_MAIL] = mta ? RP_COV_YES : RP_COV_NO;
	/* an inventory was checked when advisories are indexed or findings exist;
	 * an empty findings table alone proves nothing */
	r->cov[MM_IC_VULNERABILITY] = r->vuln_checked ? RP_COV_YES : RP_COV_NO;
	r->cov[MM_IC_PERSONAL_DATA] = r->dlp_checked ? RP_COV_YES : RP_COV_NO; /* mamori dlp */
	r->cov[MM_IC_OTHER] = RP_COV_YES;
	r->blind = 0;
	for (size_t c = 0; c < MM_IC__COUNT; c++)
		if (c != MM_IC_OTHER && r->cov[c] == RP_COV_NO)
			r->blind++;
}

/* Period statistics used by the trends section. */
static int period_stats(sqlite3 *db, struct mm_store *s, int64_t from, int64_t to,
                        int64_t *cls, int64_t *ninc, int64_t *succ, int64_t *alerts,
                        int64_t *accounts, struct mm_error *err)
{
	sqlite3_stmt *st = NULL;
	int r;
	if (sqlite3_prepare_v2(db,
	                       "SELECT class, count(*), sum(outcome <> 'attempted'),"
	                       " sum(accounts_targeted) FROM incidents"
	                       " WHERE last_ts >= ?1 AND first_ts < ?2 GROUP BY class",
	                       -1, &st, NULL) != SQLITE_OK)
		return fail(db, s, err, "cannot count incidents");
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	*ninc = *succ = *accounts = 0;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		enum mm_incident_class c = MM_IC_OTHER;
		const char *id = (const char *)sqlite3_column_text(st, 0);
		if (id)
			mm_incident_class_parse(id, &c);
		cls[c] += sqlite3_column_int64(st, 1);
		*ninc += sqlite3_column_int64(st, 1);
		*succ += sqlite3_column_int64(st, 2);
		*accounts += sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return fail(db, s, err, "cannot count incidents");
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM alerts WHERE ts >= ? AND ts < ?", -1, &st,
	                       NULL) != SQLITE_OK)
		return fail(db, s, err, "cannot count alerts");
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	*alerts = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return MM_OK;
}

static int load_sources(struct rp *r, sqlite3 *db, struct mm_store *s, struct mm_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc;
	/* data sources of the period only: a dataset of a stored scan counts when
	 * its event-time range in that scan (summary.dataset_times, [first, last]
	 * ns) overlaps [from, to) — a log of another month says nothing about
	 * what this month's logs can show. Runs written before dataset_times
	 * existed carry no event time and are not counted; the datasets of the
	 * period's alerts are added below in any case. */
	if (sqlite3_prepare_v2(db,
	                       "SELECT j.key, sum(j.value) FROM runs, json_each(runs.summary,"
	                       " '$.datasets') j WHERE json_valid(runs.summary)"
	                       " AND json_extract(runs.summary, '$.dataset_times.\"' || j.key"
	                       " || '\"[0]') < ?2"
	                       " AND json_extract(runs.summary, '$.dataset_times.\"' || j.key"
	                       " || '\"[1]') >= ?1"
	                       " GROUP BY j.key ORDER BY j.key",
	                       -1, &st, NULL) != SQLITE_OK)
		return fail(db, s, err, "cannot read scan runs");
	sqlite3_bind_int64(st, 1, r->o->from);
	sqlite3_bind_int64(st, 2, r->o->to);
	while (sqlite3_step(st) == SQLITE_ROW)
		ds_add(r, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1));
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db,
	                       "SELECT dataset FROM alerts WHERE ts >= ? AND ts < ? AND dataset"
	                       " IS NOT NULL GROUP BY dataset ORDER BY dataset",
	                       -1, &st, NULL) != SQLITE_OK)
		return fail(db, s, err, "cannot read alert datasets");
	sqlite3_bind_int64(st, 1, r->o->from);
	sqlite3_bind_int64(st, 2, r->o->to);
	while (sqlite3_step(st) == SQLITE_ROW)
		ds_add(r, (const char *)sqlite3_column_text(st, 0), 0);
	sqlite3_finalize(st);

	/* most frequent detections (causes) of the period */
	if (sqlite3_prepare_v2(db,
	                       "SELECT rule_name, count(*) c FROM alerts WHERE ts >= ? AND ts < ?"
	                       " GROUP BY rule_name ORDER BY c DESC, rule_name LIMIT ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return fail(db, s, err, "cannot count detections");
	sqlite3_bind_int64(st, 1, r->o->from);
	sqlite3_bind_int64(st, 2, r->o->to);
	sqlite3_bind_int(st, 3, RP_MAX_CAUSES);
	while (sqlite3_step(st) == SQLITE_ROW && r->ncauses < RP_MAX_CAUSES) {
		r->causes[r->ncauses].name = dup_col(st, 0);
		r->causes[r->ncauses++].n = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);

	/* vulnerability findings: the table exists once `mamori vuln` has landed */
	if (sqlite3_prepare_v2(db,
	                       "SELECT count(*) FROM sqlite_master WHERE type='table' AND"
	                       " name='findings'",
	                       -1, &st, NULL) != SQLITE_OK)
		return fail(db, s, err, "cannot inspect schema");
	r->findings_table = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
	sqlite3_finalize(st);
	r->nfindings = -1;
	if (r->findings_table) {
		if (sqlite3_prepare_v2(db,
		                       "SELECT count(*), sum(lower(severity) IN ('critical','high'))"
		                       " FROM findings",
		                       -1, &st, NULL) != SQLITE_OK)
			return fail(db, s, err, "cannot read findings");
		if (sqlite3_step(st) == SQLITE_ROW) {
			r->nfindings = sqlite3_column_int64(st, 0);
			r->nfindings_high = sqlite3_column_int64(st, 1);
		}
		sqlite3_finalize(st);
		if (sqlite3_prepare_v2(db, "SELECT count(*) FROM vuln_sources", -1, &st, NULL) !=
		    SQLITE_OK)
			return fail(db, s, err, "cannot read advisory sources");
		r->vuln_checked = r->nfindings > 0 ||
		                  (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0);
		sqlite3_finalize(st);
		if (sqlite3_prepare_v2(db,
		                       "SELECT host, package, version, vuln_id, severity, fixed,"
		                       " COALESCE(score, 0) FROM findings ORDER BY score DESC, host,"
		                       " package, vuln_id LIMIT ?",
		                       -1, &st, NULL) != SQLITE_OK)
			return fail(db, s, err, "cannot read findings");
		sqlite3_bind_int(st, 1, RP_MAX_FINDINGS);
		while (sqlite3_step(st) == SQLITE_ROW && r->nfnd < RP_MAX_FINDINGS) {
			struct rp_finding *f = &r->fnd[r->nfnd++];
			f->host = dup_col(st, 0);
			f->package = dup_col(st, 1);
			f->version = dup_col(st, 2);
			f->vuln_id = dup_col(st, 3);
			f->severity = dup_col(st, 4);
			f->fixed = dup_col(st, 5);
			f->score = sqlite3_column_double(st, 6);
		}
		sqlite3_finalize(st);
	}
	rc = period_stats(db, s, r->o->from, r->o->to, r->cls_cur, &(int64_t){0}, &r->succ_cur,
	                  &r->alerts_cur, &r->accounts_cur, err);
	if (!rc)
		rc = period_stats(db, s, r->prev_from, r->prev_to, r->cls_prev, &r->inc_prev,
		                  &r->succ_prev, &r->alerts_prev, &r->accounts_prev, err);
	return rc;
}

/* The line that starts at byte offset in file, as the scan read it (up to
 * RP_RAW_MAX bytes, without the line break). NULL when the file cannot be
 * read, is compressed (offsets count decompressed bytes), or no line starts
 * there any more (the file changed since the scan): the report then says the
 * line is not available rather than quote the wrong one. */
static char *read_line_at(const char *file, int64_t offset)
{
	FILE *f = NULL;
	char *out = NULL;
	unsigned char buf[RP_RAW_MAX + 2];
	if (!file || offset < 0 || !(f = fopen(file, "rb")))
		goto out;
	size_t n = fread(buf, 1, 2, f);
	if (n == 2 && buf[0] == 0x1f && buf[1] == 0x8b)
		goto out; /* gzip */
	int64_t at = offset > 0 ? offset - 1 : 0;
	if (fseeko(f, (off_t)at, SEEK_SET))
		goto out;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	size_t skip = 0;
	if (offset > 0) {
		if (n == 0 || buf[0] != '\n')
			goto out; /* not the start of a line */
		skip = 1;
	}
	if (n <= skip)
		goto out;
	size_t len = 0;
	while (skip + len < n && len < RP_RAW_MAX && buf[skip + len] != '\n')
		len++;
	if (len && buf[skip + len - 1] == '\r')
		len--;
	out = mm_malloc(len + 1);
	memcpy(out, buf + skip, len);
	out[len] = '\0';
out:
	if (f)
		fclose(f);
	return out;
}

static struct rp_ref *ref_new(struct rp *r, size_t *cap)
{
	if (r->nrefs == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		r->refs = mm_realloc(r->refs, *cap * sizeof(*r->refs));
	}
	struct rp_ref *f = &r->refs[r->nrefs++];
	memset(f, 0, sizeof(*f));
	return f;
}

/* References for the events a correlation alert counted: the first and last
 * RP_CORR_EVENTS of its evidence.events[] (which itself holds the first 5
 * and last 5 contributing events), skipping the completing event, which is
 * the alert's own reference. */
static int corr_refs(struct rp *r, sqlite3 *db, struct mm_store *s, size_t inc, size_t parent,
                     const struct mm_incident_evidence *e, size_t *cap, struct mm_error *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db,
	                       "SELECT json_extract(j.value, '$.file'), json_extract(j.value, '$.offset'),"
	                       " json_extract(j.value, '$.line'), json_extract(j.value, '$.\"@timestamp\"'),"
	                       " COALESCE(json_extract(a.json, '$.evidence.events_total'), 0),"
	                       " json_array_length(a.json, '$.evidence.events')"
	                       " FROM alerts a, json_each(a.json, '$.evidence.events') j"
	                       " WHERE a.id = ? AND json_valid(a.json) ORDER BY j.key",
	                       -1, &st, NULL) != SQLITE_OK)
		return fail(db, s, err, "cannot read correlation evidence");
	sqlite3_bind_text(st, 1, e->alert_id, -1, SQLITE_STATIC);
	int rc, k = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t total = sqlite3_column_int64(st, 4), stored = sqlite3_column_int64(st, 5);
		int64_t pos = k++; /* index in the stored list */
		if (stored > 2 * RP_CORR_EVENTS && pos >= RP_CORR_EVENTS &&
		    pos < stored - RP_CORR_EVENTS)
			continue;
		const char *file = (const char *)sqlite3_column_text(st, 0);
		int64_t off = sqlite3_column_int64(st, 1);
		if (!file || (e->file && !strcmp(file, e->file) && off == e->offset))
			continue;
		struct rp_ref *f = ref_new(r, cap);
		f->inc = inc;
		f->alert = e;
		f->parent = parent;
		/* the stored list is the first 5 and the last 5 of `total` */
		int64_t half = stored / 2;
		f->part = (size_t)(stored < total && pos >= half ? total - (stored - pos) + 1 : pos + 1);
		f->parts = (size_t)(total > 0 ? total : stored);
		f->file = mm_strdup(file);
		f->offset = off;
		f->line = sqlite3_column_int64(st, 2);
		f->ts = e->ts;
		const char *t = (const char *)sqlite3_column_text(st, 3);
		if (t)
			mm_time_parse_iso8601(mm_slice_cstr(t), NULL, &f->ts);
		f->rule = mm_strdup(e->rule_name ? e->rule_name : "");
		f->raw = read_line_at(file, off);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? MM_OK : fail(db, s, err, "cannot read correlation evidence");
}

/* A vulnerability incident's findings, most severe first, each with a
 * reference to its inventory line (file, line; no byte offset: inventories
 * are read whole), the finding's evidence text as the quoted line. */
static int vuln_refs(struct rp *r, sqlite3 *db, struct mm_store *s, size_t i, size_t *cap,
                     struct mm_error *err)
{
	struct rp_inc *ri = &r->inc[i];
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db,
	                       "SELECT f.host, f.package, f.version, f.vuln_id, f.severity,"
	                       " COALESCE(f.fixed, ''), COALESCE(f.score, 0), f.file, f.line,"
	                       " f.evidence, f.last_seen FROM incident_alerts i JOIN findings f ON"
	                       " i.alert_id = 'finding:' || f.host || char(31) || f.ecosystem ||"
	                       " char(31) || f.package || char(31) || f.version || char(31) ||"
	                       " f.vuln_id WHERE i.incident_id = ?"
	                       " ORDER BY f.score DESC, f.package, f.vuln_id LIMIT ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return fail(db, s, err, "cannot read incident findings");
	sqlite3_bind_int64(st, 1, ri->inc.id);
	sqlite3_bind_int(st, 2, RP_MAX_FINDINGS);
	ri->fnd = mm_calloc(RP_MAX_FINDINGS, sizeof(*ri->fnd));
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && ri->nfnd < RP_MAX_FINDINGS) {
		struct rp_finding *f = &ri->fnd[ri->nfnd++];
		f->host = dup_col(st, 0);
		f->package = dup_col(st, 1);
		f->version = dup_col(st, 2);
		f->vuln_id = dup_col(st, 3);
		f->severity = dup_col(st, 4);
		f->fixed = dup_col(st, 5);
		f->score = sqlite3_column_double(st, 6);
		if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
			struct rp_ref *e = ref_new(r, cap);
			e->inc = i;
			e->file = dup_col(st, 7);
			e->line = sqlite3_column_int64(st, 8);
			e->offset = -1;
			e->raw = sqlite3_column_type(st, 9) == SQLITE_NULL ? NULL : dup_col(st, 9);
			e->rule = mm_strdup(f->vuln_id);
			e->ts = sqlite3_column_int64(st, 10) * MM_NS_PER_SEC;
			f->ref = r->nrefs;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? MM_OK
	                                             : fail(db, s, err, "cannot read incident findings");
}

/* Number the references: per incident, each cited alert, followed by the
 * events behind it when it is a correlation alert; for a vulnerability
 * incident, the inventory lines of its findings. */
static int build_refs(struct rp *r, sqlite3 *db, struct mm_store *s, struct mm_error *err)
{
	size_t cap = 0;
	int rc = MM_OK;
	for (size_t i = 0; i < r->ninc && !rc; i++) {
		struct rp_inc *ri = &r->inc[i];
		ri->ref0 = r->nrefs + 1;
		if (ri->inc.cls == MM_IC_VULNERABILITY && r->findings_table)
			rc = vuln_refs(r, db, s, i, &cap, err);
		for (size_t k = 0; k < ri->nev && !rc; k++) {
			const struct mm_incident_evidence *e = &ri->ev[k];
			struct rp_ref *f = ref_new(r, &cap);
			f->inc = i;
			f->alert = e;
			f->file = mm_strdup(e->file ? e->file : "");
			f->raw = e->raw ? mm_strdup(e->raw) : NULL;
			f->rule = mm_strdup(e->rule_name ? e->rule_name : "");
			f->ts = e->ts;
			f->offset = e->offset;
			f->line = e->line;
			rc = corr_refs(r, db, s, i, r->nrefs, e, &cap, err);
		}
		ri->nref = r->nrefs + 1 - ri->ref0;
	}
	return rc;
}

/* What supports an incident's affected-accounts figure: distinct user
 * names in its alerts, and the distinct count of correlation alerts that
 * count user names (value_count over user.name, e.g. password spraying). */
static int account_basis(sqlite3 *db, struct mm_store *s, struct rp_inc *ri,
                         struct mm_error *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db,
	                       "SELECT count(DISTINCT NULLIF(a.user_name, '')),"
	                       " COALESCE(max(CASE WHEN json_extract(a.json, '$.correlation.field')"
	                       " = 'user.name' THEN json_extract(a.json,"
	                       " '$.correlation.distinct_count') END), 0)"
	                       " FROM incident_alerts i JOIN alerts a ON a.id = i.alert_id"
	                       " WHERE i.incident_id = ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return fail(db, s, err, "cannot read incident accounts");
	sqlite3_bind_int64(st, 1, ri->inc.id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		ri->acc_alerts = sqlite3_column_int64(st, 0);
		ri->acc_corr = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return MM_OK;
}

/* A personal-data incident from `mamori dlp` names the PII types it found
 * (its "rules"): their loss-model fields (card_number, passport, …) replace
 * the configured loss.fields, so the JNSA sensitivity is that of what was
 * found. Other incidents keep loss.fields. */
static void dlp_field_cb(void *ud, const char *v)
{
	struct mm_loss_params *lp = ud;
	enum mm_dlp_type t;
	if (mm_dlp_type_parse(v, strlen(v), &t))
		return;
	const char *fld = mm_dlp_type_loss_field(t);
	if (!fld)
		return;
	for (size_t i = 0; i < lp->nfields; i++)
		if (!strcmp(lp->fields[i], fld))
			return;
	if (lp->nfields < MM_LOSS_MAX_FIELDS)
		lp->fields[lp->nfields++] = fld;
}

static void dlp_fields(struct mm_loss_params *lp, const struct mm_incident *inc)
{
	if (inc->cls != MM_IC_PERSONAL_DATA || !inc->entity_kind ||
	    strcmp(inc->entity_kind, "host.name") || !inc->rules)
		return;
	struct mm_loss_params found = *lp;
	found.nfields = 0;
	mm__json_strings(inc->rules, dlp_field_cb, &found);
	if (found.nfields)
		*lp = found;
}

static void count_cb(void *ud, const char *v)
{
	(void)v;
	(*(size_t *)ud)++;
}

/* `mamori dlp` results (dlp_files, schema 5): the files holding the most
 * people's records, and whether a DLP scan ran at all (coverage). */
static int load_dlp(struct rp *r, sqlite3 *db, struct mm_store *s, struct mm_error *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db,
	                       "SELECT count(*) FROM sqlite_master WHERE type='table' AND"
	                       " name='dlp_files'",
	                       -1, &st, NULL) != SQLITE_OK)
		return fail(db, s, err, "cannot inspect schema");
	bool table = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
	sqlite3_finalize(st);
	if (!table)
		return MM_OK;
	if (sqlite3_prepare_v2(db,
	                       "SELECT (SELECT count(*) FROM runs WHERE summary LIKE"
	                       " '{\"command\":\"dlp\"%'), count(*), COALESCE(sum(records_pii), 0)"
	                       " FROM dlp_files",
	                       -1, &st, NULL) != SQLITE_OK)
		return fail(db, s, err, "cannot read DLP results");
	if (sqlite3_step(st) == SQLITE_ROW) {
		r->dlp_files = sqlite3_column_int64(st, 1);
		r->dlp_people = sqlite3_column_int64(st, 2);
		r->dlp_checked = sqlite3_column_int64(st, 0) > 0 || r->dlp_files > 0;
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db,
	                       "SELECT host, path, types, records, records_pii FROM dlp_files"
	                       " ORDER BY records_pii DESC, path LIMIT ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return fail(db, s, err, "cannot read DLP results");
	sqlite3_bind_int(st, 1, RP_MAX_DLP);
	while (sqlite3_step(st) == SQLITE_ROW && r->ndlp < RP_MAX_DLP) {
		struct rp_dlp *d = &r->dlp[r->ndlp++];
		d->host = dup_col(st, 0);
		d->path = dup_col(st, 1);
		d->types = dup_col(st, 2);
		d->records = sqlite3_column_int64(st, 3);
		d->records_pii = sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	return MM_OK;
}

int mm__rp_build(struct rp *r, struct mm_store *s, const struct mm_report_opts *o,
                 struct mm_error *err)
{
	sqlite3 *db = mm_store_sqlite(s);
	struct mm_incident *list = NULL;
	size_t n = 0;
	int rc;
	memset(r, 0, sizeof(*r));
	r->o = o;
	if (o->loss)
		r->lp = *o->loss;
	else
		mm_loss_defaults(&r->lp);
	r->prev_to = o->from;
	r->prev_from = o->from - (o->to - o->from);
	if ((rc = mm_incident_list(s, o->from, o->to, 0, &list, &n, err)))
		return rc;
	r->inc = mm_calloc(n ? n : 1, sizeof(*r->inc));
	r->ninc = n;
	size_t per = o->evidence_per_incident ? o->evidence_per_incident : 5;
	for (size_t i = 0; i < n; i++)
		r->inc[i].inc = list[i]; /* takes the strings */
	free(list);
	for (size_t i = 0; i < n; i++) {
		struct rp_inc *ri = &r->inc[i];
		size_t servers = 0;
		mm__json_strings(ri->inc.assets, count_cb, &servers);
		ri->servers = servers ? servers : 1;
		struct mm_loss_params lp = r->lp;
		dlp_fields(&lp, &ri->inc);
		mm_loss_estimate(&lp, &ri->inc, ri->servers, &ri->loss);
		r->low += ri->loss.low;
		r->likely += ri->loss.likely;
		r->high += ri->loss.high;
		if ((rc = mm_incident_evidence(s, ri->inc.id, per, &ri->ev, &ri->nev, err)))
			goto out;
		if ((rc = account_basis(db, s, ri, err)))
			goto out;
	}
	{
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(db,
		                       "SELECT count(*) FROM sqlite_master WHERE type='table' AND"
		                       " name='findings'",
		                       -1, &st, NULL) != SQLITE_OK) {
			rc = fail(db, s, err, "cannot inspect schema");
			goto out;
		}
		r->findings_table = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
		sqlite3_finalize(st);
	}
	if ((rc = build_refs(r, db, s, err)))
		goto out;

	/* incidents over time: buckets of whole days, at most RP_MAX_BUCKETS */
	int64_t day = INT64_C(86400) * MM_NS_PER_SEC;
	int64_t days = (o->to - o->from + day - 1) / day;
	int64_t per_bucket = (days + RP_MAX_BUCKETS - 1) / RP_MAX_BUCKETS;
	if (per_bucket < 1)
		per_bucket = 1;
	r->bucket_ns = per_bucket * day;
	r->bucket0 = o->from;
	r->nbuckets = (size_t)((o->to - o->from + r->bucket_ns - 1) / r->bucket_ns);
	if (r->nbuckets > RP_MAX_BUCKETS)
		r->nbuckets = RP_MAX_BUCKETS;
	for (size_t i = 0; i < r->ninc; i++) {
		int64_t t = MM_MAX(r->inc[i].inc.first_ts, o->from);
		size_t b = (size_t)((t - o->from) / r->bucket_ns);
		if (b < r->nbuckets)
			r->buckets[b]++;
	}
	if ((rc = load_sources(r, db, s, err)))
		goto out;
	if ((rc = load_dlp(r, db, s, err)))
		goto out;
	coverage(r);
out:
	return rc; /* on failure the caller frees the partial model (mm__rp_free) */
}

void mm__rp_free(struct rp *r)
{
	for (size_t i = 0; r->inc && i < r->ninc; i++) {
		mm_incident_clear(&r->inc[i].inc);
		mm_incident_evidence_free(r->inc[i].ev, r->inc[i].nev);
		for (size_t k = 0; k < r->inc[i].nfnd; k++) {
			struct rp_finding *f = &r->inc[i].fnd[k];
			free(f->host);
			free(f->package);
			free(f->version);
			free(f->vuln_id);
			free(f->severity);
			free(f->fixed);
		}
		free(r->inc[i].fnd);
	}
	free(r->inc);
	for (size_t i = 0; i < r->nrefs; i++) {
		free(r->refs[i].file);
		free(r->refs[i].raw);
		free(r->refs[i].rule);
	}
	free(r->refs);
	for (size_t i = 0; i < r->nds; i++)
		free(r->ds[i].name);
	for (size_t i = 0; i < r->ncauses; i++)
		free(r->causes[i].name);
	for (size_t i = 0; i < r->nfnd; i++) {
		struct rp_finding *f = &r->fnd[i];
		free(f->host);
		free(f->package);
		free(f->version);
		free(f->vuln_id);
		free(f->severity);
		free(f->fixed);
	}
	for (size_t i = 0; i < r->ndlp; i++) {
		free(r->dlp[i].host);
		free(r->dlp[i].path);
		free(r->dlp[i].types);
	}
	memset(r, 0, sizeof(*r));
}

int mm_report_write(struct mm_store *s, const struct mm_report_opts *o, struct mm_buf *out,
                    struct mm_error *err)
{
	struct rp r;
	int rc = mm__rp_build(&r, s, o, err);
	if (!rc) {
		if (o->format == MM_REPORT_HTML)
			rc = mm__report_html(&r, out);
		else if (o->format == MM_REPORT_MD)
			rc = mm__report_md(&r, out);
		else
			rc = mm__report_json(&r, out);
		if (rc)
			rc = mm_error_set(err, rc, NULL, 0, 0,
			                  "the report is larger than its output cap");
	}
	mm__rp_free(&r);
	return rc;
}
