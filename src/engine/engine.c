/* mamori — the pipeline wiring: for each input, pick a decoder (forced or by
 * probing the first lines), frame lines, decode into one reused event, run the
 * detector, and hand each match to the sinks. Single-threaded and in input
 * order, so output is deterministic. Counts everything the summary reports:
 * bytes, lines, events per dataset, malformed lines per reason, alerts per
 * rule, new vs already-stored alerts. */
#include "mamori/engine.h"

#include "mamori/alert.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_DATASETS 32
#define PEEK_LINES 32

struct ds_count {
	const char *name;
	uint64_t n;
	int64_t ts_min, ts_max; /* event-time range (MM_TS_NONE: no timed event) */
};

struct mm_engine {
	const struct mm_ruleset *rs;
	struct mm_engine_opts o;
	struct mm_detector *det;
	struct mm_arena *arena;
	struct mm_buf json;
	struct mm_event ev;
	struct mm_engine_totals t;
	uint64_t outcome[MM_DEC__COUNT];
	struct ds_count ds[MAX_DATASETS];
	size_t nds;
	uint64_t ds_overflow;
	uint64_t *rule_alerts; /* per loaded rule */
	struct mm_correlator *corr; /* NULL without correlation rules */
	uint64_t *corr_alerts;      /* per correlation rule */
	uint64_t silent_matches;    /* matches of rules that only feed correlations */
	struct mm_analyzers *an;    /* NULL when disabled */
	uint64_t *an_alerts;        /* per analyzer rule */
	uint64_t login_enriched;    /* access-log requests classified as logins */
	struct mm_mail_an *mail;    /* MTA-log analyzers; NULL when disabled */
	/* per-file */
	const char *src_key;
	const char *cur_path;
	uint64_t cur_size;
	double t_start, t_last_progress;
	bool progress_shown;
	int sink_rc;
	struct mm_error *sink_err;
	uint64_t tx_alerts;
	char *failed_msgs; /* newline-separated per-file problems (first few) */
	size_t failed_len;
	unsigned failed_count;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct mm_engine *mm_engine_new(const struct mm_ruleset *rs, const struct mm_engine_opts *o)
{
	struct mm_engine *e = mm_calloc(1, sizeof(*e));
	e->rs = rs;
	e->o = *o;
	e->det = mm_detector_new(rs);
	/* per-line scratch for decoders that unescape (JSON): 1 MiB cap */
	e->arena = mm_arena_new(64 * 1024, 1024 * 1024);
	mm_buf_init(&e->json, 0);
	e->rule_alerts = mm_calloc(mm_ruleset_rule_count(rs) + 1, sizeof(uint64_t));
	e->corr_alerts = mm_calloc(mm_ruleset_corr_count(rs) + 1, sizeof(uint64_t));
	if (mm_ruleset_corr_count(rs)) {
		struct mm_corr_opts co = {
			.state_mem = o->state_mem,
			.lateness_ns = o->lateness_set ? o->lateness_ns : -1,
		};
		e->corr = mm_correlator_new(rs, &co);
	}
	if (!o->credstuff.disabled)
		e->an = mm_analyzers_new(&o->credstuff);
	e->an_alerts = mm_calloc(mm_analyzer_rule_count() + 1, sizeof(uint64_t));
	if (!o->mail.disabled)
		e->mail = mm_mail_an_new(&o->mail);
	return e;
}

void mm_engine_free(struct mm_engine *e)
{
	if (!e)
		return;
	mm_detector_free(e->det);
	mm_arena_free(e->arena);
	mm_buf_free(&e->json);
	free(e->rule_alerts);
	free(e->corr_alerts);
	mm_correlator_free(e->corr);
	mm_analyzers_free(e->an);
	mm_mail_an_free(e->mail);
	free(e->an_alerts);
	free(e->failed_msgs);
	free(e);
}

static void note_problem(struct mm_engine *e, const char *path, const char *msg)
{
	e->failed_count++;
	if (e->failed_count > 20)
		return;
	size_t add = strlen(path) + strlen(msg) + 8;
	e->failed_msgs = mm_realloc(e->failed_msgs, e->failed_len + add + 1);
	e->failed_len += (size_t)snprintf(e->failed_msgs + e->failed_len, add + 1, "  %s: %s\n",
	                                  path, msg);
}

/* Events per dataset and the event-time range each dataset covers: the
 * report's "what your logs cannot show" needs the data sources seen in its
 * period, and a run's wall-clock time says nothing about replayed logs. */
static void count_dataset(struct mm_engine *e, const char *ds, int64_t ts)
{
	struct ds_count *d = NULL;
	if (!ds)
		ds = "unknown";
	for (size_t i = 0; i < e->nds && !d; i++)
		if (e->ds[i].name == ds || !strcmp(e->ds[i].name, ds))
			d = &e->ds[i];
	if (!d) {
		if (e->nds == MAX_DATASETS) {
			e->ds_overflow++;
			return;
		}
		d = &e->ds[e->nds++];
		d->name = ds;
		d->n = 0;
		d->ts_min = d->ts_max = MM_TS_NONE;
	}
	d->n++;
	if (ts != MM_TS_NONE) {
		if (d->ts_min == MM_TS_NONE || ts < d->ts_min)
			d->ts_min = ts;
		if (d->ts_max == MM_TS_NONE || ts > d->ts_max)
			d->ts_max = ts;
	}
}

/* Render an alert to the sinks (store, then JSON Lines or text). */
static void emit(struct mm_engine *e, const struct mm_alert *a)
{
	mm_buf_reset(&e->json);
	int rc = mm_alert_to_json(&e->json, a, e->o.raw_max);
	if (rc) {
		e->sink_rc = mm_error_set(e->sink_err, rc, NULL, 0, 0, "cannot render alert");
		return;
	}
	bool fresh = true;
	if (e->o.store) {
		rc = mm_store_add_alert(e->o.store, a, e->json.p, e->json.n, &fresh, e->sink_err);
		if (rc) {
			e->sink_rc = rc;
			return;
		}
		if (++e->tx_alerts % 10000 == 0) {
			/* keep transactions (and the WAL) bounded on huge scans */
			if ((rc = mm_store_commit(e->o.store, e->sink_err)) ||
			    (rc = mm_store_begin(e->o.store, e->sink_err))) {
				e->sink_rc = rc;
				return;
			}
		}
	}
	if (fresh)
		e->t.alerts_new++;
	else
		e->t.alerts_dup++;
	if (e->o.alerts_out && e->o.text) {
		mm_buf_reset(&e->json);
		mm_alert_to_text(&e->json, a);
	}
	if (e->o.alerts_out) {
		mm_buf_putc(&e->json, '\n');
		if (fwrite(e->json.p, 1, e->json.n, e->o.alerts_out) != e->json.n)
			e->sink_rc = mm_error_set(e->sink_err, MM_EIO, NULL, 0, 0,
			                          "cannot write alerts: output closed or disk full");
	}
}

static void on_corr(void *ud, const struct mm_corr_result *res, const struct mm_event *ev)
{
	struct mm_engine *e = ud;
	if (e->sink_rc)
		return;
	if (!res->overflow && e->o.on_alert)
		e->o.on_alert(e->o.on_alert_ud, res->rule, ev);
	if (!res->overflow && res->rule->silent)
		return; /* an inner link of a chain: it fed the outer correlation */
	e->t.alerts++;
	if (!res->overflow && res->rule->index < mm_ruleset_corr_count(e->rs))
		e->corr_alerts[res->rule->index]++;
	for (size_t i = 0; i < mm_analyzer_rule_count(); i++)
		if (res->rule == mm_analyzer_rule_at(i))
			e->an_alerts[i]++;
	if (!e->o.alerts_out && !e->o.store)
		return;
	struct mm_alert a;
	mm_alert_init_corr(&a, res, ev, e->src_key);
	emit(e, &a);
}

static void on_match(void *ud, const struct mm_rule_info *rule, const struct mm_event *ev)
{
	struct mm_engine *e = ud;
	struct mm_alert a;
	if (e->sink_rc)
		return;
	if (e->o.on_alert)
		e->o.on_alert(e->o.on_alert_ud, rule, ev);
	if (rule->silent) {
		e->silent_matches++;
	} else {
		e->t.alerts++;
		if (rule->index < mm_ruleset_rule_count(e->rs))
			e->rule_alerts[rule->index]++;
		if (e->o.alerts_out || e->o.store) {
			mm_alert_init(&a, rule, ev, e->src_key);
			emit(e, &a);
		}
	}
	/* after the rule's own alert, whatever it completes */
	if (e->corr && !e->sink_rc)
		mm_correlate(e->corr, rule, ev, on_corr, e);
}

/* ---- login enrichment --------------------------------------------------
 * Access logs do not say "login": a POST to a login path does, and its status
 * says how it went. Rules could list the paths (web_login_failure does), but
 * the credential-stuffing analyzer is not a rule, and with the ECS fields set
 * here one rule or analyzer serves access logs and app auth logs alike. */
const char *const mm_engine_default_login_paths[] = {
	"/login", "/login.php", "/signin", "/sign_in", "/wp-login.php", "/user/login",
	"/users/sign_in", "/auth", "/authenticate", "/session", "/sessions", "/api/login",
	"/api/auth/login", "/j_security_check", "/account/login", "/auth/login", NULL};
static const int g_fail_status[] = {401, 403};
static const int g_ok_status[] = {200, 204, 302, 303};

static bool path_is_login(const struct mm_engine *e, struct mm_slice p)
{
	const char *const *v = e->o.login_paths ? e->o.login_paths : mm_engine_default_login_paths;
	size_t n = e->o.login_paths ? e->o.nlogin_paths : SIZE_MAX;
	for (size_t i = 0; i < n && v[i]; i++) {
		size_t l = strlen(v[i]);
		/* a suffix match on a segment boundary: /shop/login, not /blogin */
		if (l && l <= p.n && !memcmp(p.p + p.n - l, v[i], l) &&
		    (l == p.n || v[i][0] == '/' || p.p[p.n - l - 1] == '/'))
			return true;
	}
	return false;
}

static bool status_in(int64_t st, const int *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (st == v[i])
			return true;
	return false;
}

static void login_enrich(struct mm_engine *e, struct mm_event *ev)
{
	if (e->o.no_login_enrich || !ev->category || strcmp(ev->category, "webserver") != 0 ||
	    ev->f[MM_F_EVENT_OUTCOME].p || !mm_slice_eq_cstr(ev->f[MM_F_HTTP_REQUEST_METHOD], "POST") ||
	    !ev->f[MM_F_URL_PATH].p || !path_is_login(e, ev->f[MM_F_URL_PATH]))
		return;
	int64_t st;
	if (mm_slice_to_i64(ev->f[MM_F_HTTP_RESPONSE_STATUS], &st))
		return;
	const char *oc;
	if (e->o.login_fail_status ? status_in(st, e->o.login_fail_status, e->o.nlogin_fail_status)
	                           : status_in(st, g_fail_status, MM_ARRAY_LEN(g_fail_status)))
		oc = "failure";
	else if (e->o.login_ok_status ? status_in(st, e->o.login_ok_status, e->o.nlogin_ok_status)
	                              : status_in(st, g_ok_status, MM_ARRAY_LEN(g_ok_status)))
		oc = "success";
	else
		oc = "unknown";
	ev->f[MM_F_EVENT_CATEGORY] = MM_SLICE_LIT("authentication");
	ev->f[MM_F_EVENT_ACTION] = MM_SLICE_LIT("web_login");
	ev->f[MM_F_EVENT_OUTCOME] = mm_slice_cstr(oc);
	ev->flags &= ~MM_EV_VERBATIM;
	e->login_enriched++;
}

static void progress(struct mm_engine *e, const struct mm_input *in, bool final)
{
	double t = now_s();
	if (!final && t - e->t_last_progress < 0.2)
		return;
	e->t_last_progress = t;
	struct mm_input_stats st;
	mm_input_stats(in, &st);
	double el = t - e->t_start;
	double mbps = el > 0 ? (double)(e->t.bytes + st.bytes) / 1e6 / el : 0;
	const char *name = strrchr(e->cur_path, '/');
	name = name ? name + 1 : e->cur_path;
	if (e->cur_size && !mm_input_is_gzip(in)) {
		double pct = 100.0 * (double)st.bytes_raw / (double)e->cur_size;
		int w = 30, fill = (int)(pct / 100.0 * w);
		char bar[32];
		for (int i = 0; i < w; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[w] = '\0';
		fprintf(stderr, "\r\033[K%.40s [%s] %5.1f%%  %.0f MB/s  %llu alerts", name, bar, pct,
		        mbps, (unsigned long long)e->t.alerts);
	} else {
		fprintf(stderr, "\r\033[K%.40s  %.1f MB  %.0f MB/s  %llu alerts", name,
		        (double)st.bytes / 1e6, mbps, (unsigned long long)e->t.alerts);
	}
	e->progress_shown = true;
}

/* One decoded event through enrichment, the --events sink and detection. */
static void process_event(struct mm_engine *e, struct mm_event *ev)
{
	e->t.events++;
	count_dataset(e, ev->dataset, ev->ts);
	login_enrich(e, ev);
	mm_net_enrich(e->o.net, ev);
	if (e->o.events_out) {
		mm_buf_reset(&e->json);
		char ts[40];
		mm_time_format(ev->ts, ts, sizeof(ts));
		mm_buf_printf(&e->json, "{\"@timestamp\":\"%s\"", ts);
		mm_event_fields_to_json(&e->json, ev);
		mm_buf_puts(&e->json, "}\n");
		fwrite(e->json.p, 1, e->json.n, e->o.events_out);
	}
	if (e->corr)
		mm_correlator_observe(e->corr, ev);
	mm_detect_event(e->det, ev, on_match, e);
	if (e->an && !e->sink_rc)
		mm_analyzers_observe(e->an, ev, on_corr, e);
	if (e->mail && !e->sink_rc)
		mm_mail_an_observe(e->mail, ev, on_corr, e);
	if (e->o.net && !e->sink_rc)
		mm_net_observe(e->o.net, ev, on_corr, e);
}

/* Events a multi-line decoder assembled (decode.h drain): after each line
 * only what is due, at the end of the input everything pending. Returns
 * non-zero when a sink failed. */
static int drain(struct mm_engine *e, const struct mm_decoder *dec, struct mm_decode_ctx *ctx,
                 const char *path, bool eof)
{
	struct mm_event *ev = &e->ev;
	for (;;) {
		mm_event_clear(ev);
		ev->src_path = path;
		mm_arena_reset(e->arena);
		enum mm_dec_outcome oc = dec->drain(ctx, ev, eof);
		if (oc != MM_DEC_OK)
			return 0;
		e->outcome[MM_DEC_OK]++;
		process_event(e, ev);
		if (e->sink_rc)
			return e->sink_rc;
	}
}

static int scan_one(void *ud, const char *path)
{
	struct mm_engine *e = ud;
	struct mm_input *in = NULL;
	struct mm_error ierr;
	void *state = NULL;
	const struct mm_decoder *dec = NULL;
	char *abs = NULL;
	int rc;

	mm_error_clear(&ierr);
	e->t.files++;
	rc = mm_input_open(&in, path, &e->o.input, &ierr);
	if (rc) {
		e->t.files_failed++;
		note_problem(e, path, ierr.msg);
		return 0;
	}
	if (e->o.format && strcmp(e->o.format, "auto") != 0) {
		dec = mm_decoder_find(e->o.format);
	} else {
		struct mm_slice sample[PEEK_LINES];
		size_t n = mm_input_peek(in, sample, PEEK_LINES);
		dec = mm_decoder_detect(sample, n);
		if (!dec) {
			e->t.files_unknown_format++;
			note_problem(e, path, n ? "format not recognised (use --format)"
			                        : "empty input");
			mm_input_close(in);
			return 0;
		}
	}
	if (!strcmp(path, "-")) {
		e->src_key = "-";
	} else {
		abs = realpath(path, NULL);
		e->src_key = abs ? abs : path;
	}
	e->cur_path = path;
	e->cur_size = mm_input_size(in);
	struct mm_decode_opts dopts = {
		.year = e->o.year,
		.ref_time = mm_input_mtime(in) ? mm_input_mtime(in)
		                               : (int64_t)time(NULL) * MM_NS_PER_SEC,
		.tz = e->o.tz,
		.kv_map = e->o.kv_map,
		.nkv_map = e->o.nkv_map,
		.csv_map = e->o.csv_map,
		.ncsv_map = e->o.ncsv_map,
	};
	if (dec->state_new)
		state = dec->state_new();
	if (e->corr)
		mm_correlator_source(e->corr);
	struct mm_decode_ctx ctx = {.opts = &dopts, .arena = e->arena, .state = state};
	struct mm_line line;
	struct mm_event *ev = &e->ev;
	uint64_t k = 0;
	for (;;) {
		rc = mm_input_next(in, &line, &ierr);
		if (rc <= 0)
			break;
		mm_event_clear(ev);
		ev->raw = mm_slice(line.p, line.n);
		ev->msg = ev->raw;
		ev->src_path = path;
		ev->offset = line.offset;
		ev->line_no = line.line_no;
		if (line.truncated)
			ev->flags |= MM_EV_TRUNCATED;
		enum mm_dec_outcome oc = dec->decode(&ctx, line.p, line.n, ev);
		mm_arena_reset(e->arena);
		if ((unsigned)oc >= MM_DEC__COUNT)
			oc = MM_DEC_BAD_FORMAT;
		e->outcome[oc]++;
		if (oc == MM_DEC_OK) {
			process_event(e, ev);
			if (e->sink_rc)
				break;
		} else if (oc != MM_DEC_SKIP) {
			e->t.malformed++;
		}
		if (dec->drain && drain(e, dec, &ctx, path, false))
			break;
		if (e->o.progress && (++k & 0xffff) == 0)
			progress(e, in, false);
	}
	if (dec->drain && !e->sink_rc)
		drain(e, dec, &ctx, path, true);
	if (rc < 0) {
		e->t.files_failed++;
		note_problem(e, path, ierr.msg);
	}
	struct mm_input_stats st;
	mm_input_stats(in, &st);
	if (e->o.progress && e->progress_shown)
		progress(e, in, true);
	e->t.bytes += st.bytes;
	e->t.lines += st.lines;
	e->t.truncated += st.truncated_lines;
	if (dec->state_free)
		dec->state_free(state);
	mm_input_close(in);
	free(abs);
	e->src_key = NULL;
	return e->sink_rc;
}

int mm_engine_scan(struct mm_engine *e, const char *const *paths, size_t n, struct mm_error *err)
{
	int rc;
	e->sink_err = err;
	e->sink_rc = 0;
	e->t_start = now_s();
	if (e->o.format && strcmp(e->o.format, "auto") != 0 && !mm_decoder_find(e->o.format))
		return mm_error_set(err, MM_EINVAL, NULL, 0, 0,
		                    "unknown --format '%s' (see 'mamori formats')", e->o.format);
	if (e->o.store && (rc = mm_store_begin(e->o.store, err)))
		return rc;
	struct mm_error werr;
	mm_error_clear(&werr);
	rc = mm_walk(paths, n, e->o.glob, scan_one, e, &werr);
	if (rc && !e->sink_rc) {
		/* a directory could not be walked: report and go on */
		note_problem(e, werr.path, werr.msg);
		e->t.files_failed++;
		rc = 0;
	}
	if (e->an && !e->sink_rc) {
		e->src_key = "-";
		mm_analyzers_flush(e->an, on_corr, e);
		e->src_key = NULL;
	}
	if (e->mail && !e->sink_rc) {
		e->src_key = "-";
		mm_mail_an_flush(e->mail, on_corr, e);
		e->src_key = NULL;
	}
	if (e->o.net && !e->sink_rc) {
		e->src_key = "-";
		mm_net_flush(e->o.net, on_corr, e);
		e->src_key = NULL;
	}
	if (e->o.progress && e->progress_shown)
		fputs("\r\033[K", stderr);
	if (e->o.store) {
		int crc = e->sink_rc ? MM_OK : mm_store_commit(e->o.store, err);
		if (!e->sink_rc && crc)
			e->sink_rc = crc;
	}
	if (e->o.alerts_out && fflush(e->o.alerts_out) != 0 && !e->sink_rc)
		e->sink_rc = mm_error_set(err, MM_EIO, NULL, 0, 0, "cannot write alerts");
	e->t.seconds += now_s() - e->t_start;
	return e->sink_rc;
}

void mm_engine_totals(const struct mm_engine *e, struct mm_engine_totals *out)
{
	*out = e->t;
}

static int cmp_u64_desc(const void *a, const void *b)
{
	const uint64_t *x = *(const uint64_t *const *)a, *y = *(const uint64_t *const *)b;
	return *x < *y ? 1 : (*x > *y ? -1 : (x > y) - (x < y));
}

void mm_engine_print_summary(const struct mm_engine *e, FILE *f)
{
	const struct mm_engine_totals *t = &e->t;
	double mb = (double)t->bytes / 1e6;
	fprintf(f, "mamori scan summary\n");
	fprintf(f, "  files      %llu scanned", (unsigned long long)t->files);
	if (t->files_failed || t->files_unknown_format)
		fprintf(f, ", %llu unreadable, %llu unknown format",
		        (unsigned long long)t->files_failed,
		        (unsigned long long)t->files_unknown_format);
	fprintf(f, "\n");
	if (e->failed_msgs)
		fputs(e->failed_msgs, f);
	if (e->failed_count > 20)
		fprintf(f, "  … and %u more problems\n", e->failed_count - 20);
	fprintf(f, "  input      %.1f MB, %llu lines (%llu cut at the line-length limit)\n", mb,
	        (unsigned long long)t->lines, (unsigned long long)t->truncated);
	fprintf(f, "  events     %llu", (unsigned long long)t->events);
	for (size_t i = 0; i < e->nds; i++)
		fprintf(f, "%s%s=%llu", i ? ", " : " (", e->ds[i].name,
		        (unsigned long long)e->ds[i].n);
	fprintf(f, "%s\n", e->nds ? ")" : "");
	fprintf(f, "  malformed  %llu", (unsigned long long)t->malformed);
	bool any = false;
	for (int i = 0; i < MM_DEC__COUNT; i++) {
		if (i == MM_DEC_OK || i == MM_DEC_SKIP || !e->outcome[i])
			continue;
		fprintf(f, "%s%s=%llu", any ? ", " : " (", mm_dec_outcome_name((enum mm_dec_outcome)i),
		        (unsigned long long)e->outcome[i]);
		any = true;
	}
	fprintf(f, "%s", any ? ")" : "");
	if (e->outcome[MM_DEC_SKIP])
		fprintf(f, "; %llu skipped (blank/comment/header)",
		        (unsigned long long)e->outcome[MM_DEC_SKIP]);
	fprintf(f, "\n");
	fprintf(f, "  alerts     %llu", (unsigned long long)t->alerts);
	if (e->o.store)
		fprintf(f, " (%llu new in store, %llu already stored)",
		        (unsigned long long)t->alerts_new, (unsigned long long)t->alerts_dup);
	fprintf(f, "\n");
	size_t nr = mm_ruleset_rule_count(e->rs), nz = 0;
	const uint64_t **order = mm_malloc((nr + 1) * sizeof(*order));
	for (size_t i = 0; i < nr; i++)
		if (e->rule_alerts[i])
			order[nz++] = &e->rule_alerts[i];
	qsort(order, nz, sizeof(*order), cmp_u64_desc);
	for (size_t i = 0; i < nz; i++) {
		size_t idx = (size_t)(order[i] - e->rule_alerts);
		const struct mm_rule_info *r = mm_ruleset_rule_at(e->rs, idx);
		fprintf(f, "    %8llu  %-8s %s\n", (unsigned long long)*order[i], r->level, r->title);
	}
	free(order);
	for (size_t i = 0; i < mm_ruleset_corr_count(e->rs); i++)
		if (e->corr_alerts[i]) {
			const struct mm_rule_info *r = mm_ruleset_corr_at(e->rs, i);
			fprintf(f, "    %8llu  %-8s %s (correlation)\n",
			        (unsigned long long)e->corr_alerts[i], r->level, r->title);
		}
	if (e->corr) {
		struct mm_corr_stats cs;
		mm_correlator_stats(e->corr, &cs);
		fprintf(f,
		        "  correlation %zu rules: %llu inputs (%llu late, %llu without a group-by/value "
		        "field), %llu results, %llu silent base matches\n",
		        mm_ruleset_corr_count(e->rs), (unsigned long long)cs.inputs,
		        (unsigned long long)cs.late, (unsigned long long)cs.missing_field,
		        (unsigned long long)cs.fired, (unsigned long long)e->silent_matches);
		fprintf(f,
		        "              state %.1f KiB now, %.1f KiB peak (cap %.0f MiB); %llu groups "
		        "(peak %llu), %llu evicted, %llu cap hits, %llu sketches, %llu overflow "
		        "alerts\n",
		        (double)cs.state_bytes / 1024.0, (double)cs.state_bytes_peak / 1024.0,
		        (double)(e->o.state_mem ? e->o.state_mem : MM_CORR_DEFAULT_STATE_MEM) /
		                1048576.0,
		        (unsigned long long)cs.groups, (unsigned long long)cs.groups_peak,
		        (unsigned long long)cs.evictions, (unsigned long long)cs.cap_hits,
		        (unsigned long long)cs.sketches, (unsigned long long)cs.overflow_alerts);
		for (size_t i = 0; i < mm_ruleset_corr_count(e->rs); i++) {
			struct mm_corr_stats rs;
			mm_correlator_rule_stats(e->corr, i, &rs);
			if (!rs.inputs)
				continue;
			const struct mm_rule_info *r = mm_ruleset_corr_at(e->rs, i);
			fprintf(f,
			        "    %s: %llu inputs, %llu results, %llu groups (peak %llu), %.1f KiB "
			        "peak, %llu evicted, %llu cap hits, %llu late, %.3f ms\n",
			        r->title, (unsigned long long)rs.inputs, (unsigned long long)rs.fired,
			        (unsigned long long)rs.groups, (unsigned long long)rs.groups_peak,
			        (double)rs.state_bytes_peak / 1024.0, (unsigned long long)rs.evictions,
			        (unsigned long long)rs.cap_hits, (unsigned long long)rs.late,
			        (double)rs.ns / 1e6);
		}
	}
	for (size_t i = 0; i < mm_analyzer_rule_count(); i++)
		if (e->an_alerts[i]) {
			const struct mm_rule_info *r = mm_analyzer_rule_at(i);
			fprintf(f, "    %8llu  %-8s %s (analyzer)\n", (unsigned long long)e->an_alerts[i],
			        r->level, r->title);
		}
	if (e->an) {
		struct mm_analyzer_stats as;
		mm_analyzers_stats(e->an, &as);
		fprintf(f,
		        "  analyzers  credential stuffing: %llu login attempts (%llu from the access-log "
		        "enrichment), %llu campaign alerts, %llu follow-ups, %llu endpoints, state "
		        "%.1f KiB peak, %llu cap hits, %llu late\n",
		        (unsigned long long)as.inputs, (unsigned long long)e->login_enriched,
		        (unsigned long long)as.fired, (unsigned long long)as.follow_ups,
		        (unsigned long long)as.endpoints, (double)as.state_bytes_peak / 1024.0,
		        (unsigned long long)as.cap_hits, (unsigned long long)as.late);
	}
	if (e->mail) {
		struct mm_mail_an_stats ms;
		mm_mail_an_stats(e->mail, &ms);
		if (ms.deliveries || ms.sasl_failures)
			fprintf(f,
			        "  mail       %llu deliveries (%llu external), %llu SASL failures, %llu "
			        "senders tracked (%llu over the cap), %llu alerts\n",
			        (unsigned long long)ms.deliveries, (unsigned long long)ms.external,
			        (unsigned long long)ms.sasl_failures, (unsigned long long)ms.origins,
			        (unsigned long long)ms.origin_cap_hits, (unsigned long long)ms.fired);
	}
	fprintf(f, "  elapsed    %.3f s, %.1f MB/s\n", t->seconds,
	        t->seconds > 0 ? mb / t->seconds : 0.0);
}

int mm_engine_summary_json(const struct mm_engine *e, struct mm_buf *b)
{
	const struct mm_engine_totals *t = &e->t;
	mm_buf_printf(b,
	              "{\"files\":%llu,\"files_failed\":%llu,\"files_unknown_format\":%llu,"
	              "\"bytes\":%llu,\"lines\":%llu,\"truncated\":%llu,\"events\":%llu,"
	              "\"malformed\":%llu,\"alerts\":%llu,\"alerts_new\":%llu,"
	              "\"alerts_dup\":%llu,\"seconds\":%.3f,",
	              (unsigned long long)t->files, (unsigned long long)t->files_failed,
	              (unsigned long long)t->files_unknown_format, (unsigned long long)t->bytes,
	              (unsigned long long)t->lines, (unsigned long long)t->truncated,
	              (unsigned long long)t->events, (unsigned long long)t->malformed,
	              (unsigned long long)t->alerts, (unsigned long long)t->alerts_new,
	              (unsigned long long)t->alerts_dup, t->seconds);
	struct mm_detect_stats ds; /* what the prefilter left to evaluate (bench/) */
	mm_detector_stats(e->det, &ds);
	mm_buf_printf(b,
	              "\"detect\":{\"prefilter_scans\":%llu,\"rules_evaluated\":%llu,"
	              "\"routes_built\":%llu,\"prefilter_compiles\":%llu,"
	              "\"prefilter_compile_seconds\":%.3f},",
	              (unsigned long long)ds.prefilter_scans, (unsigned long long)ds.rules_evaluated,
	              (unsigned long long)ds.routes_built, (unsigned long long)ds.prefilter_compiles,
	              ds.prefilter_compile_seconds);
	mm_buf_puts(b, "\"datasets\":{");
	for (size_t i = 0; i < e->nds; i++) {
		mm_buf_printf(b, "%s\"", i ? "," : "");
		mm_json_escape(b, e->ds[i].name, strlen(e->ds[i].name));
		mm_buf_printf(b, "\":%llu", (unsigned long long)e->ds[i].n);
	}
	/* event time per dataset, [first, last] in ns UTC (datasets without a
	 * timed event are absent): the report picks the runs of its period */
	mm_buf_puts(b, "},\"dataset_times\":{");
	bool any = false;
	for (size_t i = 0; i < e->nds; i++) {
		if (e->ds[i].ts_min == MM_TS_NONE)
			continue;
		mm_buf_printf(b, "%s\"", any ? "," : "");
		mm_json_escape(b, e->ds[i].name, strlen(e->ds[i].name));
		mm_buf_printf(b, "\":[%lld,%lld]", (long long)e->ds[i].ts_min,
		              (long long)e->ds[i].ts_max);
		any = true;
	}
	mm_buf_puts(b, "},\"malformed_by_reason\":{");
	bool first = true;
	for (int i = 0; i < MM_DEC__COUNT; i++) {
		if (i == MM_DEC_OK || !e->outcome[i])
			continue;
		mm_buf_printf(b, "%s\"%s\":%llu", first ? "" : ",",
		              mm_dec_outcome_name((enum mm_dec_outcome)i),
		              (unsigned long long)e->outcome[i]);
		first = false;
	}
	mm_buf_puts(b, "},\"alerts_by_rule\":{");
	first = true;
	for (size_t i = 0; i < mm_ruleset_rule_count(e->rs); i++) {
		if (!e->rule_alerts[i])
			continue;
		const struct mm_rule_info *r = mm_ruleset_rule_at(e->rs, i);
		mm_buf_printf(b, "%s\"", first ? "" : ",");
		mm_json_escape(b, r->id, strlen(r->id));
		mm_buf_printf(b, "\":%llu", (unsigned long long)e->rule_alerts[i]);
		first = false;
	}
	for (size_t i = 0; i < mm_ruleset_corr_count(e->rs); i++) {
		if (!e->corr_alerts[i])
			continue;
		const struct mm_rule_info *r = mm_ruleset_corr_at(e->rs, i);
		mm_buf_printf(b, "%s\"", first ? "" : ",");
		mm_json_escape(b, r->id, strlen(r->id));
		mm_buf_printf(b, "\":%llu", (unsigned long long)e->corr_alerts[i]);
		first = false;
	}
	mm_buf_puts(b, "}");
	if (e->corr) {
		struct mm_corr_stats cs;
		mm_correlator_stats(e->corr, &cs);
#define CS_FIELDS(s)                                                                          \
	"\"inputs\":%llu,\"late\":%llu,\"missing_field\":%llu,\"fired\":%llu,"                    \
	"\"overflow_alerts\":%llu,\"groups\":%llu,\"groups_peak\":%llu,\"state_bytes\":%llu,"       \
	"\"state_bytes_peak\":%llu,\"evictions\":%llu,\"cap_hits\":%llu,\"sketches\":%llu,"         \
	"\"folded\":%llu,"                                                                        \
	"\"seconds\":%.6f"
#define CS_ARGS(s)                                                                            \
	(unsigned long long)(s).inputs, (unsigned long long)(s).late,                         \
		(unsigned long long)(s).missing_field, (unsigned long long)(s).fired,         \
		(unsigned long long)(s).overflow_alerts, (unsigned long long)(s).groups,      \
		(unsigned long long)(s).groups_peak, (unsigned long long)(s).state_bytes,     \
		(unsigned long long)(s).state_bytes_peak, (unsigned long long)(s).evictions,  \
		(unsigned long long)(s).cap_hits, (unsigned long long)(s).sketches,           \
		(unsigned long long)(s).folded,                                                \
		(double)(s).ns / 1e9
		mm_buf_printf(b, ",\"correlation\":{\"state_mem\":%llu,\"silent_matches\":%llu," CS_FIELDS(cs),
		              (unsigned long long)(e->o.state_mem ? e->o.state_mem
		                                                  : MM_CORR_DEFAULT_STATE_MEM),
		              (unsigned long long)e->silent_matches, CS_ARGS(cs));
		mm_buf_puts(b, ",\"rules\":{");
		for (size_t i = 0; i < mm_ruleset_corr_count(e->rs); i++) {
			struct mm_corr_stats rs;
			mm_correlator_rule_stats(e->corr, i, &rs);
			const struct mm_rule_info *r = mm_ruleset_corr_at(e->rs, i);
			mm_buf_printf(b, "%s\"", i ? "," : "");
			mm_json_escape(b, r->id, strlen(r->id));
			mm_buf_printf(b, "\":{" CS_FIELDS(rs) "}", CS_ARGS(rs));
		}
		mm_buf_puts(b, "}}");
#undef CS_FIELDS
#undef CS_ARGS
	}
	if (e->an) {
		struct mm_analyzer_stats as;
		mm_analyzers_stats(e->an, &as);
		mm_buf_printf(b,
		              ",\"analyzers\":{\"credential_stuffing\":{\"inputs\":%llu,"
		              "\"login_enriched\":%llu,\"fired\":%llu,\"follow_ups\":%llu,"
		              "\"endpoints\":%llu,\"state_bytes\":%llu,\"state_bytes_peak\":%llu,"
		              "\"cap_hits\":%llu,\"late\":%llu}}",
		              (unsigned long long)as.inputs, (unsigned long long)e->login_enriched,
		              (unsigned long long)as.fired, (unsigned long long)as.follow_ups,
		              (unsigned long long)as.endpoints, (unsigned long long)as.state_bytes,
		              (unsigned long long)as.state_bytes_peak, (unsigned long long)as.cap_hits,
		              (unsigned long long)as.late);
	}
	return mm_buf_puts(b, "}");
}
